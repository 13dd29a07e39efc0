/**
 * NGSI-LD history and the temporal API: the change listener that records every attribute instance, the temporal
 * routes, and the retention job (hourly, when URBE_HISTORY_RETENTION_MONTHS asks for one; one server at a time).
 */
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { Config } from '../../../config.js'
import type { DB } from '../../../db/schema.js'
import type { NgsiDeps } from '../http/request.js'
import { createHistoryListener } from './listener.js'
import { applyRetention, createPartitions, type DroppedPartition } from './partitions.js'
import { temporalRoutes } from './routes.js'
import { createTemporalService } from './service.js'

const RETENTION_EVERY_MS = 60 * 60 * 1000
const RETENTION_FIRST_MS = 60 * 1000

export function createTemporal(db: Kysely<DB>, config: Config) {
  const partitions = createPartitions()
  const service = createTemporalService(db, config, partitions)

  async function runRetention(now = new Date()): Promise<DroppedPartition[]> {
    const dropped = await applyRetention(db, config.historyRetention, now)
    if (dropped.length) partitions.forget()
    return dropped
  }

  return {
    listener: createHistoryListener(config, partitions),
    service,
    /** Drops the partitions older than the retention (also run hourly by the server). */
    runRetention,
    routes(app: FastifyInstance, deps: NgsiDeps) {
      temporalRoutes(app, deps, service)
      const r = config.historyRetention
      if (r.months === 0 && Object.values(r.tenants).every((m) => m === 0)) return
      const tick = () => {
        runRetention()
          .then((d) => {
            for (const p of d)
              app.log.info({ tenant: p.tenant, month: p.month }, 'history partition dropped (retention)')
          })
          .catch((e) => app.log.error({ err: e }, 'history retention failed'))
      }
      const first = setTimeout(tick, RETENTION_FIRST_MS)
      const every = setInterval(tick, RETENTION_EVERY_MS)
      first.unref()
      every.unref()
      app.addHook('onClose', async () => {
        clearTimeout(first)
        clearInterval(every)
      })
    },
  }
}

export type Temporal = ReturnType<typeof createTemporal>
