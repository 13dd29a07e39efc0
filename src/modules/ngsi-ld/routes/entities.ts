/** /ngsi-ld/v1/entities: create, retrieve, query, replace, merge, delete, and the attribute operations (5.6, 5.7). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../../errors.js'
import type { ActiveContext } from '../context/index.js'
import { formatEntity, formatFeature, formatFeatureCollection, type MergeResult } from '../format/index.js'
import type { StoredEntity } from '../model.js'
import * as repo from '../repo.js'
import type { EntityService } from '../service.js'
import { parseEntityQuery, parseOptions, parseRender, type RenderOptions } from '../http/query-params.js'
import { bodyContextOf, type NgsiDeps, ngsiRequest } from '../http/request.js'
import { negotiate, type Representation, sendNgsi } from '../http/respond.js'
import { entityIdParams, attrParams, tags } from './schemas.js'

const PREFIX = '/ngsi-ld/v1'
type Q = Record<string, unknown>
type IdReq = FastifyRequest<{ Params: { entityId: string }; Querystring: Q }>
type AttrReq = FastifyRequest<{ Params: { entityId: string; attrId: string }; Querystring: Q }>

export function checkEntityId(id: string): string {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(id) || id.length > 1024) {
    throw new AppError('BadRequestData', `The entity id "${id.slice(0, 100)}" is not a URI`)
  }
  return id
}

export function renderEntities(
  entities: StoredEntity[],
  ctx: ActiveContext,
  r: RenderOptions,
  rep: Representation,
): unknown {
  if (rep === 'geo+json') return formatFeatureCollection(entities, ctx, r)
  return entities.map((e) => formatEntity(e, ctx, r))
}

/** 204, or 207 with an UpdateResult when some attributes were not updated (clause 5.2.18). */
function sendUpdateResult(reply: FastifyReply, ctx: ActiveContext, r: MergeResult) {
  if (r.notUpdated.length === 0) return reply.code(204).send()
  return reply.code(207).send({
    updated: r.updated.map((a) => ctx.compact(a)),
    notUpdated: r.notUpdated.map((n) => ({
      attributeName: ctx.compact(n.attr),
      reason: n.reason,
      ...(n.datasetId ? { datasetId: n.datasetId } : {}),
    })),
  })
}

export function entityRoutes(app: FastifyInstance, deps: NgsiDeps, service: EntityService): void {
  app.post(`${PREFIX}/entities`, { schema: { tags, summary: 'Create an entity (5.6.1)' } }, async (request, reply) => {
    const { tenant, ctx } = await ngsiRequest(request, deps, {
      min: 'operator',
      createsTenant: true,
      bodyContext: bodyContextOf(request.body),
    })
    const e = await service.create(tenant, ctx, request.body)
    return reply
      .code(201)
      .header('location', `${PREFIX}/entities/${encodeURIComponent(e.id)}`)
      .send()
  })

  app.get<{ Querystring: Q }>(
    `${PREFIX}/entities`,
    { schema: { tags, summary: 'Query entities (5.7.2)' } },
    async (request, reply) => {
      const rep = negotiate(request)
      const { tenant, ctx } = await ngsiRequest(request, deps, { min: 'viewer' })
      const q = parseEntityQuery(request.query, ctx)
      const [entities, count] = await Promise.all([
        repo.queryEntities(deps.db, tenant, q.filter, q),
        q.count ? repo.countEntities(deps.db, tenant, q.filter) : Promise.resolve(undefined),
      ])
      if (count !== undefined) reply.header('NGSILD-Results-Count', String(count))
      return sendNgsi(reply, rep, ctx, renderEntities(entities, ctx, q.render, rep))
    },
  )

  app.get(
    `${PREFIX}/entities/:entityId`,
    { schema: { tags, summary: 'Retrieve an entity (5.7.1)', params: entityIdParams } },
    async (request: IdReq, reply) => {
      const rep = negotiate(request)
      const { tenant, ctx } = await ngsiRequest(request, deps, { min: 'viewer' })
      const render = parseRender(request.query, ctx)
      const entity = await service.get(tenant, checkEntityId(request.params.entityId))
      const body = rep === 'geo+json' ? formatFeature(entity, ctx, render) : formatEntity(entity, ctx, render)
      return sendNgsi(reply, rep, ctx, body)
    },
  )

  app.put(
    `${PREFIX}/entities/:entityId`,
    { schema: { tags, summary: 'Replace an entity (5.6.18)', params: entityIdParams } },
    async (request: IdReq, reply) => {
      const { tenant, ctx } = await ngsiRequest(request, deps, {
        min: 'operator',
        bodyContext: bodyContextOf(request.body),
      })
      await service.replace(tenant, ctx, checkEntityId(request.params.entityId), request.body)
      return reply.code(204).send()
    },
  )

  app.patch(
    `${PREFIX}/entities/:entityId`,
    { schema: { tags, summary: 'Merge an entity (5.6.17)', params: entityIdParams } },
    async (request: IdReq, reply) => {
      const { tenant, ctx } = await ngsiRequest(request, deps, {
        min: 'operator',
        bodyContext: bodyContextOf(request.body),
      })
      const observedAt = typeof request.query.observedAt === 'string' ? request.query.observedAt : undefined
      const lang = typeof request.query.lang === 'string' ? request.query.lang : undefined
      await service.merge(tenant, ctx, checkEntityId(request.params.entityId), request.body, {
        ...(observedAt ? { observedAt } : {}),
        ...(lang ? { lang } : {}),
      })
      return reply.code(204).send()
    },
  )

  app.delete(
    `${PREFIX}/entities/:entityId`,
    { schema: { tags, summary: 'Delete an entity (5.6.6)', params: entityIdParams } },
    async (request: IdReq, reply) => {
      const { tenant } = await ngsiRequest(request, deps, { min: 'operator', noContext: true })
      await service.delete(tenant, checkEntityId(request.params.entityId))
      return reply.code(204).send()
    },
  )

  app.post(
    `${PREFIX}/entities/:entityId/attrs`,
    { schema: { tags, summary: 'Append attributes (5.6.3)', params: entityIdParams } },
    async (request: IdReq, reply) => {
      const { tenant, ctx } = await ngsiRequest(request, deps, {
        min: 'operator',
        bodyContext: bodyContextOf(request.body),
      })
      const noOverwrite = parseOptions(request.query).flags.has('noOverwrite')
      const r = await service.appendAttrs(
        tenant,
        ctx,
        checkEntityId(request.params.entityId),
        request.body,
        noOverwrite,
      )
      return sendUpdateResult(reply, ctx, r)
    },
  )

  app.patch(
    `${PREFIX}/entities/:entityId/attrs`,
    { schema: { tags, summary: 'Update attributes (5.6.2)', params: entityIdParams } },
    async (request: IdReq, reply) => {
      const { tenant, ctx } = await ngsiRequest(request, deps, {
        min: 'operator',
        bodyContext: bodyContextOf(request.body),
      })
      const r = await service.updateAttrs(tenant, ctx, checkEntityId(request.params.entityId), request.body)
      return sendUpdateResult(reply, ctx, r)
    },
  )

  app.patch(
    `${PREFIX}/entities/:entityId/attrs/:attrId`,
    { schema: { tags, summary: 'Partial attribute update (5.6.4)', params: attrParams } },
    async (request: AttrReq, reply) => {
      const { tenant, ctx } = await ngsiRequest(request, deps, {
        min: 'operator',
        bodyContext: bodyContextOf(request.body),
      })
      const datasetId = typeof request.query.datasetId === 'string' ? request.query.datasetId : undefined
      await service.patchAttr(
        tenant,
        ctx,
        checkEntityId(request.params.entityId),
        request.params.attrId,
        request.body,
        datasetId,
      )
      return reply.code(204).send()
    },
  )

  app.put(
    `${PREFIX}/entities/:entityId/attrs/:attrId`,
    { schema: { tags, summary: 'Replace an attribute (5.6.19)', params: attrParams } },
    async (request: AttrReq, reply) => {
      const { tenant, ctx } = await ngsiRequest(request, deps, {
        min: 'operator',
        bodyContext: bodyContextOf(request.body),
      })
      await service.replaceAttr(
        tenant,
        ctx,
        checkEntityId(request.params.entityId),
        request.params.attrId,
        request.body,
      )
      return reply.code(204).send()
    },
  )

  app.delete(
    `${PREFIX}/entities/:entityId/attrs/:attrId`,
    { schema: { tags, summary: 'Delete an attribute (5.6.5)', params: attrParams } },
    async (request: AttrReq, reply) => {
      const { tenant, ctx } = await ngsiRequest(request, deps, { min: 'operator' })
      const datasetId = typeof request.query.datasetId === 'string' ? request.query.datasetId : undefined
      const deleteAll = request.query.deleteAll === 'true'
      await service.deleteAttr(tenant, ctx, checkEntityId(request.params.entityId), request.params.attrId, {
        ...(datasetId ? { datasetId } : {}),
        deleteAll,
      })
      return reply.code(204).send()
    },
  )
}
