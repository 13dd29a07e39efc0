/**
 * Wiring of the mobility and tourism analytics module (docs/mobility.md): the service over the database and the
 * routes under /api/mobility/{tenant}; alerts go through the NGSI-LD broker.
 */
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'
import type { Database } from '../../db/database.js'
import type { Services } from '../../services.js'
import type { NgsiLd } from '../ngsi-ld/plugin.js'
import { mobilityRoutes } from './routes.js'
import { createMobilityService } from './service.js'

export function createMobility(deps: { database: Database; config: Config; services: Services; ngsi: NgsiLd }) {
  const service = createMobilityService({ db: deps.database.db, maxImportBytes: deps.config.mobilityImportLimit })
  return {
    service,
    routes(app: FastifyInstance) {
      mobilityRoutes(app, { services: deps.services, svc: service, db: deps.database.db, ngsi: deps.ngsi })
    },
  }
}

export type Mobility = ReturnType<typeof createMobility>
