/**
 * Who is making a request, and what they may do. Roles are per tenant (viewer < operator < admin); a platform
 * superadmin may do everything everywhere; an API key belongs to exactly one tenant with one role.
 */
import type { FastifyRequest } from 'fastify'
import type { Role } from '../../config.js'
import { AppError } from '../../errors.js'

export type Principal =
  | { kind: 'anonymous'; role?: Role | undefined }
  | {
      kind: 'user'
      userId: string
      username: string
      superadmin: boolean
      roles: Record<string, Role>
      csrfToken: string
    }
  | { kind: 'apikey'; keyId: string; name: string; tenant: string; role: Role }

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 }

export const roleAtLeast = (role: Role | undefined, min: Role): boolean => role !== undefined && RANK[role] >= RANK[min]

/** The principal's role in a tenant (`admin` for a superadmin), or undefined. */
export function roleIn(p: Principal, tenant: string): Role | undefined {
  switch (p.kind) {
    case 'user':
      return p.superadmin ? 'admin' : p.roles[tenant]
    case 'apikey':
      return p.tenant === tenant ? p.role : undefined
    case 'anonymous':
      return p.role
  }
}

export const isSuperadmin = (p: Principal): boolean => p.kind === 'user' && p.superadmin

/** Describes the actor for the audit log. */
export function actorName(p: Principal): string {
  switch (p.kind) {
    case 'user':
      return `user:${p.username}`
    case 'apikey':
      return `apikey:${p.keyId}`
    case 'anonymous':
      return 'anonymous'
  }
}

export function actorUserId(p: Principal): string | undefined {
  return p.kind === 'user' ? p.userId : undefined
}

function unauthenticated(request: FastifyRequest): AppError {
  return request.authError ?? new AppError('Unauthenticated', 'This operation needs a login session or an API key')
}

/** Throws unless the request may act in `tenant` with at least `min`. */
export function requireRole(request: FastifyRequest, tenant: string, min: Role): void {
  const p = request.principal
  if (p.kind === 'anonymous' && !p.role) throw unauthenticated(request)
  if (p.kind === 'apikey' && p.tenant !== tenant) {
    throw new AppError('Forbidden', `This API key belongs to tenant ${p.tenant}, not to ${tenant}`)
  }
  const role = roleIn(p, tenant)
  if (!role) throw new AppError('Forbidden', `No role in tenant ${tenant}`)
  if (!roleAtLeast(role, min))
    throw new AppError('Forbidden', `This operation needs the ${min} role in tenant ${tenant}`)
}

export function requireSuperadmin(request: FastifyRequest): void {
  const p = request.principal
  if (p.kind === 'anonymous' && !p.role) throw unauthenticated(request)
  if (!isSuperadmin(p)) throw new AppError('Forbidden', 'This operation is reserved to platform administrators')
}

export function requireLogin(request: FastifyRequest): Extract<Principal, { kind: 'user' }> {
  const p = request.principal
  if (p.kind !== 'user') throw unauthenticated(request)
  return p
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal
    /** Set when the request carried a session cookie that is no longer valid. */
    authError: AppError | undefined
  }
}
