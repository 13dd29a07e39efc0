/** Type and attribute discovery (5.7.5 - 5.7.10): /types, /types/{type}, /attributes, /attributes/{attrId}. */
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../../../errors.js'
import { type NgsiDeps, ngsiRequest } from '../http/request.js'
import { negotiate, sendNgsi } from '../http/respond.js'
import * as repo from '../repo.js'
import { tags } from './schemas.js'

const PREFIX = '/ngsi-ld/v1'
type Req = FastifyRequest<{ Querystring: Record<string, unknown>; Params: Record<string, string> }>
const listId = (kind: string) => `urn:ngsi-ld:${kind}:${randomUUID()}`

export function discoveryRoutes(app: FastifyInstance, deps: NgsiDeps): void {
  app.get(
    `${PREFIX}/types`,
    { schema: { tags, summary: 'Available entity types (5.7.5, 5.7.6 with details=true)' } },
    async (request: Req, reply) => {
      const rep = negotiate(request, false)
      const { tenant, ctx } = await ngsiRequest(request, deps, { min: 'viewer' })
      if (request.query.details === 'true') {
        const stats = await repo.typeStats(deps.db, tenant)
        return sendNgsi(
          reply,
          rep,
          ctx,
          stats.map((s) => ({
            id: s.type,
            type: 'EntityType',
            typeName: ctx.compact(s.type),
            attributeNames: s.attrs.map((a) => ctx.compact(a.attr)),
          })),
        )
      }
      const names = await repo.typeNames(deps.db, tenant)
      return sendNgsi(reply, rep, ctx, {
        id: listId('EntityTypeList'),
        type: 'EntityTypeList',
        typeList: names.map((t) => ctx.compact(t)),
      })
    },
  )

  app.get(
    `${PREFIX}/types/:type`,
    { schema: { tags, summary: 'Details of an entity type (5.7.7)' } },
    async (request: Req, reply) => {
      const rep = negotiate(request, false)
      const { tenant, ctx } = await ngsiRequest(request, deps, { min: 'viewer' })
      const iri = ctx.expand(request.params.type!)
      const [s] = await repo.typeStats(deps.db, tenant, iri)
      if (!s) throw new AppError('ResourceNotFound', `No entity of type ${request.params.type}`)
      return sendNgsi(reply, rep, ctx, {
        id: s.type,
        type: 'EntityTypeInfo',
        typeName: ctx.compact(s.type),
        entityCount: s.entityCount,
        attributeDetails: s.attrs.map((a) => ({
          id: a.attr,
          type: 'Attribute',
          attributeName: ctx.compact(a.attr),
          attributeTypes: a.attrTypes,
        })),
      })
    },
  )

  app.get(
    `${PREFIX}/attributes`,
    { schema: { tags, summary: 'Available attributes (5.7.8, 5.7.9 with details=true)' } },
    async (request: Req, reply) => {
      const rep = negotiate(request, false)
      const { tenant, ctx } = await ngsiRequest(request, deps, { min: 'viewer' })
      const stats = await repo.attributeStats(deps.db, tenant)
      if (request.query.details === 'true') {
        return sendNgsi(
          reply,
          rep,
          ctx,
          stats.map((a) => ({
            id: a.attr,
            type: 'Attribute',
            attributeName: ctx.compact(a.attr),
            typeNames: a.typeNames.map((t) => ctx.compact(t)),
          })),
        )
      }
      return sendNgsi(reply, rep, ctx, {
        id: listId('AttributeList'),
        type: 'AttributeList',
        attributeList: stats.map((a) => ctx.compact(a.attr)),
      })
    },
  )

  app.get(
    `${PREFIX}/attributes/:attrId`,
    { schema: { tags, summary: 'Details of an attribute (5.7.10)' } },
    async (request: Req, reply) => {
      const rep = negotiate(request, false)
      const { tenant, ctx } = await ngsiRequest(request, deps, { min: 'viewer' })
      const iri = ctx.expand(request.params.attrId!)
      const [a] = await repo.attributeStats(deps.db, tenant, iri)
      if (!a) throw new AppError('ResourceNotFound', `No entity has the attribute ${request.params.attrId}`)
      return sendNgsi(reply, rep, ctx, {
        id: a.attr,
        type: 'Attribute',
        attributeName: ctx.compact(a.attr),
        attributeCount: a.count,
        attributeTypes: a.attrTypes,
        typeNames: a.typeNames.map((t) => ctx.compact(t)),
      })
    },
  )
}
