/**
 * Per-request NGSI-LD state: the tenant (NGSILD-Tenant header, else the default tenant), the caller's access to it,
 * and the @context (Link header or payload) resolved to an ActiveContext.
 */
import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../../../db/schema.js'
import { type Config, type Role, TENANT_ID_RE } from '../../../config.js'
import { AppError } from '../../../errors.js'
import type { Services } from '../../../services.js'
import { isSuperadmin, requireRole } from '../../auth/principal.js'
import { type ActiveContext, type ContextResolver, contextFromRequest } from '../context/index.js'

export const TENANT_HEADER = 'ngsild-tenant'

export interface NgsiDeps {
  db: Kysely<DB>
  config: Config
  services: Services
  resolver: ContextResolver
}

export interface NgsiRequest {
  tenant: string
  ctx: ActiveContext
}

export function tenantOf(request: FastifyRequest, config: Config): string {
  const h = request.headers[TENANT_HEADER]
  const t = Array.isArray(h) ? h[0] : h
  if (t === undefined || t === '') return config.defaultTenant
  if (!TENANT_ID_RE.test(t)) throw new AppError('BadRequestData', `Invalid ${TENANT_HEADER} header "${t.slice(0, 80)}"`)
  return t
}

/** May this caller create a tenant by writing into it (clause 4.14: implicit creation by a platform admin)? */
function mayCreateTenant(request: FastifyRequest): boolean {
  const p = request.principal
  return isSuperadmin(p) || (p.kind === 'anonymous' && p.role === 'admin')
}

/**
 * Checks access (viewer to read, operator to write) and that the tenant exists; a write by a platform admin into an
 * unknown tenant creates it. Resolves the request's @context (`bodyContext` for payloads with `@context`).
 */
export async function ngsiRequest(
  request: FastifyRequest,
  deps: NgsiDeps,
  opts: { min: Role; createsTenant?: boolean; bodyContext?: unknown; noContext?: boolean },
): Promise<NgsiRequest> {
  const tenant = tenantOf(request, deps.config)
  requireRole(request, tenant, opts.min)
  if (!(await deps.services.tenants.exists(tenant))) {
    if (opts.createsTenant && mayCreateTenant(request)) await deps.services.tenants.ensure(tenant, request.actor())
    else throw new AppError('NonexistentTenant', `Tenant ${tenant} does not exist`)
  }
  if (opts.noContext) return { tenant, ctx: deps.resolver.core }
  const value = contextFromRequest({
    method: request.method,
    contentType: request.headers['content-type'],
    linkHeader: request.headers.link,
    bodyContext: opts.bodyContext,
  })
  return { tenant, ctx: await deps.resolver.resolve(value) }
}

/** The `@context` member of a JSON object payload, or undefined. */
export function bodyContextOf(body: unknown): unknown {
  return body && typeof body === 'object' && !Array.isArray(body) && '@context' in body
    ? (body as Record<string, unknown>)['@context']
    : undefined
}
