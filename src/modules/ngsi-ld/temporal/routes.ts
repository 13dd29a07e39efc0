/** /ngsi-ld/v1/temporal: the temporal API (clauses 5.6.11 - 5.6.16, 5.7.3, 5.7.4; HTTP binding 6.18 - 6.24). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { bodyContextOf, type NgsiDeps, ngsiRequest } from '../http/request.js'
import { negotiate, sendNgsi } from '../http/respond.js'
import { checkEntityId } from '../routes/entities.js'
import { attrParams, entityIdParams } from '../routes/schemas.js'
import { parseTemporalParams, str } from './params.js'
import { parseTemporalQuery, parseTemporalQueryBody } from './query.js'
import type { TemporalService } from './service.js'

const PREFIX = '/ngsi-ld/v1/temporal'
const tags = ['ngsi-ld temporal']
type Q = Record<string, unknown>
type Req = FastifyRequest<{ Querystring: Q }>
type IdReq = FastifyRequest<{ Params: { entityId: string }; Querystring: Q }>
type AttrReq = FastifyRequest<{ Params: { entityId: string; attrId: string }; Querystring: Q }>
type InstanceReq = FastifyRequest<{ Params: { entityId: string; attrId: string; instanceId: string }; Querystring: Q }>

const instanceParams = {
  type: 'object',
  required: ['entityId', 'attrId', 'instanceId'],
  properties: {
    ...attrParams.properties,
    instanceId: { type: 'string', maxLength: 200, description: 'Instance id (urn:ngsi-ld:<uuid>)' },
  },
} as const

/** 200, or 206 with Content-Range when instances were left out (clause 6.3.10). */
function partial(reply: FastifyReply, contentRange: string | undefined): number {
  if (!contentRange) return 200
  reply.header('content-range', contentRange)
  return 206
}

export function temporalRoutes(app: FastifyInstance, deps: NgsiDeps, service: TemporalService): void {
  app.get(
    `${PREFIX}/entities`,
    { schema: { tags, summary: 'Query the temporal evolution of entities (5.7.4)' } },
    async (request: Req, reply) => {
      const rep = negotiate(request, false)
      const { tenant, ctx } = await ngsiRequest(request, deps, { min: 'viewer' })
      const q = parseTemporalQuery(request.query, ctx)
      const r = await service.query(tenant, ctx, q.filter, q.page, q.params)
      if (r.count !== undefined) reply.header('NGSILD-Results-Count', String(r.count))
      return sendNgsi(reply, rep, ctx, r.entities, partial(reply, r.contentRange))
    },
  )

  app.post(
    `${PREFIX}/entityOperations/query`,
    { schema: { tags, summary: 'Query the temporal evolution of entities with a Query payload (5.7.4)' } },
    async (request: Req, reply) => {
      const rep = negotiate(request, false)
      const { tenant, ctx } = await ngsiRequest(request, deps, {
        min: 'viewer',
        bodyContext: bodyContextOf(request.body),
      })
      const q = parseTemporalQueryBody(request.body, request.query, ctx)
      const r = await service.query(tenant, ctx, q.filter, q.page, q.params)
      if (r.count !== undefined) reply.header('NGSILD-Results-Count', String(r.count))
      return sendNgsi(reply, rep, ctx, r.entities, partial(reply, r.contentRange))
    },
  )

  app.post(
    `${PREFIX}/entities`,
    { schema: { tags, summary: 'Create or update the temporal representation of an entity (5.6.11)' } },
    async (request: Req, reply) => {
      const { tenant, ctx } = await ngsiRequest(request, deps, {
        min: 'operator',
        createsTenant: true,
        bodyContext: bodyContextOf(request.body),
      })
      const r = await service.upsert(tenant, ctx, request.body)
      if (!r.created) return reply.code(204).send()
      return reply
        .code(201)
        .header('location', `${PREFIX}/entities/${encodeURIComponent(r.id)}`)
        .send()
    },
  )

  app.get(
    `${PREFIX}/entities/:entityId`,
    { schema: { tags, summary: 'Retrieve the temporal representation of an entity (5.7.3)', params: entityIdParams } },
    async (request: IdReq, reply) => {
      const rep = negotiate(request, false)
      const { tenant, ctx } = await ngsiRequest(request, deps, { min: 'viewer' })
      const params = parseTemporalParams(request.query, ctx)
      const r = await service.retrieve(tenant, ctx, checkEntityId(request.params.entityId), params)
      return sendNgsi(reply, rep, ctx, r.entity, partial(reply, r.contentRange))
    },
  )

  app.delete(
    `${PREFIX}/entities/:entityId`,
    { schema: { tags, summary: 'Delete the temporal representation of an entity (5.6.16)', params: entityIdParams } },
    async (request: IdReq, reply) => {
      const { tenant } = await ngsiRequest(request, deps, { min: 'operator', noContext: true })
      await service.deleteEntity(tenant, checkEntityId(request.params.entityId))
      return reply.code(204).send()
    },
  )

  app.post(
    `${PREFIX}/entities/:entityId/attrs`,
    { schema: { tags, summary: 'Add attributes to a temporal representation (5.6.12)', params: entityIdParams } },
    async (request: IdReq, reply) => {
      const { tenant, ctx } = await ngsiRequest(request, deps, {
        min: 'operator',
        bodyContext: bodyContextOf(request.body),
      })
      await service.addAttrs(tenant, ctx, checkEntityId(request.params.entityId), request.body)
      return reply.code(204).send()
    },
  )

  app.delete(
    `${PREFIX}/entities/:entityId/attrs/:attrId`,
    { schema: { tags, summary: 'Delete an attribute from a temporal representation (5.6.13)', params: attrParams } },
    async (request: AttrReq, reply) => {
      const { tenant, ctx } = await ngsiRequest(request, deps, { min: 'operator' })
      const datasetId = str(request.query.datasetId, 'datasetId', 1024)
      const deleteAll = str(request.query.deleteAll, 'deleteAll') === 'true'
      await service.deleteAttr(tenant, ctx, checkEntityId(request.params.entityId), request.params.attrId, {
        ...(datasetId && datasetId !== '@none' ? { datasetId } : {}),
        deleteAll,
      })
      return reply.code(204).send()
    },
  )

  app.patch(
    `${PREFIX}/entities/:entityId/attrs/:attrId/:instanceId`,
    { schema: { tags, summary: 'Modify an attribute instance (5.6.14)', params: instanceParams } },
    async (request: InstanceReq, reply) => {
      const { tenant, ctx } = await ngsiRequest(request, deps, {
        min: 'operator',
        bodyContext: bodyContextOf(request.body),
      })
      const p = request.params
      await service.patchInstance(tenant, ctx, checkEntityId(p.entityId), p.attrId, p.instanceId, request.body)
      return reply.code(204).send()
    },
  )

  app.delete(
    `${PREFIX}/entities/:entityId/attrs/:attrId/:instanceId`,
    { schema: { tags, summary: 'Delete an attribute instance (5.6.15)', params: instanceParams } },
    async (request: InstanceReq, reply) => {
      const { tenant, ctx } = await ngsiRequest(request, deps, { min: 'operator' })
      const p = request.params
      await service.deleteInstance(tenant, ctx, checkEntityId(p.entityId), p.attrId, p.instanceId)
      return reply.code(204).send()
    },
  )
}
