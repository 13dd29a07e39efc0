/** Local accounts, their roles per tenant, and password changes. */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { ROLES, type Role } from '../../config.js'
import type { DB } from '../../db/schema.js'
import { AppError } from '../../errors.js'
import { type AuditActor, type AuditService, PLATFORM } from '../audit/service.js'
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.js'

export interface User {
  id: string
  username: string
  displayName: string | null
  superadmin: boolean
  disabled: boolean
  roles: Record<string, Role>
  createdAt: string
}

const USERNAME_RE = /^[a-z0-9][a-z0-9._@-]{1,63}$/

export function checkUsername(u: unknown): string {
  if (typeof u !== 'string' || !USERNAME_RE.test(u)) {
    throw new AppError(
      'BadRequestData',
      'A user name has 2 to 64 characters: lower-case letters, digits, dot, underscore, @ and -',
    )
  }
  return u
}

export function checkRole(r: unknown): Role {
  if (typeof r !== 'string' || !(ROLES as readonly string[]).includes(r)) {
    throw new AppError('BadRequestData', `role must be one of ${ROLES.join(', ')}`)
  }
  return r as Role
}

export function createUserService(db: Kysely<DB>, audit: AuditService) {
  async function rolesOf(userIds: string[]): Promise<Map<string, Record<string, Role>>> {
    const map = new Map<string, Record<string, Role>>()
    if (userIds.length === 0) return map
    const rows = await db.selectFrom('user_roles').selectAll().where('user_id', 'in', userIds).execute()
    for (const r of rows) {
      const m = map.get(r.user_id) ?? {}
      m[r.tenant] = r.role as Role
      map.set(r.user_id, m)
    }
    return map
  }

  function toUser(r: any, roles: Record<string, Role>): User {
    return {
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      superadmin: r.superadmin,
      disabled: r.disabled,
      roles,
      createdAt: new Date(r.created_at).toISOString(),
    }
  }

  async function byUsername(username: string) {
    return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst()
  }

  return {
    byUsername,

    async get(id: string): Promise<User | undefined> {
      const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
      if (!r) return undefined
      return toUser(r, (await rolesOf([r.id])).get(r.id) ?? {})
    },

    async findByName(username: string): Promise<User | undefined> {
      const r = await byUsername(username)
      if (!r) return undefined
      return toUser(r, (await rolesOf([r.id])).get(r.id) ?? {})
    },

    /** Users holding a role in `tenant` (or all users with `tenant` undefined). */
    async list(tenant?: string): Promise<User[]> {
      let q = db.selectFrom('users').selectAll('users')
      if (tenant)
        q = q.innerJoin('user_roles', 'user_roles.user_id', 'users.id').where('user_roles.tenant', '=', tenant)
      const rows = await q.orderBy('username').execute()
      const roles = await rolesOf(rows.map((r) => r.id))
      return rows.map((r) => {
        const all = roles.get(r.id) ?? {}
        return toUser(r, tenant ? (all[tenant] ? { [tenant]: all[tenant] } : {}) : all)
      })
    },

    async create(
      input: { username: unknown; password?: unknown; displayName?: unknown; superadmin?: boolean },
      actor: AuditActor,
    ): Promise<User> {
      const username = checkUsername(input.username)
      const password = checkPasswordPolicy(input.password)
      const displayName =
        input.displayName === undefined || input.displayName === null ? null : String(input.displayName).slice(0, 200)
      const hash = await hashPassword(password)
      const id = randomUUID()
      await db.transaction().execute(async (trx) => {
        const exists = await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()
        if (exists) throw new AppError('AlreadyExists', `User ${username} already exists`)
        await trx
          .insertInto('users')
          .values({ id, username, display_name: displayName, password_hash: hash, superadmin: !!input.superadmin })
          .execute()
        await audit.record(actor, PLATFORM, 'user.create', username, { superadmin: !!input.superadmin }, trx)
      })
      return (await this.get(id))!
    },

    async setRole(tenant: string, userId: string, role: Role, actor: AuditActor): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const u = await trx.selectFrom('users').select('username').where('id', '=', userId).executeTakeFirst()
        if (!u) throw new AppError('ResourceNotFound', `User ${userId} does not exist`)
        await trx
          .insertInto('user_roles')
          .values({ tenant, user_id: userId, role })
          .onConflict((oc) => oc.columns(['tenant', 'user_id']).doUpdateSet({ role }))
          .execute()
        await audit.record(actor, tenant, 'user.role.set', u.username, { role }, trx)
      })
    },

    async removeRole(tenant: string, userId: string, actor: AuditActor): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .deleteFrom('user_roles')
          .where('tenant', '=', tenant)
          .where('user_id', '=', userId)
          .executeTakeFirst()
        if (Number(r.numDeletedRows) === 0) {
          throw new AppError('ResourceNotFound', `User ${userId} has no role in tenant ${tenant}`)
        }
        await trx.deleteFrom('sessions').where('user_id', '=', userId).execute()
        await audit.record(actor, tenant, 'user.role.remove', userId, {}, trx)
      })
    },

    async setPassword(username: string, password: unknown, actor: AuditActor): Promise<void> {
      const hash = await hashPassword(checkPasswordPolicy(password))
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('users')
          .set({ password_hash: hash, updated_at: new Date() })
          .where('username', '=', username)
          .executeTakeFirst()
        if (Number(r.numUpdatedRows) === 0) throw new AppError('ResourceNotFound', `User ${username} does not exist`)
        // A new password ends every open session of that user.
        const u = await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()
        await trx.deleteFrom('sessions').where('user_id', '=', u.id).execute()
        await audit.record(actor, PLATFORM, 'user.password', username, {}, trx)
      })
    },

    async changeOwnPassword(userId: string, current: unknown, next: unknown, actor: AuditActor): Promise<void> {
      const r = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst()
      if (!r || typeof current !== 'string' || !(await verifyPassword(current, r.password_hash))) {
        throw new AppError('Forbidden', 'The current password is wrong')
      }
      await this.setPassword(r.username, next, actor)
    },
  }
}

export type UserService = ReturnType<typeof createUserService>
