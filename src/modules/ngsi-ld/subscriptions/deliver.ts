/**
 * Delivery of one claimed lane (a subscription): its pending notifications in order, grouped (grouping.ts), each
 * group's id fixed in the database before it is first sent; a failure stops the lane until its backoff is over
 * (later groups wait, so each entity's changes still arrive in order). Periodic subscriptions send the entities that
 * match now, every timeInterval.
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../../../db/schema.js'
import type { ActiveContext, ContextResolver } from '../context/index.js'
import type { StoredEntity } from '../model.js'
import { queryEntities } from '../repo.js'
import { compileSubscription } from './compile.js'
import { planGroups } from './grouping.js'
import { isExpired } from './model.js'
import { buildNotification } from './notification.js'
import {
  fetchRows,
  type Lane,
  markFailed,
  markSent,
  type OutboxRow,
  type Progress,
  releaseLane,
  renewLease,
  setInflight,
} from './outbox.js'
import type { HttpTransport, SendResult } from './transport-http.js'
import type { MqttTransport } from './transport-mqtt.js'

/** Most notifications planned from one read of a lane's pending rows. */
export const MAX_GROUPS = 4
/** How long a worker keeps a busy lane before giving it back (so that other lanes and processes get their turn). */
const MAX_HOLD_MS = 2000
/** Most entities of one periodic notification round (pages of `batch`). */
const MAX_PERIODIC_ENTITIES = 100_000

export interface DeliveryEnv {
  db: Kysely<DB>
  resolver: ContextResolver
  owner: string
  http: HttpTransport
  mqtt: MqttTransport
  batch: number
  defaultTimeoutMs: number
  retryHours: number
  backoffMaxMs: number
  claimLeaseMs: number
  log: { info(o: object, m: string): void; warn(o: object, m: string): void }
  /** Waits for a free slot of the endpoint; resolves with its release. */
  slot(endpoint: string): Promise<() => void>
  /** Asks for a look at the lanes after `ms`. */
  wakeIn(ms: number): void
}

export function backoffMs(failures: number, maxMs: number): number {
  const base = Math.min(maxMs, 250 * 2 ** Math.min(failures, 30))
  return Math.round(base * (0.8 + Math.random() * 0.4))
}

class LaneRun {
  private leaseDeadline: number
  constructor(
    private readonly env: DeliveryEnv,
    private readonly lane: Lane,
    claimedAt: number,
  ) {
    this.leaseDeadline = claimedAt + env.claimLeaseMs - 1000
  }

  private get timeout() {
    return this.lane.def.notification.endpoint.timeout ?? this.env.defaultTimeoutMs
  }

  /** Sends one notification; the error when it failed, 'lease' when the lane was lost, undefined when delivered. */
  async send(
    ctx: ActiveContext,
    notificationId: string,
    items: (OutboxRow | StoredEntity)[],
  ): Promise<string | undefined> {
    const { env, lane } = this
    const release = await env.slot(lane.endpoint)
    let result: SendResult
    try {
      if (Date.now() + this.timeout + 2000 > this.leaseDeadline) {
        if (!(await renewLease(env.db, lane, env.owner, this.timeout + 5000))) return 'lease'
        this.leaseDeadline = Date.now() + this.timeout + 4000
      }
      const built = buildNotification({
        notificationId,
        subscriptionId: lane.subscriptionId,
        tenant: lane.tenant,
        def: lane.def,
        ctx,
        items,
        now: new Date(),
      })
      const endpoint = lane.def.notification.endpoint
      result = endpoint.uri.startsWith('mqtt')
        ? await env.mqtt.publish(
            endpoint.uri,
            JSON.stringify({ metadata: built.headers, body: built.payload }),
            endpoint,
            this.timeout,
            lane.tenant,
          )
        : await env.http.post(endpoint.uri, JSON.stringify(built.payload), built.headers, this.timeout)
    } finally {
      release()
    }
    return result.ok ? undefined : (result.error ?? 'failed')
  }

  async fail(error: string, progress?: Omit<Progress, 'at'>): Promise<void> {
    const { env, lane } = this
    const wait = backoffMs(lane.failures, env.backoffMaxMs)
    const dropped = await markFailed(env.db, lane, env.owner, {
      seqs: progress?.seqs ?? [],
      sent: progress?.sent ?? 0,
      inflight: progress?.inflight ?? lane.inflight,
      at: new Date(),
      error,
      retryInMs: wait,
      horizonHours: env.retryHours,
    })
    const info = { tenant: lane.tenant, subscriptionId: lane.subscriptionId, endpoint: lane.endpoint, error }
    env.log.warn({ ...info, failures: lane.failures + 1, retryInMs: wait }, 'notification failed; will retry')
    if (dropped > 0) {
      env.log.warn({ ...info, dropped, retryHours: env.retryHours }, 'notifications dropped after the retry horizon')
    }
    env.wakeIn(wait)
  }

  async periodic(ctx: ActiveContext): Promise<void> {
    const { env, lane } = this
    const def = lane.def
    if (!def.isActive || isExpired(def) || def.timeInterval === undefined) {
      await releaseLane(env.db, lane, env.owner, { periodicAt: null })
      return
    }
    const c = compileSubscription(lane.subscriptionId, def)
    const where = { where: c.fullWhere ? [c.fullWhere] : [] }
    for (let offset = 0; offset < MAX_PERIODIC_ENTITIES; offset += env.batch) {
      const page = await queryEntities(env.db, lane.tenant, where, { limit: env.batch, offset })
      if (page.length === 0) break
      const error = await this.send(ctx, randomUUID(), page)
      if (error === 'lease') return
      if (error !== undefined) return this.fail(error)
      const progress = { seqs: [], sent: 1, inflight: lane.inflight, at: new Date(), leaseMs: this.timeout + 5000 }
      if (!(await markSent(env.db, lane, env.owner, progress))) return
      if (page.length < env.batch) break
    }
    const interval = def.timeInterval * 1000
    let next = (lane.periodicAt?.getTime() ?? Date.now()) + interval
    if (next <= Date.now()) next = Date.now() + interval
    await releaseLane(env.db, lane, env.owner, { periodicAt: new Date(next) })
    env.wakeIn(next - Date.now())
  }

  async run(): Promise<void> {
    const { env, lane } = this
    let ctx: ActiveContext
    try {
      ctx = await env.resolver.resolve(lane.def.contextUrl ?? lane.context ?? undefined)
    } catch (e) {
      await this.fail(`@context: ${(e as Error).message}`)
      return
    }
    if (lane.periodicAt && lane.periodicAt.getTime() <= Date.now()) {
      await this.periodic(ctx)
      return
    }
    await this.stream(ctx)
  }

  private plan(rows: OutboxRow[]) {
    const plan = planGroups(rows, {
      inflight: this.lane.inflight,
      maxEntities: this.env.batch,
      maxGroups: MAX_GROUPS,
      newId: randomUUID,
    })
    return plan.groups.map((g) => ({ id: g.id, rows: g.rows, seqs: g.rows.map((r) => r.seq) }))
  }

  /**
   * Sends the lane's pending notifications, group after group. While a round is being sent, the next round's rows
   * are read (without the rows of this round); once it is delivered, one statement deletes its rows and records the
   * next round as in flight, and the next round goes out.
   */
  private async stream(ctx: ActiveContext): Promise<void> {
    const { env, lane } = this
    const held = Date.now()
    const leaseMs = this.timeout + 5000
    const limit = env.batch * MAX_GROUPS
    const first = await fetchRows(env.db, lane, limit)
    if (first.length === 0) {
      await releaseLane(env.db, lane, env.owner, { clearInflight: true })
      return
    }
    let round = this.plan(first)
    const known = new Set(lane.inflight.map((g) => g.id))
    if (round.some((g) => !known.has(g.id))) {
      // the notifications about to be sent are recorded first: a retry, or another process, repeats them
      if (
        !(await setInflight(
          env.db,
          lane,
          env.owner,
          round.map(({ id, seqs }) => ({ id, seqs })),
          leaseMs,
        ))
      )
        return
    }
    const throttling = lane.def.throttling
    for (;;) {
      lane.inflight = round.map(({ id, seqs }) => ({ id, seqs }))
      const exclude = round.flatMap((g) => g.seqs)
      const keepGoing = throttling === undefined && Date.now() - held < MAX_HOLD_MS
      const prefetch = keepGoing ? fetchRows(env.db, lane, limit, exclude) : Promise.resolve([])
      prefetch.catch(() => {}) // awaited below; a failure then only ends the loop
      const done: number[] = []
      let sent = 0
      for (const g of round) {
        const error = await this.send(ctx, g.id, g.rows)
        if (error === 'lease') return
        if (error !== undefined) {
          await prefetch.catch(() => {})
          return this.fail(error, { seqs: done, sent, inflight: lane.inflight.slice(sent) })
        }
        done.push(...g.seqs)
        sent++
        if (throttling !== undefined) break
      }
      const rest = lane.inflight.slice(sent)
      lane.failures = 0
      const nextRows = await prefetch.catch(() => [] as OutboxRow[])
      lane.inflight = rest
      const next = nextRows.length && rest.length === 0 ? this.plan(nextRows) : undefined
      const progress = { seqs: done, sent, at: new Date() }
      if (!next) {
        const notBeforeMs = throttling === undefined ? undefined : throttling * 1000
        await markSent(env.db, lane, env.owner, {
          ...progress,
          inflight: rest,
          release: notBeforeMs ? { notBeforeMs } : {},
        })
        env.wakeIn(notBeforeMs ?? 0)
        return
      }
      if (
        !(await markSent(env.db, lane, env.owner, {
          ...progress,
          inflight: next.map(({ id, seqs }) => ({ id, seqs })),
          leaseMs,
        }))
      )
        return
      this.leaseDeadline = Date.now() + leaseMs - 1000
      round = next
    }
  }
}

/** Delivers what a claimed lane has to send, then gives it back. */
export async function deliverLane(env: DeliveryEnv, lane: Lane, claimedAt: number): Promise<void> {
  try {
    await new LaneRun(env, lane, claimedAt).run()
  } catch (e) {
    env.log.warn({ err: e, tenant: lane.tenant, subscriptionId: lane.subscriptionId }, 'notification delivery error')
    await releaseLane(env.db, lane, env.owner, { notBeforeMs: 1000 }).catch(() => {})
    env.wakeIn(1000)
  }
}
