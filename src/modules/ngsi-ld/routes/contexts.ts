/**
 * /ngsi-ld/v1/jsonldContexts (5.13): the @context documents the broker knows: built in (core, Smart Data Models),
 * cached once fetched, and hosted (added by clients). Hosted contexts are served at their own URL here.
 */
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../../../errors.js'
import { requireRole, requireSuperadmin } from '../../auth/principal.js'
import { type ContextStore, getContextDocument, isBuiltinContextUrl, listBuiltinContexts } from '../context/index.js'
import { type NgsiDeps, tenantOf } from '../http/request.js'
import { tags } from './schemas.js'

const PREFIX = '/ngsi-ld/v1/jsonldContexts'
type Req = FastifyRequest<{ Querystring: Record<string, unknown>; Params: { contextId: string } }>

export function contextRoutes(app: FastifyInstance, deps: NgsiDeps, store: ContextStore): void {
  const hostedUrl = (request: FastifyRequest, id: string) => `${request.protocol}://${request.host}${PREFIX}/${id}`

  /** A context id in the path is the URL-encoded URL, or the local id of a hosted context. */
  async function urlOf(request: Req): Promise<string> {
    const id = request.params.contextId
    if (/^[0-9a-f-]{36}$/.test(id)) return hostedUrl(request, id)
    return id
  }

  app.get(`${PREFIX}`, { schema: { tags, summary: 'List @contexts (5.13.3)' } }, async (request: Req) => {
    requireRole(request, tenantOf(request, deps.config), 'viewer')
    const stored = await store.list()
    const kind = request.query.kind
    const all = [
      ...listBuiltinContexts().map((b) => ({ URL: b.url, localId: b.url, kind: 'Cached', builtin: true })),
      ...stored.map((s) => ({
        URL: s.url,
        localId: s.url.split('/').pop(),
        kind: s.kind,
        createdAt: s.fetchedAt,
        bytes: s.bytes,
      })),
    ].filter((c) => kind === undefined || c.kind === kind)
    return request.query.details === 'true' ? all : all.map((c) => c.URL)
  })

  app.post(`${PREFIX}`, { schema: { tags, summary: 'Add (host) an @context (5.13.2)' } }, async (request, reply) => {
    requireRole(request, tenantOf(request, deps.config), 'operator')
    const body = request.body as Record<string, unknown> | undefined
    if (!body || typeof body !== 'object' || Array.isArray(body) || !('@context' in body)) {
      throw new AppError('BadRequestData', 'The payload must be a JSON object with an "@context" member')
    }
    const id = randomUUID()
    const url = hostedUrl(request, id)
    // Check it resolves (a context referring to unreachable or invalid documents is refused) before storing it.
    await deps.resolver.resolve(body['@context'])
    await store.put(url, { '@context': body['@context'] }, 'Hosted')
    return reply.code(201).header('location', `${PREFIX}/${id}`).send()
  })

  app.get(
    `${PREFIX}/:contextId`,
    { schema: { tags, summary: 'Serve an @context (5.13.4)' } },
    async (request: Req, reply) => {
      const url = await urlOf(request)
      const doc = await getContextDocument(url, store)
      if (!doc) throw new AppError('ResourceNotFound', `No @context ${url}`)
      if (request.query.details === 'true')
        return { URL: doc.url, kind: doc.source === 'Builtin' ? 'Cached' : 'Stored', createdAt: doc.fetchedAt }
      return reply.type('application/ld+json').send(doc.body)
    },
  )

  app.delete(
    `${PREFIX}/:contextId`,
    { schema: { tags, summary: 'Delete or reload an @context (5.13.5)' } },
    async (request: Req, reply) => {
      requireSuperadmin(request)
      const url = await urlOf(request)
      if (isBuiltinContextUrl(url))
        throw new AppError('OperationNotSupported', `${url} is built in and cannot be deleted`)
      if (!(await store.delete(url))) throw new AppError('ResourceNotFound', `No stored @context ${url}`)
      deps.resolver.invalidate(url)
      if (request.query.reload === 'true') await deps.resolver.resolve(url)
      return reply.code(204).send()
    },
  )
}
