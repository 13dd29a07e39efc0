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

export function createNgsiLd(deps: Omit<NgsiDeps, 'resolver'>, listeners: ChangeListener[] = []) {
  const store = createDbContextStore(deps.db)
  const resolver = createContextResolver({ store, fetchTimeoutMs: deps.config.contextFetchTimeoutMs })
  const full: NgsiDeps = { ...deps, resolver }
  const entities = createEntityService(deps.db, listeners)
  const batch = createBatchService(deps.db, listeners)
  return {
    resolver,
    entities,
    batch,
    routes(app: FastifyInstance) {
      entityRoutes(app, full, entities)
      batchRoutes(app, full, batch)
      discoveryRoutes(app, full)
      contextRoutes(app, full, store)
    },
  }
}

export type NgsiLd = ReturnType<typeof createNgsiLd>
