/**
 * The public city portal API under /api/portal/{tenant}: no login, read-only, only the entities of the public
 * categories (docs/portal.md). An unknown Comune answers 404 NonexistentTenant.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Services } from '../../services.js'
import { existingTenant } from '../tenants/routes.js'
import type { LiveHub } from './live-hub.js'
import * as s from './schemas.js'
import type { PortalService } from './service.js'

type TReq = FastifyRequest<{ Params: { tenant: string } }>
type IdReq = FastifyRequest<{ Params: { tenant: string; id: string } }>

const errors = { 400: { $ref: 'problem#' }, 404: { $ref: 'problem#' } }

export function portalRoutes(app: FastifyInstance, deps: { services: Services; portal: PortalService; hub: LiveHub }) {
  const { services, portal, hub } = deps
  const base = '/api/portal/:tenant'
  const tenantOf = (request: TReq) => existingTenant(services, request)

  app.get(
    `${base}/categories`,
    {
      schema: { tags: s.TAG, summary: 'Public categories of city data, with map colours', params: s.tenantOnly },
    },
    async (request: TReq) => {
      await tenantOf(request)
      return portal.categories()
    },
  )

  app.get(
    `${base}/entities`,
    {
      schema: {
        tags: s.TAG,
        summary: 'Public entities (current state), by category, paged',
        params: s.tenantOnly,
        querystring: s.entitiesQuery,
        response: errors,
      },
    },
    async (request: FastifyRequest<{ Params: { tenant: string }; Querystring: Record<string, unknown> }>) => {
      const tenant = await tenantOf(request)
      const q = request.query
      return portal.list(tenant, {
        ...(q.category !== undefined ? { category: String(q.category) } : {}),
        ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}),
        ...(q.offset !== undefined ? { offset: Number(q.offset) } : {}),
      })
    },
  )

  app.get(
    `${base}/entities/:id`,
    { schema: { tags: s.TAG, summary: 'One public entity', params: s.tenantAndId, response: errors } },
    async (request: IdReq) => {
      const tenant = await tenantOf(request)
      return portal.get(tenant, request.params.id)
    },
  )

  app.get(
    `${base}/entities/:id/series`,
    {
      schema: {
        tags: s.TAG,
        summary: 'History of one measured attribute: average, minimum and maximum per bucket',
        params: s.tenantAndId,
        querystring: s.seriesQuery,
        response: errors,
      },
    },
    async (
      request: FastifyRequest<{ Params: { tenant: string; id: string }; Querystring: Record<string, unknown> }>,
    ) => {
      const tenant = await tenantOf(request)
      const { attr, period } = request.query
      return portal.series(
        tenant,
        request.params.id,
        attr === undefined ? undefined : String(attr),
        period === undefined ? undefined : String(period),
      )
    },
  )

  app.get(
    `${base}/now`,
    {
      schema: {
        tags: s.TAG,
        summary: 'The city now: air quality index, weather, traffic, parking, energy today',
        params: s.tenantOnly,
      },
    },
    async (request: TReq) => portal.now(await tenantOf(request)),
  )

  app.get(
    `${base}/live`,
    {
      schema: {
        tags: s.TAG,
        summary: 'Live changes of public entities (Server-Sent Events: event "entity", data = the entity)',
        params: s.tenantOnly,
        response: { 404: { $ref: 'problem#' }, 503: { $ref: 'problem#' } },
      },
    },
    async (request: TReq, reply) => {
      const tenant = await tenantOf(request)
      await hub.open(tenant, reply.raw, () => reply.hijack(), String(request.id))
      return reply
    },
  )
}
