/**
 * SQL of subscriptions (create, read, list, update, delete). Every change bumps the tenant's version row in the same
 * transaction (see cache.ts) and keeps the subscription's delivery lane in step (endpoint, periodic schedule).
 */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../../../db/schema.js'
import { type DeliveryState, endpointKey, isExpired, type SubscriptionDef } from './model.js'
import type { StoredSubscription } from './parse.js'

type Db = Kysely<DB>

export interface SubscriptionRow extends StoredSubscription {
  id: string
  context: unknown
  createdAt: string
  modifiedAt: string
  delivery: DeliveryState
}

interface Row {
  id: string
  body: Record<string, unknown>
  def: SubscriptionDef
  context: unknown
  created_at: Date | string
  modified_at: Date | string
  failures: number | null
  times_sent: number | null
  times_failed: number | null
  last_notification: Date | string | null
  last_success: Date | string | null
  last_failure: Date | string | null
  last_error: string | null
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString()
const opt = (k: string, d: Date | string | null) => (d ? { [k]: iso(d) } : {})

function toSubscription(r: Row): SubscriptionRow {
  return {
    id: r.id,
    view: r.body,
    def: r.def,
    context: r.context,
    createdAt: iso(r.created_at),
    modifiedAt: iso(r.modified_at),
    delivery: {
      failures: Number(r.failures ?? 0),
      timesSent: Number(r.times_sent ?? 0),
      timesFailed: Number(r.times_failed ?? 0),
      ...opt('lastNotification', r.last_notification),
      ...opt('lastSuccess', r.last_success),
      ...opt('lastFailure', r.last_failure),
      ...(r.last_error ? { lastError: r.last_error } : {}),
    },
  }
}

const SELECT = sql`SELECT s.id, s.body, s.def, s.context, s.created_at, s.modified_at, d.failures, d.times_sent,
    d.times_failed, d.last_notification, d.last_success, d.last_failure, d.last_error
  FROM ngsi_subscriptions s
  LEFT JOIN ngsi_subscription_delivery d ON d.tenant = s.tenant AND d.subscription_id = s.id`

async function bumpVersion(trx: Db, tenant: string): Promise<void> {
  await sql`INSERT INTO ngsi_subscription_versions (tenant, version) VALUES (${tenant}, 1)
    ON CONFLICT (tenant) DO UPDATE SET version = ngsi_subscription_versions.version + 1`.execute(trx)
}

/** When the next periodic notification is due: now for an active periodic subscription, else never. */
const periodicAt = (def: SubscriptionDef) =>
  def.timeInterval !== undefined && def.isActive && !isExpired(def) ? sql`now()` : sql`NULL`

/** Inserts a subscription; false when the id is taken. */
export async function insertSubscription(
  db: Db,
  tenant: string,
  id: string,
  s: StoredSubscription,
  context: unknown,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await sql`INSERT INTO ngsi_subscriptions (tenant, id, body, def, context)
      VALUES (${tenant}, ${id}, ${JSON.stringify(s.view)}::jsonb, ${JSON.stringify(s.def)}::jsonb,
        ${JSON.stringify(context ?? null)}::jsonb)
      ON CONFLICT (tenant, id) DO NOTHING RETURNING id`.execute(trx)
    if (r.rows.length === 0) return false
    await sql`INSERT INTO ngsi_subscription_delivery (tenant, subscription_id, endpoint, periodic_at)
      VALUES (${tenant}, ${id}, ${endpointKey(s.def.notification.endpoint.uri)}, ${periodicAt(s.def)})`.execute(trx)
    await bumpVersion(trx, tenant)
    return true
  })
}

export async function getSubscription(db: Db, tenant: string, id: string): Promise<SubscriptionRow | undefined> {
  const r = await sql<Row>`${SELECT} WHERE s.tenant = ${tenant} AND s.id = ${id}`.execute(db)
  return r.rows[0] ? toSubscription(r.rows[0]) : undefined
}

export async function listSubscriptions(
  db: Db,
  tenant: string,
  page: { limit: number; offset: number },
): Promise<SubscriptionRow[]> {
  if (page.limit === 0) return []
  const r = await sql<Row>`${SELECT} WHERE s.tenant = ${tenant} ORDER BY s.id
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db)
  return r.rows.map(toSubscription)
}

export async function countSubscriptions(db: Db, tenant: string): Promise<number> {
  const r = await sql<{
    n: number
  }>`SELECT count(*)::int AS n FROM ngsi_subscriptions WHERE tenant = ${tenant}`.execute(db)
  return Number(r.rows[0]?.n ?? 0)
}

/**
 * Updates a subscription under a row lock: `fn` gets the stored one and returns the new one. Undefined when the
 * subscription does not exist.
 */
export async function updateSubscription(
  db: Db,
  tenant: string,
  id: string,
  fn: (current: StoredSubscription) => StoredSubscription,
): Promise<StoredSubscription | undefined> {
  return db.transaction().execute(async (trx) => {
    const r = await sql<{ body: Record<string, unknown>; def: SubscriptionDef }>`SELECT body, def
      FROM ngsi_subscriptions WHERE tenant = ${tenant} AND id = ${id} FOR UPDATE`.execute(trx)
    const cur = r.rows[0]
    if (!cur) return undefined
    const next = fn({ view: cur.body, def: cur.def })
    await sql`UPDATE ngsi_subscriptions SET body = ${JSON.stringify(next.view)}::jsonb,
      def = ${JSON.stringify(next.def)}::jsonb, modified_at = now() WHERE tenant = ${tenant} AND id = ${id}`.execute(
      trx,
    )
    const periodicChanged =
      next.def.timeInterval !== cur.def.timeInterval ||
      next.def.isActive !== cur.def.isActive ||
      next.def.expiresAt !== cur.def.expiresAt
    await sql`UPDATE ngsi_subscription_delivery SET endpoint = ${endpointKey(next.def.notification.endpoint.uri)},
        periodic_at = ${periodicChanged ? periodicAt(next.def) : sql`periodic_at`},
        next_at = ${next.def.notification.endpoint.uri !== cur.def.notification.endpoint.uri ? sql`now()` : sql`next_at`}
      WHERE tenant = ${tenant} AND subscription_id = ${id}`.execute(trx)
    await bumpVersion(trx, tenant)
    return next
  })
}

/** Deletes a subscription with its delivery lane and pending notifications; false when there was none. */
export async function deleteSubscription(db: Db, tenant: string, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await sql`DELETE FROM ngsi_subscriptions WHERE tenant = ${tenant} AND id = ${id} RETURNING id`.execute(
      trx,
    )
    if (r.rows.length === 0) return false
    await sql`DELETE FROM ngsi_notifications WHERE tenant = ${tenant} AND subscription_id = ${id}`.execute(trx)
    await bumpVersion(trx, tenant)
    return true
  })
}
