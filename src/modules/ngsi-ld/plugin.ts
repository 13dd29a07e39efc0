/** The NGSI-LD context broker under /ngsi-ld/v1: wires the services and registers the routes. */
import type { FastifyInstance } from 'fastify'
import { createBatchService } from './batch.js'
import { createContextResolver } from './context/index.js'
import { createDbContextStore } from './context-store.js'
import type { NgsiDeps } from './http/request.js'
import { batchRoutes } from './routes/batch.js'
import { contextRoutes } from './routes/contexts.js'
import { discoveryRoutes } from './routes/discovery.js'
import { entityRoutes } from './routes/entities.js'
import { type ChangeListener, createEntityService } from './service.js'
import { createSubscriptions } from './subscriptions/index.js'
import { createLocalMqtt } from './subscriptions/local-mqtt.js'
import { createTemporal } from './temporal/index.js'

export function createNgsiLd(deps: Omit<NgsiDeps, 'resolver'>, listeners: ChangeListener[] = []) {
  const store = createDbContextStore(deps.db)
  const resolver = createContextResolver({ store, fetchTimeoutMs: deps.config.contextFetchTimeoutMs })
  const full: NgsiDeps = { ...deps, resolver }
  const localMqtt = createLocalMqtt()
  const subscriptions = createSubscriptions({ db: deps.db, config: deps.config, resolver, localMqtt })
  const temporal = createTemporal(deps.db, deps.config)
  const all = [temporal.listener, ...listeners, subscriptions.listener]
  // PostgreSQL runs two write groups and two coalesced reads at once; the embedded database one statement at a time.
  const parallel = deps.config.databaseUrl ? 2 : 1
  const entities = createEntityService(deps.db, all, { lanes: parallel, readers: parallel })
  const batch = createBatchService(deps.db, all)
  return {
    resolver,
    entities,
    batch,
    subscriptions,
    temporal,
    /** Where MQTT notifications reach the embedded broker: the device gateway attaches it once it runs. */
    localMqtt,
    routes(app: FastifyInstance) {
      entityRoutes(app, full, entities)
      batchRoutes(app, full, batch)
      discoveryRoutes(app, full)
      contextRoutes(app, full, store)
      temporal.routes(app, full)
      subscriptions.routes(app, full)
      // Notification delivery runs while the app does: started now, stopped after the server stopped taking requests.
      app.addHook('onClose', () => subscriptions.stop())
      subscriptions.start(app.log).catch((e) => app.log.error({ err: e }, 'notification delivery did not start'))
    },
  }
}

export type NgsiLd = ReturnType<typeof createNgsiLd>
