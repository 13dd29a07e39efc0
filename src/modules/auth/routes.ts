/** Login, logout, the current principal, password change; users and API keys of a tenant (its admins). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config.js'
import { tenantParams } from '../../http/schemas.js'
import type { Services } from '../../services.js'
import { existingTenant } from '../tenants/routes.js'
import { requireLogin, requireRole, requireSuperadmin } from './principal.js'
import { SESSION_COOKIE } from './session-service.js'
import { checkRole } from './users-service.js'

type TenantReq = FastifyRequest<{ Params: { tenant: string } }>

function secureCookie(config: Config, request: FastifyRequest): boolean {
  if (config.secureCookies === 'always') return true
  if (config.secureCookies === 'never') return false
  return request.protocol === 'https'
}

export function authRoutes(app: FastifyInstance, services: Services, config: Config): void {
  app.post<{ Body: { username: string; password: string } }>(
    '/api/auth/login',
    {
      config: { csrfExempt: true },
      schema: {
        tags: ['auth'],
        summary: 'Log in: sets the session cookie and returns the CSRF token for writes',
        body: {
          type: 'object',
          required: ['username', 'password'],
          properties: { username: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 256 } },
        },
      },
    },
    async (request, reply) => {
      const s = await services.sessions.login(request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'],
        requestId: String(request.id),
      })
      const user = await services.users.get(s.userId)
      request.log.info({ user: user?.username }, 'login')
      reply.setCookie(SESSION_COOKIE, s.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookie(config, request),
        path: '/',
        expires: s.expiresAt,
      })
      return { user, csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() }
    },
  )

  app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: 'Log out' } }, async (request, reply) => {
    requireLogin(request)
    const token = request.cookies[SESSION_COOKIE]
    if (token) await services.sessions.logout(token)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.code(204).send()
  })

  app.get('/api/auth/me', { schema: { tags: ['auth'], summary: 'Who am I' } }, async (request) => {
    const p = request.principal
    if (p.kind === 'user') {
      const user = await services.users.get(p.userId)
      return { kind: 'user', user, csrfToken: p.csrfToken }
    }
    if (p.kind === 'apikey') return { kind: 'apikey', id: p.keyId, name: p.name, tenant: p.tenant, role: p.role }
    return { kind: 'anonymous', role: p.role ?? null }
  })

  app.post<{ Body: { currentPassword: string; newPassword: string } }>(
    '/api/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change my password (ends my other sessions)',
        body: {
          type: 'object',
          required: ['currentPassword', 'newPassword'],
          properties: { currentPassword: { type: 'string' }, newPassword: { type: 'string' } },
        },
      },
    },
    async (request, reply) => {
      const me = requireLogin(request)
      await services.users.changeOwnPassword(
        me.userId,
        request.body.currentPassword,
        request.body.newPassword,
        request.actor(),
      )
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.code(204).send()
    },
  )

  // ---- users of a tenant
  app.get('/api/users', { schema: { tags: ['users'], summary: 'All users (platform admin)' } }, async (request) => {
    requireSuperadmin(request)
    return services.users.list()
  })

  app.get<{ Params: { tenant: string } }>(
    '/api/tenants/:tenant/users',
    { schema: { tags: ['users'], summary: 'Users with a role in this Comune (its admins)', params: tenantParams } },
    async (request: TenantReq) => {
      requireRole(request, request.params.tenant, 'admin')
      return services.users.list(await existingTenant(services, request))
    },
  )

  app.post<{
    Params: { tenant: string }
    Body: { username: string; password?: string; displayName?: string; role: string }
  }>(
    '/api/tenants/:tenant/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Give a user a role in this Comune, creating the account when a password is given',
        params: tenantParams,
        body: {
          type: 'object',
          required: ['username', 'role'],
          properties: {
            username: { type: 'string' },
            password: { type: 'string' },
            displayName: { type: 'string' },
            role: { type: 'string', enum: ['viewer', 'operator', 'admin'] },
          },
        },
      },
    },
    async (request, reply: FastifyReply) => {
      requireRole(request, request.params.tenant, 'admin')
      const tenant = await existingTenant(services, request)
      const role = checkRole(request.body.role)
      let user = await services.users.findByName(String(request.body.username))
      let status = 200
      if (!user) {
        user = await services.users.create(request.body, request.actor())
        status = 201
      }
      await services.users.setRole(tenant, user.id, role, request.actor())
      return reply.code(status).send(await services.users.get(user.id))
    },
  )

  app.delete<{ Params: { tenant: string; userId: string } }>(
    '/api/tenants/:tenant/users/:userId',
    {
      schema: {
        tags: ['users'],
        summary: "Remove a user's role in this Comune",
        params: {
          type: 'object',
          properties: { tenant: { type: 'string' }, userId: { type: 'string', format: 'uuid' } },
        },
      },
    },
    async (request, reply) => {
      requireRole(request, request.params.tenant, 'admin')
      await services.users.removeRole(await existingTenant(services, request), request.params.userId, request.actor())
      return reply.code(204).send()
    },
  )

  // ---- API keys of a tenant
  app.get<{ Params: { tenant: string } }>(
    '/api/tenants/:tenant/apikeys',
    { schema: { tags: ['apikeys'], summary: 'API keys of this Comune (its admins)', params: tenantParams } },
    async (request) => {
      requireRole(request, request.params.tenant, 'admin')
      return services.apiKeys.list(await existingTenant(services, request))
    },
  )

  app.post<{
    Params: { tenant: string }
    Body: { name: string; role: string; expiresAt?: string; expiresInDays?: number }
  }>(
    '/api/tenants/:tenant/apikeys',
    {
      schema: {
        tags: ['apikeys'],
        summary: 'Create an API key (the key is shown once, in this answer)',
        params: tenantParams,
        body: {
          type: 'object',
          required: ['name', 'role'],
          properties: {
            name: { type: 'string', maxLength: 100 },
            role: { type: 'string', enum: ['viewer', 'operator', 'admin'] },
            expiresAt: { type: 'string', format: 'date-time' },
            expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 },
          },
        },
      },
    },
    async (request, reply) => {
      requireRole(request, request.params.tenant, 'admin')
      const key = await services.apiKeys.create(await existingTenant(services, request), request.body, request.actor())
      return reply.code(201).send(key)
    },
  )

  app.delete<{ Params: { tenant: string; id: string } }>(
    '/api/tenants/:tenant/apikeys/:id',
    {
      schema: {
        tags: ['apikeys'],
        summary: 'Revoke an API key',
        params: { type: 'object', properties: { tenant: { type: 'string' }, id: { type: 'string', maxLength: 64 } } },
      },
    },
    async (request, reply) => {
      requireRole(request, request.params.tenant, 'admin')
      await services.apiKeys.revoke(await existingTenant(services, request), request.params.id, request.actor())
      return reply.code(204).send()
    },
  )
}
