/**
 * SQL of the delivery workers. A worker claims subscription lanes that have pending notifications (or a periodic
 * notification due) with `FOR UPDATE SKIP LOCKED` and a lease (lease_until, lease_owner), so each lane is delivered
 * by one process at a time; every later write checks that the lease is still its own. A process that dies loses its
 * lanes when the lease runs out, and another one sends the same notifications again (same ids).
 */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../../../db/schema.js'
import type { SubscriptionDef } from './model.js'

type Db = Kysely<DB>

export interface Lane {
  tenant: string
  subscriptionId: string
  endpoint: string
  periodicAt: Date | undefined
  failures: number
  /** The notifications being sent when the lane was last given up (failure, crash): sent again first, same ids. */
  inflight: InflightGroup[]
  def: SubscriptionDef
  context: unknown
}

export interface InflightGroup {
  id: string
  seqs: number[]
}

export interface OutboxRow {
  seq: number
  entityId: string
  trigger: string
  changes: { a: string; k: 'created' | 'updated' | 'deleted'; d?: string; p?: Record<string, unknown> }[] | null
  types: string[]
  scopes: string[] | null
  attrs: Record<string, unknown[]> | null
  createdAt: string | undefined
  modifiedAt: string
}

const ms = (n: number) => sql`(${Math.max(0, Math.round(n))}::float8 * interval '1 millisecond')`
const iso = (d: Date | string | null | undefined) =>
  d === null || d === undefined ? undefined : (d instanceof Date ? d : new Date(d)).toISOString()

/**
 * Claims up to `limit` due lanes, skipping endpoints that are busy in this process and taking at most `perEndpoint`
 * lanes of one endpoint, so that many subscriptions to one slow receiver cannot fill every delivery slot.
 */
export async function claimLanes(
  db: Db,
  opts: { owner: string; limit: number; leaseMs: number; busy: string[]; perEndpoint: number },
): Promise<Lane[]> {
  const r = await sql<{
    tenant: string
    subscription_id: string
    endpoint: string
    periodic_at: Date | null
    failures: number
    inflight: InflightGroup[] | string | null
    def: SubscriptionDef
    context: unknown
  }>`WITH due AS (
      SELECT d.tenant, d.subscription_id, d.next_at,
        row_number() OVER (PARTITION BY d.endpoint ORDER BY d.next_at) AS nth
      FROM ngsi_subscription_delivery d
      WHERE d.next_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())
        AND NOT (d.endpoint = ANY(${opts.busy}::text[]))
        AND (d.periodic_at <= now() OR EXISTS (SELECT 1 FROM ngsi_notifications n
          WHERE n.tenant = d.tenant AND n.subscription_id = d.subscription_id))),
    c AS (
      SELECT d.tenant, d.subscription_id FROM ngsi_subscription_delivery d
      JOIN due ON due.tenant = d.tenant AND due.subscription_id = d.subscription_id
      WHERE due.nth <= ${opts.perEndpoint} AND d.next_at <= now()
        AND (d.lease_until IS NULL OR d.lease_until < now())
      ORDER BY due.next_at
      LIMIT ${opts.limit}
      FOR UPDATE OF d SKIP LOCKED)
    UPDATE ngsi_subscription_delivery d SET lease_until = now() + ${ms(opts.leaseMs)}, lease_owner = ${opts.owner}
    FROM c, ngsi_subscriptions s
    WHERE d.tenant = c.tenant AND d.subscription_id = c.subscription_id AND s.tenant = d.tenant
      AND s.id = d.subscription_id
    RETURNING d.tenant, d.subscription_id, d.endpoint, d.periodic_at, d.failures, d.inflight, s.def,
      s.context`.execute(db)
  return r.rows.map((x) => ({
    tenant: x.tenant,
    subscriptionId: x.subscription_id,
    endpoint: x.endpoint,
    periodicAt: x.periodic_at ? new Date(x.periodic_at) : undefined,
    failures: Number(x.failures),
    inflight: (typeof x.inflight === 'string' ? JSON.parse(x.inflight) : (x.inflight ?? [])) as InflightGroup[],
    def: x.def,
    context: x.context,
  }))
}

const ROW_COLUMNS = sql`seq, entity_id, trigger, changes, types, scopes, attrs, created_at, modified_at`

/**
 * The lane's first pending notifications in order (but `exclude`), and those of the notifications in flight, if any.
 */
export async function fetchRows(db: Db, lane: Lane, limit: number, exclude: number[] = []): Promise<OutboxRow[]> {
  // the rows in flight (a read-ahead that excludes rows leaves them out: they are being sent)
  const seqs = exclude.length ? [] : lane.inflight.flatMap((g) => g.seqs)
  const inflight = seqs.length
    ? sql`(SELECT ${ROW_COLUMNS} FROM ngsi_notifications WHERE seq = ANY(${seqs}::bigint[])) UNION `
    : sql``
  const r = await sql<{
    seq: number
    entity_id: string
    trigger: string
    changes: OutboxRow['changes']
    types: string[]
    scopes: string[] | null
    attrs: OutboxRow['attrs']
    created_at: Date | null
    modified_at: Date
  }>`SELECT * FROM (${inflight}(SELECT ${ROW_COLUMNS} FROM ngsi_notifications
      WHERE tenant = ${lane.tenant} AND subscription_id = ${lane.subscriptionId}
        ${exclude.length ? sql`AND seq <> ALL(${exclude}::bigint[])` : sql``}
      ORDER BY seq LIMIT ${limit})) x
    ORDER BY seq`.execute(db)
  return r.rows.map((x) => ({
    seq: Number(x.seq),
    entityId: x.entity_id,
    trigger: x.trigger,
    changes: typeof x.changes === 'string' ? JSON.parse(x.changes) : x.changes,
    types: x.types,
    scopes: x.scopes,
    attrs: typeof x.attrs === 'string' ? JSON.parse(x.attrs) : x.attrs,
    createdAt: iso(x.created_at),
    modifiedAt: iso(x.modified_at)!,
  }))
}

const owned = (lane: Lane, owner: string) =>
  sql`tenant = ${lane.tenant} AND subscription_id = ${lane.subscriptionId} AND lease_owner = ${owner}`

const inflightJson = (groups: readonly InflightGroup[]) =>
  groups.length ? sql`${JSON.stringify(groups)}::jsonb` : sql`NULL`

/** Records the notifications about to be sent (so that a retry repeats them); false if the lease was lost. */
export async function setInflight(
  db: Db,
  lane: Lane,
  owner: string,
  groups: readonly InflightGroup[],
  leaseMs: number,
): Promise<boolean> {
  const r = await sql`UPDATE ngsi_subscription_delivery SET inflight = ${inflightJson(groups)},
      lease_until = now() + ${ms(leaseMs)}
    WHERE ${owned(lane, owner)} RETURNING 1`.execute(db)
  return r.rows.length > 0
}

/** Extends the lease; false if it was lost. */
export async function renewLease(db: Db, lane: Lane, owner: string, leaseMs: number): Promise<boolean> {
  const r = await sql`UPDATE ngsi_subscription_delivery SET lease_until = now() + ${ms(leaseMs)}
    WHERE ${owned(lane, owner)} RETURNING 1`.execute(db)
  return r.rows.length > 0
}

export interface Progress {
  /** Outbox rows of the notifications delivered (deleted now). */
  seqs: number[]
  /** How many notifications were delivered. */
  sent: number
  /** The notifications still to send, in order (kept with their ids). */
  inflight: readonly InflightGroup[]
  at: Date
}

/** `markFailed` sets last_notification itself (a column may be assigned once per UPDATE): `withLast` false. */
const deliveredSql = (p: Progress, withLast = true) =>
  sql`times_sent = times_sent + ${p.sent}::int, inflight = ${inflightJson(p.inflight)}
    ${p.sent > 0 ? sql`, last_success = ${p.at.toISOString()}` : sql``}
    ${p.sent > 0 && withLast ? sql`, last_notification = ${p.at.toISOString()}` : sql``}`

/**
 * Notifications were delivered: their rows go, the counters move; then the lane is either kept (lease extended by
 * `leaseMs`) or released (`release`, with `notBeforeMs` for throttling). False if the lease was lost.
 */
export async function markSent(
  db: Db,
  lane: Lane,
  owner: string,
  p: Progress & { leaseMs?: number; release?: { notBeforeMs?: number } },
): Promise<boolean> {
  const lease = p.release
    ? sql`lease_until = NULL, lease_owner = NULL${p.release.notBeforeMs ? sql`, next_at = now() + ${ms(p.release.notBeforeMs)}` : sql``}`
    : sql`lease_until = now() + ${ms(p.leaseMs ?? 30_000)}`
  const r = await sql`WITH d AS (DELETE FROM ngsi_notifications WHERE seq = ANY(${p.seqs}::bigint[]))
    UPDATE ngsi_subscription_delivery SET ${deliveredSql(p)}, failures = 0, last_error = NULL, ${lease}
    WHERE ${owned(lane, owner)} RETURNING 1`.execute(db)
  return r.rows.length > 0
}

/**
 * A notification failed (after `p.sent` others were delivered): count it, release the lane until `retryInMs`, keep
 * the rest in flight, and drop what waited longer than the retry horizon. Returns how many rows were dropped.
 */
export async function markFailed(
  db: Db,
  lane: Lane,
  owner: string,
  p: Progress & { error: string; retryInMs: number; horizonHours: number },
): Promise<number> {
  const r = await sql<{
    dropped: number
  }>`WITH d AS (DELETE FROM ngsi_notifications WHERE seq = ANY(${p.seqs}::bigint[])),
    dropped AS (
      DELETE FROM ngsi_notifications WHERE tenant = ${lane.tenant} AND subscription_id = ${lane.subscriptionId}
        AND recorded_at < now() - ${p.horizonHours}::float8 * interval '1 hour' RETURNING 1),
    l AS (UPDATE ngsi_subscription_delivery SET ${deliveredSql(p, false)}, failures = failures + 1,
        times_failed = times_failed + 1, last_notification = ${p.at.toISOString()},
        last_failure = ${p.at.toISOString()}, last_error = ${p.error.slice(0, 500)},
        next_at = now() + ${ms(p.retryInMs)}, times_dropped = times_dropped + (SELECT count(*) FROM dropped),
        lease_until = NULL, lease_owner = NULL
      WHERE ${owned(lane, owner)} RETURNING 1)
    SELECT (SELECT count(*) FROM dropped)::int AS dropped, (SELECT count(*) FROM l)::int AS lane`.execute(db)
  return Number(r.rows[0]?.dropped ?? 0)
}

/** Gives the lane back: due again at once, or after `notBeforeMs` (throttling); the next periodic time if given. */
export async function releaseLane(
  db: Db,
  lane: Lane,
  owner: string,
  opts: { notBeforeMs?: number; periodicAt?: Date | null; clearInflight?: boolean } = {},
): Promise<void> {
  const periodic =
    opts.periodicAt === undefined
      ? sql`periodic_at`
      : opts.periodicAt === null
        ? sql`NULL`
        : sql`${opts.periodicAt.toISOString()}::timestamptz`
  await sql`UPDATE ngsi_subscription_delivery SET lease_until = NULL, lease_owner = NULL,
      next_at = ${opts.notBeforeMs ? sql`now() + ${ms(opts.notBeforeMs)}` : sql`next_at`}, periodic_at = ${periodic}
      ${opts.clearInflight ? sql`, inflight = NULL` : sql``}
    WHERE ${owned(lane, owner)}`.execute(db)
}

/** The embedded database has one process: leases left by a previous run are void. */
export async function clearLeases(db: Db): Promise<void> {
  await sql`UPDATE ngsi_subscription_delivery SET lease_until = NULL, lease_owner = NULL
    WHERE lease_until IS NOT NULL`.execute(db)
}

/** Removes notifications whose subscription is gone (a write that raced with the deletion). */
export async function sweepOrphans(db: Db): Promise<number> {
  const r = await sql`DELETE FROM ngsi_notifications n WHERE NOT EXISTS (SELECT 1 FROM ngsi_subscriptions s
    WHERE s.tenant = n.tenant AND s.id = n.subscription_id) RETURNING 1`.execute(db)
  return r.rows.length
}

/** Whether this is the embedded database (PGlite), which one process owns. */
export async function isPostgresLite(db: Db): Promise<boolean> {
  const r = await sql<{ v: string }>`SELECT version() AS v`.execute(db)
  return /PGlite/i.test(r.rows[0]?.v ?? '')
}
