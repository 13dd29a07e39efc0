/**
 * The subscriptions of each tenant, compiled, per process. Every subscription change bumps the tenant's row in
 * `ngsi_subscription_versions` in its own transaction; a write reads that row (one primary-key lookup) and reloads
 * the tenant's subscriptions only when the version moved, so a change made by any process is seen by the next write
 * in every process, and a tenant without subscriptions costs one indexed read per write.
 */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../../../db/schema.js'
import { type CompiledSubscription, compileSubscription } from './compile.js'
import type { SubscriptionDef } from './model.js'

type Db = Kysely<DB>

interface Entry {
  version: number
  subs: CompiledSubscription[]
}

export interface SubscriptionCache {
  /** The tenant's compiled subscriptions, current as of this transaction (empty when it has none). */
  get(trx: Db, tenant: string): Promise<CompiledSubscription[]>
}

export function createSubscriptionCache(onError: (e: unknown, id: string) => void): SubscriptionCache {
  const entries = new Map<string, Entry>()
  const compile = (id: string, def: SubscriptionDef) => {
    try {
      return compileSubscription(id, def)
    } catch (e) {
      onError(e, id)
      return undefined
    }
  }
  return {
    async get(trx, tenant) {
      const v = await sql<{
        version: number
      }>`SELECT version FROM ngsi_subscription_versions WHERE tenant = ${tenant}`.execute(trx)
      const version = v.rows[0]?.version
      if (version === undefined) return []
      const hit = entries.get(tenant)
      if (hit && hit.version === Number(version)) return hit.subs
      const rows = await sql<{ id: string; def: SubscriptionDef }>`SELECT id, def FROM ngsi_subscriptions
        WHERE tenant = ${tenant} ORDER BY id`.execute(trx)
      const subs = rows.rows.map((r) => compile(r.id, r.def)).filter((c) => c !== undefined)
      entries.set(tenant, { version: Number(version), subs })
      return subs
    },
  }
}
