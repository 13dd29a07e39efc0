/**
 * The subscriptions of each tenant, compiled, per process. Every subscription change bumps the tenant's row in
 * `ngsi_subscription_versions` in its own transaction; a write reads that row (one primary-key lookup) and reloads
 * the tenant's subscriptions only when the version moved, so a change made by any process is seen by the next write
 * in every process, and a tenant without subscriptions costs one indexed read per write. A one-statement write (group
 * commit's direct path) decides with what the process last loaded and makes the same read part of its statement
 * (`isCurrent`): if the version moved, nothing is written and the group takes a transaction, which reloads.
 */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../../../db/schema.js'
import { type CompiledSubscription, compileSubscription } from './compile.js'
import type { SubscriptionDef } from './model.js'

type Db = Kysely<DB>

export interface CacheEntry {
  /** The tenant's version row (null: it has never had a subscription). */
  version: number | null
  subs: CompiledSubscription[]
}

export interface SubscriptionCache {
  /** The tenant's compiled subscriptions, current as of this transaction (empty when it has none). */
  get(trx: Db, tenant: string): Promise<CompiledSubscription[]>
  /**
   * What this process last loaded for the tenant (loaded now if nothing yet), without checking that it is current:
   * a write that relies on it checks `isCurrent` in its own statement.
   */
  last(db: Db, tenant: string): Promise<CacheEntry>
}

/** True while the tenant's subscriptions are still those of `entry` (SQL, in the snapshot of the statement). */
export const isCurrent = (tenant: string, entry: CacheEntry) =>
  sql<boolean>`(SELECT version FROM ngsi_subscription_versions WHERE tenant = ${tenant})
    IS NOT DISTINCT FROM ${entry.version}::bigint`

export function createSubscriptionCache(onError: (e: unknown, id: string) => void): SubscriptionCache {
  const entries = new Map<string, CacheEntry>()
  const compile = (id: string, def: SubscriptionDef) => {
    try {
      return compileSubscription(id, def)
    } catch (e) {
      onError(e, id)
      return undefined
    }
  }
  async function load(trx: Db, tenant: string): Promise<CacheEntry> {
    const v = await sql<{
      version: number
    }>`SELECT version FROM ngsi_subscription_versions WHERE tenant = ${tenant}`.execute(trx)
    const version = v.rows[0] === undefined ? null : Number(v.rows[0].version)
    const hit = entries.get(tenant)
    if (hit && hit.version === version) return hit
    const subs =
      version === null
        ? []
        : (
            await sql<{ id: string; def: SubscriptionDef }>`SELECT id, def FROM ngsi_subscriptions
              WHERE tenant = ${tenant} ORDER BY id`.execute(trx)
          ).rows
            .map((r) => compile(r.id, r.def))
            .filter((c) => c !== undefined)
    const entry = { version, subs }
    entries.set(tenant, entry)
    return entry
  }

  return {
    async get(trx, tenant) {
      return (await load(trx, tenant)).subs
    },
    async last(db, tenant) {
      return entries.get(tenant) ?? load(db, tenant)
    },
  }
}
