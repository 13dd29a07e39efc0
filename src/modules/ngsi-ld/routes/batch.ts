/** /ngsi-ld/v1/entityOperations: batch create, upsert, update, delete (5.6.7-5.6.10) and query (5.7.2 by POST). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../../errors.js'
import type { BatchItem, BatchResult, BatchService } from '../batch.js'
import { contextFromRequest } from '../context/index.js'
import { parseOptions, parseQueryBody } from '../http/query-params.js'
import { bodyContextOf, type NgsiDeps, ngsiRequest } from '../http/request.js'
import { negotiate, sendNgsi } from '../http/respond.js'
import * as repo from '../repo.js'
import { renderEntities } from './entities.js'
import { tags } from './schemas.js'

const PREFIX = '/ngsi-ld/v1/entityOperations'
type Req = FastifyRequest<{ Querystring: Record<string, unknown> }>

export function batchRoutes(app: FastifyInstance, deps: NgsiDeps, batch: BatchService): void {
  function array(body: unknown): unknown[] {
    if (!Array.isArray(body)) throw new AppError('BadRequestData', 'The payload must be a JSON array')
    if (body.length === 0) throw new AppError('BadRequestData', 'The batch is empty')
    if (body.length > deps.config.batchLimit) {
      throw new AppError(
        'BadRequestData',
        `A batch holds at most ${deps.config.batchLimit} entities (URBE_BATCH_LIMIT); this one has ${body.length}`,
      )
    }
    return body
  }

  /** Each entity's @context: its own `@context` (ld+json) or the Link header's (json). */
  async function items(request: Req, bodies: unknown[]): Promise<BatchItem[]> {
    return Promise.all(
      bodies.map(async (body) => ({
        body,
        ctx: await deps.resolver.resolve(
          contextFromRequest({
            method: request.method,
            contentType: request.headers['content-type'],
            linkHeader: request.headers.link,
            bodyContext: bodyContextOf(body),
          }),
        ),
      })),
    )
  }

  /** 204 when everything succeeded (201 with ids for creations), 207 with the BatchOperationResult otherwise. */
  function send(reply: FastifyReply, r: BatchResult, created: boolean) {
    if (r.errors.length) return reply.code(207).send({ success: r.success, errors: r.errors })
    if (created && r.created.length) return reply.code(201).send(r.created)
    return reply.code(204).send()
  }

  app.post(`${PREFIX}/create`, { schema: { tags, summary: 'Batch create (5.6.7)' } }, async (request: Req, reply) => {
    const bodies = array(request.body)
    const { tenant } = await ngsiRequest(request, deps, { min: 'operator', createsTenant: true, noContext: true })
    return send(reply, await batch.create(tenant, await items(request, bodies)), true)
  })

  app.post(
    `${PREFIX}/upsert`,
    { schema: { tags, summary: 'Batch upsert (5.6.8), options=replace|update' } },
    async (request: Req, reply) => {
      const bodies = array(request.body)
      const { tenant } = await ngsiRequest(request, deps, { min: 'operator', createsTenant: true, noContext: true })
      const mode = parseOptions(request.query).flags.has('update') ? 'update' : 'replace'
      return send(reply, await batch.upsert(tenant, await items(request, bodies), mode), true)
    },
  )

  app.post(
    `${PREFIX}/update`,
    { schema: { tags, summary: 'Batch update (5.6.9), options=noOverwrite' } },
    async (request: Req, reply) => {
      const bodies = array(request.body)
      const { tenant } = await ngsiRequest(request, deps, { min: 'operator', noContext: true })
      const noOverwrite = parseOptions(request.query).flags.has('noOverwrite')
      return send(reply, await batch.update(tenant, await items(request, bodies), noOverwrite), false)
    },
  )

  app.post(`${PREFIX}/delete`, { schema: { tags, summary: 'Batch delete (5.6.10)' } }, async (request: Req, reply) => {
    const ids = array(request.body)
    const { tenant } = await ngsiRequest(request, deps, { min: 'operator', noContext: true })
    return send(reply, await batch.delete(tenant, ids), false)
  })

  app.post(
    `${PREFIX}/query`,
    { schema: { tags, summary: 'Query entities with a Query payload (5.7.2)' } },
    async (request: Req, reply) => {
      const rep = negotiate(request)
      const { tenant, ctx } = await ngsiRequest(request, deps, {
        min: 'viewer',
        bodyContext: bodyContextOf(request.body),
      })
      const q = parseQueryBody(request.body, request.query, ctx)
      const [entities, count] = await Promise.all([
        repo.queryEntities(deps.db, tenant, q.filter, q),
        q.count ? repo.countEntities(deps.db, tenant, q.filter) : Promise.resolve(undefined),
      ])
      if (count !== undefined) reply.header('NGSILD-Results-Count', String(count))
      return sendNgsi(reply, rep, ctx, renderEntities(entities, ctx, q.render, rep))
    },
  )
}
