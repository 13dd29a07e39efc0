/** /ngsi-ld/v1/subscriptions: create, query, retrieve, update, delete (clauses 5.8.1 - 5.8.5, 6.10, 6.11). */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../../../errors.js'
import { parseOptions, parsePage } from '../http/query-params.js'
import { bodyContextOf, type NgsiDeps, ngsiRequest } from '../http/request.js'
import { negotiate, sendNgsi } from '../http/respond.js'
import { tags } from '../routes/schemas.js'
import type { SubscriptionService } from './service.js'
import { renderSubscription } from './view.js'

const PREFIX = '/ngsi-ld/v1/subscriptions'
type Q = Record<string, unknown>
type IdReq = FastifyRequest<{ Params: { subscriptionId: string }; Querystring: Q }>

const idParams = {
  type: 'object',
  required: ['subscriptionId'],
  properties: { subscriptionId: { type: 'string', maxLength: 1024, description: 'Subscription id (a URI)' } },
} as const

function checkId(id: string): string {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(id) || id.length > 1024) {
    throw new AppError('BadRequestData', `The subscription id "${id.slice(0, 100)}" is not a URI`)
  }
  return id
}

export function subscriptionRoutes(app: FastifyInstance, deps: NgsiDeps, service: SubscriptionService): void {
  app.post(PREFIX, { schema: { tags, summary: 'Create a subscription (5.8.1)' } }, async (request, reply) => {
    const { tenant, ctx } = await ngsiRequest(request, deps, {
      min: 'operator',
      bodyContext: bodyContextOf(request.body),
    })
    const id = await service.create(tenant, ctx, request.body)
    return reply
      .code(201)
      .header('location', `${PREFIX}/${encodeURIComponent(id)}`)
      .send()
  })

  app.get<{ Querystring: Q }>(
    PREFIX,
    { schema: { tags, summary: 'Query subscriptions (5.8.4)' } },
    async (request, reply) => {
      const rep = negotiate(request, false)
      const { tenant, ctx } = await ngsiRequest(request, deps, { min: 'viewer' })
      const page = parsePage(request.query)
      const { sysAttrs } = parseOptions(request.query)
      const { rows, count } = await service.list(tenant, page)
      if (count !== undefined) reply.header('NGSILD-Results-Count', String(count))
      return sendNgsi(
        reply,
        rep,
        ctx,
        rows.map((r) => renderSubscription(r, ctx, { sysAttrs })),
      )
    },
  )

  app.get(
    `${PREFIX}/:subscriptionId`,
    { schema: { tags, summary: 'Retrieve a subscription (5.8.3)', params: idParams } },
    async (request: IdReq, reply) => {
      const rep = negotiate(request, false)
      const { tenant, ctx } = await ngsiRequest(request, deps, { min: 'viewer' })
      const { sysAttrs } = parseOptions(request.query)
      const row = await service.get(tenant, checkId(request.params.subscriptionId))
      return sendNgsi(reply, rep, ctx, renderSubscription(row, ctx, { sysAttrs }))
    },
  )

  app.patch(
    `${PREFIX}/:subscriptionId`,
    { schema: { tags, summary: 'Update a subscription (5.8.2)', params: idParams } },
    async (request: IdReq, reply) => {
      const { tenant, ctx } = await ngsiRequest(request, deps, {
        min: 'operator',
        bodyContext: bodyContextOf(request.body),
      })
      await service.update(tenant, ctx, checkId(request.params.subscriptionId), request.body)
      return reply.code(204).send()
    },
  )

  app.delete(
    `${PREFIX}/:subscriptionId`,
    { schema: { tags, summary: 'Delete a subscription (5.8.5)', params: idParams } },
    async (request: IdReq, reply) => {
      const { tenant } = await ngsiRequest(request, deps, { min: 'operator', noContext: true })
      await service.delete(tenant, checkId(request.params.subscriptionId))
      return reply.code(204).send()
    },
  )
}
