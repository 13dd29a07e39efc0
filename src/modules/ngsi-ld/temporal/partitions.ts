/**
 * Monthly partitions of `ngsi_attr_history` (one tree per tenant, see migration 003): created on demand inside the
 * write transaction (the SQL function takes a per-tenant advisory lock and uses ATTACH PARTITION, so several servers can
 * write at once), remembered in process once committed; and retention, which drops whole months per tenant.
 */
import { type Kysely, sql } from 'kysely'
import type { HistoryRetention } from '../../../config.js'
import type { DB } from '../../../db/schema.js'

/** `YYYY-MM-01` of the UTC month of an ISO date-time. */
export const monthOf = (iso: string): string => `${iso.slice(0, 7)}-01`

/** The first month kept by a retention of `months` months at `now` (undefined: keep everything). */
export function firstKeptMonth(months: number, now: Date): string | undefined {
  if (months <= 0) return undefined
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1))
  // keep the month holding now - N months: its data is not older than the retention yet
  return d.toISOString().slice(0, 10)
}

export function retentionMonths(r: HistoryRetention, tenant: string): number {
  return r.tenants[tenant] ?? r.months
}

export interface Partitions {
  /** Creates the partitions these rows need (one round of SQL, and none once they are known). */
  ensure(trx: Kysely<DB>, tenant: string, months: Iterable<string>): Promise<void>
  /** Forgets what is known (after partitions were dropped). */
  forget(): void
}

export function createPartitions(): Partitions {
  const known = new Set<string>()
  return {
    async ensure(trx, tenant, months) {
      const missing = [...new Set(months)].filter((m) => !known.has(`${tenant}|${m}`)).sort()
      if (missing.length === 0) return
      const r = await sql<{
        m: string
        committed: boolean
      }>`SELECT m, ngsi_history_partition(${tenant}, m::date) AS committed
        FROM unnest(${missing}::text[]) AS m ORDER BY m`.execute(trx)
      // Only partitions committed by others are remembered: one created here disappears if this transaction rolls back.
      for (const row of r.rows) if (row.committed) known.add(`${tenant}|${row.m}`)
    },
    forget() {
      known.clear()
    },
  }
}

export interface DroppedPartition {
  tenant: string
  month: string
  name: string
}

const RETENTION_LOCK = 7_315_420_013

/**
 * Drops the partitions older than each tenant's retention. One server at a time (others skip); each drop waits at
 * most `lockTimeoutMs` for the tenant's history table (a DROP locks it briefly) and is retried on the next run.
 */
export async function applyRetention(
  db: Kysely<DB>,
  retention: HistoryRetention,
  now: Date,
  lockTimeoutMs = 5000,
): Promise<DroppedPartition[]> {
  const hasAny = retention.months > 0 || Object.values(retention.tenants).some((m) => m > 0)
  if (!hasAny) return []
  const parts = await sql<{
    tenant: string
    month: string
    name: string
  }>`SELECT tenant, to_char(month, 'YYYY-MM-DD') AS month, name FROM ngsi_history_partitions ORDER BY tenant, month`.execute(
    db,
  )
  const expired = parts.rows.filter((p) => {
    const first = firstKeptMonth(retentionMonths(retention, p.tenant), now)
    return first !== undefined && p.month < first
  })
  const dropped: DroppedPartition[] = []
  for (const p of expired) {
    const ok = await db
      .transaction()
      .execute(async (trx) => {
        const claimed = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK}) AS ok`.execute(
          trx,
        )
        if (!claimed.rows[0]?.ok) return false
        await sql.raw(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`).execute(trx)
        const still =
          await sql`DELETE FROM ngsi_history_partitions WHERE tenant = ${p.tenant} AND month = ${p.month}::date
          RETURNING name`.execute(trx)
        if (still.rows.length === 0) return false
        await sql`DROP TABLE IF EXISTS ${sql.id(p.name)}`.execute(trx)
        return true
      })
      .catch(() => false)
    if (ok) dropped.push(p)
  }
  return dropped
}
