/** The audit log: every administrative change (who, what, when, tenant). Platform-wide changes use tenant `_platform`. */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'

export const PLATFORM = '_platform'

export interface AuditActor {
  name: string
  requestId?: string | undefined
}

export interface AuditEntry {
  id: number
  tenant: string
  at: string
  actor: string
  action: string
  target: string
  details: Record<string, unknown>
  requestId: string | null
}

export function createAuditService(db: Kysely<DB>) {
  return {
    /** Records an entry; pass a transaction as `executor` to commit it atomically with the change. */
    async record(
      actor: AuditActor,
      tenant: string,
      action: string,
      target: string,
      details: Record<string, unknown> = {},
      executor: Kysely<DB> = db,
    ): Promise<void> {
      await executor
        .insertInto('audit_log')
        .values({
          tenant,
          actor: actor.name,
          action,
          target,
          details: JSON.stringify(details),
          request_id: actor.requestId ?? null,
        })
        .execute()
    },

    async list(tenant: string, opts: { limit: number; offset: number; action?: string | undefined }) {
      let q = db.selectFrom('audit_log').where('tenant', '=', tenant)
      if (opts.action) q = q.where('action', '=', opts.action)
      const [rows, total] = await Promise.all([
        q.selectAll().orderBy('id', 'desc').limit(opts.limit).offset(opts.offset).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ])
      const entries: AuditEntry[] = rows.map((r) => ({
        id: r.id,
        tenant: r.tenant,
        at: new Date(r.at).toISOString(),
        actor: r.actor,
        action: r.action,
        target: r.target,
        details: r.details,
        requestId: r.request_id,
      }))
      return { entries, total: Number(total.n) }
    },
  }
}

export type AuditService = ReturnType<typeof createAuditService>
