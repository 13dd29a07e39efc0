/**
 * Wiring of the public portal (src/app.ts): `createPortal()` before the NGSI-LD broker, whose write transactions call
 * its `listener`; `routes()` once the broker exists (it reads through the broker's @contexts and temporal service).
 *
 * Live feed: with DATABASE_URL (PostgreSQL) the listener NOTIFYs `urbe_live` and each process LISTENs while it has
 * feeds open; otherwise (embedded PGlite, or a PostgreSQL given without URL as in tests) changes reach this process's
 * feeds in-process once their transaction has committed.
 */
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'
import type { Database } from '../../db/database.js'
import type { Services } from '../../services.js'
import type { NgsiLd } from '../ngsi-ld/plugin.js'
import type { Catalog } from './catalog.js'
import { createLiveHub, type LiveHub } from './live-hub.js'
import { createLiveListener } from './live-listener.js'
import { listenLive } from './live-source.js'
import { portalRoutes } from './routes.js'
import { createPortalService, type PortalService } from './service.js'

export function createPortal(deps: { database: Database; config: Config; services: Services }) {
  const { database, config } = deps
  const databaseUrl = database.kind === 'postgres' ? config.databaseUrl : undefined
  let portal: PortalService | undefined
  let hub: LiveHub | undefined
  let log: FastifyInstance['log'] | undefined
  let catalog: Promise<Catalog> | undefined

  const listener = createLiveListener({
    db: database.db,
    mode: databaseUrl ? 'notify' : 'local',
    async publicTypes() {
      if (!catalog) return new Set<string>()
      return (await catalog).typeIris
    },
    wanted: (tenant) => hub?.wanted(tenant) ?? false,
    committed: (tenant, ids) => hub?.changed(tenant, ids),
    log: (err) => log?.error({ err }, 'live feed: confirming a write failed'),
  })

  return {
    listener,
    get hub() {
      return hub
    },
    get service() {
      return portal
    },
    routes(app: FastifyInstance, ngsi: NgsiLd) {
      log = app.log
      const service = createPortalService({
        db: database.db,
        resolver: ngsi.resolver,
        temporal: ngsi.temporal.service,
      })
      portal = service
      catalog = service.catalog()
      catalog.catch((e) => app.log.error({ err: e }, 'portal: the category @contexts did not resolve'))
      hub = createLiveHub({
        max: config.portalLiveMax,
        fetch: (tenant, ids) => service.byIds(tenant, ids),
        ...(databaseUrl ? { source: (onMessage) => listenLive(databaseUrl, onMessage, app.log) } : {}),
        log: app.log,
      })
      const h = hub
      // SSE streams never end by themselves: end them before the server waits for its connections to close
      app.addHook('preClose', async () => {
        await h.close()
      })
      portalRoutes(app, { services: deps.services, portal: service, hub: h })
    },
  }
}

export type Portal = ReturnType<typeof createPortal>
