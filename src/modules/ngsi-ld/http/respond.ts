/**
 * Content negotiation of NGSI-LD responses (clause 6.3.6): application/json with the @context in a Link header,
 * application/ld+json with it in the body, application/geo+json as GeoJSON.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../../errors.js'
import { type ActiveContext, contextLinkHeader, DEFAULT_RESPONSE_CONTEXT } from '../context/index.js'

export type Representation = 'json' | 'ld+json' | 'geo+json'

const TYPES: Record<string, Representation> = {
  'application/json': 'json',
  'application/ld+json': 'ld+json',
  'application/geo+json': 'geo+json',
  'application/*': 'json',
  '*/*': 'json',
}

/** The representation the client accepts, best first (q-values honoured); 406 when none is offered. */
export function negotiate(request: FastifyRequest, allowGeo = true): Representation {
  const accept = request.headers.accept
  if (!accept) return 'json'
  const ranges = accept
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part.trim().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      return { type: (type ?? '').trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, i }
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
  for (const r of ranges) {
    const rep = TYPES[r.type]
    if (rep && (rep !== 'geo+json' || allowGeo)) return rep
  }
  throw new AppError(
    'NotAcceptable',
    `None of the accepted types (${accept.slice(0, 200)}) is offered: use application/json, application/ld+json${allowGeo ? ' or application/geo+json' : ''}`,
  )
}

/** The @context to announce: the request's own when it is one URL, else the core context. */
export function responseContextUrl(ctx: ActiveContext): string {
  const v = ctx.value
  if (typeof v === 'string') return v
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0]
  return DEFAULT_RESPONSE_CONTEXT
}

/** Sends an entity (or list) in the negotiated representation. */
export function sendNgsi(reply: FastifyReply, rep: Representation, ctx: ActiveContext, body: unknown, status = 200) {
  if (rep === 'ld+json') {
    const withCtx = Array.isArray(body)
      ? body.map((b) => ({ '@context': ctx.value ?? DEFAULT_RESPONSE_CONTEXT, ...(b as object) }))
      : { '@context': ctx.value ?? DEFAULT_RESPONSE_CONTEXT, ...(body as object) }
    return reply.code(status).type('application/ld+json').send(withCtx)
  }
  reply.header('link', contextLinkHeader(responseContextUrl(ctx)))
  return reply
    .code(status)
    .type(rep === 'geo+json' ? 'application/geo+json' : 'application/json')
    .send(body)
}
