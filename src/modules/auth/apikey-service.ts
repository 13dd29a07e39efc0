/**
 * API keys: `urbe_<12 hex id>_<43 char secret>`, stored as a SHA-256 of the secret (the secret has 256 bits of
 * entropy, so a slow hash adds nothing), shown once, scoped to a tenant and a role, expiring, revocable.
 * Verified keys are cached for a few seconds per process so that the hot read path does not pay a query per request;
 * a revocation is immediate in the process that made it and takes effect within `CACHE_MS` in the others.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Role } from '../../config.js'
import type { DB } from '../../db/schema.js'
import { AppError } from '../../errors.js'
import type { AuditActor, AuditService } from '../audit/service.js'
import type { Principal } from './principal.js'
import { sha256 } from './session-service.js'
import { checkRole } from './users-service.js'

const KEY_RE = /^urbe_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/
const CACHE_MS = 5_000
const DEFAULT_DAYS = 365

export interface ApiKeyInfo {
  id: string
  tenant: string
  name: string
  role: Role
  createdAt: string
  expiresAt: string | null
  revokedAt: string | null
  lastUsedAt: string | null
  status: 'active' | 'expired' | 'revoked'
}

interface Cached {
  hash: string
  tenant: string
  role: Role
  name: string
  expiresAt: number | null
  revoked: boolean
  at: number
  /** The secret that matched `hash` last: the next requests with it skip the SHA-256 (compared in constant time). */
  verified?: Buffer
}

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null)

export function createApiKeyService(db: Kysely<DB>, audit: AuditService) {
  const cache = new Map<string, Cached>()
  const lastTouched = new Map<string, number>()

  function toInfo(r: any): ApiKeyInfo {
    const now = Date.now()
    const status = r.revoked_at
      ? 'revoked'
      : r.expires_at && new Date(r.expires_at).getTime() < now
        ? 'expired'
        : 'active'
    return {
      id: r.id,
      tenant: r.tenant,
      name: r.name,
      role: r.role,
      createdAt: iso(r.created_at)!,
      expiresAt: iso(r.expires_at),
      revokedAt: iso(r.revoked_at),
      lastUsedAt: iso(r.last_used_at),
      status,
    }
  }

  return {
    async create(
      tenant: string,
      input: { name: unknown; role: unknown; expiresAt?: unknown; expiresInDays?: unknown },
      actor: AuditActor & { userId?: string | undefined },
    ): Promise<ApiKeyInfo & { key: string }> {
      if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 100) {
        throw new AppError('BadRequestData', 'name must be a non-empty string of at most 100 characters')
      }
      const role = checkRole(input.role)
      let expiresAt: Date | null
      if (input.expiresAt !== undefined && input.expiresAt !== null) {
        expiresAt = new Date(String(input.expiresAt))
        if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now()) {
          throw new AppError('BadRequestData', 'expiresAt must be a date-time in the future')
        }
      } else {
        const days = input.expiresInDays === undefined ? DEFAULT_DAYS : Number(input.expiresInDays)
        if (!Number.isInteger(days) || days < 1 || days > 3650) {
          throw new AppError('BadRequestData', 'expiresInDays must be an integer from 1 to 3650')
        }
        expiresAt = new Date(Date.now() + days * 86_400_000)
      }
      const id = randomBytes(6).toString('hex')
      const secret = randomBytes(32).toString('base64url')
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('api_keys')
          .values({
            tenant,
            id,
            name: input.name as string,
            key_hash: sha256(secret),
            role,
            created_by: actor.userId ?? null,
            expires_at: expiresAt,
          })
          .execute()
        await audit.record(actor, tenant, 'apikey.create', id, { name: input.name, role }, trx)
      })
      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
      return { ...toInfo(row), key: `urbe_${id}_${secret}` }
    },

    async list(tenant: string): Promise<ApiKeyInfo[]> {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('tenant', '=', tenant)
        .orderBy('created_at', 'desc')
        .execute()
      return rows.map(toInfo)
    },

    async revoke(tenant: string, id: string, actor: AuditActor): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('api_keys')
          .set({ revoked_at: new Date() })
          .where('tenant', '=', tenant)
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst()
        if (Number(r.numUpdatedRows) === 0) {
          throw new AppError('ResourceNotFound', `No active API key ${id} in tenant ${tenant}`)
        }
        await audit.record(actor, tenant, 'apikey.revoke', id, {}, trx)
      })
      cache.delete(id)
    },

    /** The principal of a bearer key, or throws 401. */
    async verify(key: string): Promise<Principal> {
      const m = KEY_RE.exec(key)
      if (!m) throw new AppError('Unauthenticated', 'Malformed API key')
      const [, id, secret] = m as unknown as [string, string, string]
      let c = cache.get(id)
      if (!c || Date.now() - c.at > CACHE_MS) {
        const r = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst()
        if (!r) throw new AppError('Unauthenticated', 'Unknown API key')
        c = {
          hash: r.key_hash,
          tenant: r.tenant,
          role: r.role as Role,
          name: r.name,
          expiresAt: r.expires_at ? new Date(r.expires_at).getTime() : null,
          revoked: !!r.revoked_at,
          at: Date.now(),
        }
        if (cache.size > 10_000) cache.clear()
        cache.set(id, c)
      }
      const plain = Buffer.from(secret)
      if (!c.verified || !timingSafeEqual(plain, c.verified)) {
        const given = Buffer.from(sha256(secret))
        const stored = Buffer.from(c.hash)
        if (given.length !== stored.length || !timingSafeEqual(given, stored))
          throw new AppError('Unauthenticated', 'Wrong API key')
        c.verified = plain
      }
      if (c.revoked) throw new AppError('Unauthenticated', 'This API key has been revoked')
      if (c.expiresAt !== null && c.expiresAt < Date.now())
        throw new AppError('Unauthenticated', 'This API key has expired')
      const now = Date.now()
      if ((lastTouched.get(id) ?? 0) < now - 60_000) {
        lastTouched.set(id, now)
        db.updateTable('api_keys')
          .set({ last_used_at: new Date() })
          .where('id', '=', id)
          .execute()
          .catch(() => {})
      }
      return { kind: 'apikey', keyId: id, name: c.name, tenant: c.tenant, role: c.role }
    },
  }
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>
