/**
 * Resolves the principal of every request: `Authorization: Bearer <api key>`, else the session cookie, else anonymous
 * (with the open-mode role when URBE_ANONYMOUS_ROLE is set). Cookie-authenticated writes must carry the session's CSRF
 * token in `X-CSRF-Token`. A wrong bearer key is refused at once; a stale cookie only matters where a login is needed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Config } from '../../config.js'
import { AppError } from '../../errors.js'
import type { Services } from '../../services.js'
import { actorName, actorUserId } from './principal.js'
import { CSRF_HEADER, SESSION_COOKIE } from './session-service.js'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes that take no CSRF token (login). */
    csrfExempt?: boolean
  }
  interface FastifyRequest {
    actor(): { name: string; requestId: string; userId?: string | undefined }
  }
}

export function registerAuthHook(app: FastifyInstance, services: Services, config: Config): void {
  app.decorateRequest('principal', null as any)
  app.decorateRequest('authError', undefined)
  app.decorateRequest('actor', function (this: FastifyRequest) {
    return { name: actorName(this.principal), requestId: String(this.id), userId: actorUserId(this.principal) }
  })

  app.addHook('onRequest', async (request) => {
    request.principal = { kind: 'anonymous', role: config.anonymousRole }
    const authz = request.headers.authorization
    if (authz !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authz)
      if (!m) throw new AppError('Unauthenticated', 'Use "Authorization: Bearer <api key>"')
      request.principal = await services.apiKeys.verify(m[1]!)
      return
    }
    const token = request.cookies?.[SESSION_COOKIE]
    if (!token) return
    const found = await services.sessions.lookup(token)
    if (found instanceof AppError) {
      request.authError = found
      return
    }
    request.principal = found
    if (found.kind === 'user' && !SAFE.has(request.method) && !request.routeOptions.config?.csrfExempt) {
      const sent = request.headers[CSRF_HEADER]
      if (sent !== found.csrfToken) {
        throw new AppError('CsrfFailed', `Cookie-authenticated writes need the ${CSRF_HEADER} header from the login`)
      }
    }
  })
}
