/** The audit log, for the admins of a Comune, and the platform-wide log for platform admins. */
import type { FastifyInstance } from 'fastify'
import { pageQuery, tenantParams } from '../../http/schemas.js'
import type { Services } from '../../services.js'
import { requireRole, requireSuperadmin } from '../auth/principal.js'
import { existingTenant } from '../tenants/routes.js'
import { PLATFORM } from './service.js'

type PageQ = { limit: number; offset: number; action?: string }
const query = { ...pageQuery, properties: { ...pageQuery.properties, action: { type: 'string', maxLength: 100 } } }

export function auditRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { tenant: string }; Querystring: PageQ }>(
    '/api/tenants/:tenant/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit log of this Comune (its admins)',
        params: tenantParams,
        querystring: query,
      },
    },
    async (request) => {
      requireRole(request, request.params.tenant, 'admin')
      return services.audit.list(await existingTenant(services, request), request.query)
    },
  )
  app.get<{ Querystring: PageQ }>(
    '/api/audit',
    { schema: { tags: ['audit'], summary: 'Platform-wide audit log (platform admins)', querystring: query } },
    async (request) => {
      requireSuperadmin(request)
      return services.audit.list(PLATFORM, request.query)
    },
  )
}
