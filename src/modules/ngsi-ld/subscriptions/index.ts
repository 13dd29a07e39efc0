/**
 * NGSI-LD subscriptions and notifications: the ChangeListener that records notifications in the write transaction,
 * the /subscriptions routes, and the delivery worker (started with the app, stopped when it closes).
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { Config } from '../../../config.js'
import type { DB } from '../../../db/schema.js'
import type { ContextResolver } from '../context/index.js'
import type { NgsiDeps } from '../http/request.js'
import { createSubscriptionCache } from './cache.js'
import { createSubscriptionListener } from './listener.js'
import type { LocalMqtt } from './local-mqtt.js'
import { subscriptionRoutes } from './routes.js'
import { createSubscriptionService } from './service.js'
import { DeliveryWorker } from './worker.js'

export interface SubscriptionsDeps {
  db: Kysely<DB>
  config: Config
  resolver: ContextResolver
  localMqtt?: LocalMqtt
}

export function createSubscriptions(deps: SubscriptionsDeps) {
  let worker: DeliveryWorker | undefined
  let log: FastifyBaseLogger | undefined
  let recordedSinceResponse = false
  const cache = createSubscriptionCache((e, id) => log?.error({ err: e, subscriptionId: id }, 'subscription skipped'))
  const listener = createSubscriptionListener({
    cache,
    notify: Boolean(deps.config.databaseUrl),
    recorded() {
      recordedSinceResponse = true
      // The transaction commits right after: on the embedded database the worker's next query waits for it; on
      // PostgreSQL the response hook below (and NOTIFY, with DATABASE_URL) wake the workers after the commit.
      worker?.signal()
      worker?.wakeIn(20)
    },
  })
  const service = createSubscriptionService({ db: deps.db, resolver: deps.resolver, changed: () => worker?.signal() })
  return {
    listener,
    service,
    routes(app: FastifyInstance, full: NgsiDeps) {
      subscriptionRoutes(app, full, service)
      app.addHook('onResponse', (_request, _reply, done) => {
        if (recordedSinceResponse) {
          recordedSinceResponse = false
          worker?.signal()
        }
        done()
      })
    },
    /** Starts delivering (unless URBE_NOTIFY_DELIVERY=false). */
    async start(appLog: FastifyBaseLogger): Promise<void> {
      log = appLog
      if (!deps.config.notifyDelivery || worker) return
      worker = new DeliveryWorker({
        db: deps.db,
        resolver: deps.resolver,
        config: deps.config,
        log: appLog,
        ...(deps.localMqtt ? { localMqtt: deps.localMqtt } : {}),
      })
      await worker.start()
    },
    async stop(): Promise<void> {
      const w = worker
      worker = undefined
      await w?.stop(Math.min(5000, deps.config.shutdownTimeoutMs / 2))
    },
    get worker(): DeliveryWorker | undefined {
      return worker
    },
  }
}

export type Subscriptions = ReturnType<typeof createSubscriptions>
