/**
 * Login sessions: a random token in an HttpOnly cookie, stored hashed with its CSRF token and expiry; failed logins are
 * counted in the database (per user name and per address) so the rate limit holds across several servers.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Config, Role } from '../../config.js'
import type { DB } from '../../db/schema.js'
import { AppError } from '../../errors.js'
import type { AuditService } from '../audit/service.js'
import { dummyHash, verifyPassword } from './password.js'
import type { Principal } from './principal.js'

export const SESSION_COOKIE = 'urbe_session'
export const CSRF_HEADER = 'x-csrf-token'

export const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url')

export function createSessionService(db: Kysely<DB>, config: Config, audit: AuditService) {
  const windowMs = config.loginWindowMinutes * 60_000

  async function tooManyFailures(username: string, ip: string): Promise<boolean> {
    const since = new Date(Date.now() - windowMs)
    const [byUser, byIp] = await Promise.all([
      db
        .selectFrom('login_failures')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('username', '=', username)
        .where('at', '>', since)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('login_failures')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('ip', '=', ip)
        .where('at', '>', since)
        .executeTakeFirstOrThrow(),
    ])
    return Number(byUser.n) >= config.loginMaxAttempts || Number(byIp.n) >= config.loginMaxAttempts * 5
  }

  return {
    async login(
      input: { username: unknown; password: unknown },
      meta: { ip: string; userAgent?: string | undefined; requestId?: string },
    ) {
      if (
        typeof input.username !== 'string' ||
        typeof input.password !== 'string' ||
        input.username.length > 64 ||
        input.password.length > 256
      ) {
        throw new AppError('BadRequestData', 'username and password are required strings')
      }
      const username = input.username.toLowerCase()
      if (await tooManyFailures(username, meta.ip)) {
        throw new AppError('RateLimited', `Too many failed logins; try again in ${config.loginWindowMinutes} minutes`)
      }
      const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst()
      // Without such a user, still spend the time of a hash check, so timing does not tell which names exist.
      const ok = await verifyPassword(input.password, user ? user.password_hash : await dummyHash())
      if (!user || !ok || user.disabled) {
        await db.insertInto('login_failures').values({ username, ip: meta.ip }).execute()
        throw new AppError('Unauthenticated', 'Wrong user name or password')
      }
      const token = randomBytes(32).toString('base64url')
      const csrfToken = randomBytes(24).toString('base64url')
      const expiresAt = new Date(Date.now() + config.sessionTtlHours * 3600_000)
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('sessions')
          .values({
            token_hash: sha256(token),
            user_id: user.id,
            csrf_token: csrfToken,
            expires_at: expiresAt,
            ip: meta.ip,
            user_agent: meta.userAgent?.slice(0, 300) ?? null,
          })
          .execute()
        await trx.deleteFrom('login_failures').where('username', '=', username).execute()
        await trx.deleteFrom('sessions').where('expires_at', '<', new Date()).execute()
      })
      void audit
      return { token, csrfToken, expiresAt, userId: user.id }
    },

    /** The principal of a session token, or an error saying why it is not valid. */
    async lookup(token: string): Promise<Principal | AppError> {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
          'sessions.user_id',
          'sessions.csrf_token',
          'sessions.expires_at',
          'users.username',
          'users.superadmin',
          'users.disabled',
        ])
        .where('sessions.token_hash', '=', sha256(token))
        .executeTakeFirst()
      if (!row || row.disabled) return new AppError('Unauthenticated', 'Unknown session: please log in again')
      if (new Date(row.expires_at).getTime() < Date.now()) {
        return new AppError('Unauthenticated', 'The session has expired: please log in again')
      }
      const roles = await db
        .selectFrom('user_roles')
        .select(['tenant', 'role'])
        .where('user_id', '=', row.user_id)
        .execute()
      return {
        kind: 'user',
        userId: row.user_id,
        username: row.username,
        superadmin: row.superadmin,
        roles: Object.fromEntries(roles.map((r) => [r.tenant, r.role as Role])),
        csrfToken: row.csrf_token,
      }
    },

    async logout(token: string): Promise<void> {
      await db.deleteFrom('sessions').where('token_hash', '=', sha256(token)).execute()
    },
  }
}

export type SessionService = ReturnType<typeof createSessionService>
