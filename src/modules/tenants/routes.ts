/** Admin API of Comuni (tenants). The list and the public fields of a Comune are public data. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { tenantParams } from '../../http/schemas.js'
import { AppError } from '../../errors.js'
import type { Services } from '../../services.js'
import { requireRole, requireSuperadmin } from '../auth/principal.js'
import type { TenantInput } from './service.js'

const tenantBody = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'ISTAT code, e.g. 046017' },
    name: { type: 'string' },
    province: { type: ['string', 'null'] },
    region: { type: ['string', 'null'] },
    population: { type: ['integer', 'null'], minimum: 0 },
    timezone: { type: 'string', default: undefined },
    boundary: { description: 'GeoJSON Polygon or MultiPolygon (WGS84)' },
  },
} as const

/** Checks the tenant named in the path exists (after the caller's access has been checked). */
export async function existingTenant(services: Services, request: FastifyRequest<{ Params: { tenant: string } }>) {
  const id = request.params.tenant
  if (!(await services.tenants.exists(id))) throw new AppError('NonexistentTenant', `Tenant ${id} does not exist`)
  return id
}

export function tenantRoutes(app: FastifyInstance, services: Services): void {
  app.get('/api/tenants', { schema: { tags: ['tenants'], summary: 'List the Comuni (public)' } }, async () =>
    services.tenants.list(),
  )

  app.get<{ Params: { tenant: string } }>(
    '/api/tenants/:tenant',
    { schema: { tags: ['tenants'], summary: 'A Comune with its boundary (public)', params: tenantParams } },
    async (request) => {
      const t = await services.tenants.get(request.params.tenant, true)
      if (!t) throw new AppError('NonexistentTenant', `Tenant ${request.params.tenant} does not exist`)
      return t
    },
  )

  app.post<{ Body: TenantInput }>(
    '/api/tenants',
    {
      schema: {
        tags: ['tenants'],
        summary: 'Create a Comune (platform admin)',
        body: { ...tenantBody, required: ['id', 'name'] },
      },
    },
    async (request, reply) => {
      requireSuperadmin(request)
      const t = await services.tenants.create(request.body, request.actor())
      return reply.code(201).header('location', `/api/tenants/${t.id}`).send(t)
    },
  )

  app.patch<{ Params: { tenant: string }; Body: TenantInput }>(
    '/api/tenants/:tenant',
    { schema: { tags: ['tenants'], summary: 'Update a Comune (its admin)', params: tenantParams, body: tenantBody } },
    async (request) => {
      requireRole(request, request.params.tenant, 'admin')
      return services.tenants.update(request.params.tenant, request.body ?? {}, request.actor())
    },
  )
}
