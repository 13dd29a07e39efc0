/**
 * The bounded in-memory queue between the transports and the context broker. Measurements are written through the
 * NGSI-LD batch service (so history and subscriptions apply) in batches: every `flushMs`, or at once when `batchSize`
 * are waiting; one sequence upsert per tenant per flush, in which the broker writes each entity once, whatever the
 * number of its measurements, and history gets every one of them in order. Lanes (by entity) let PostgreSQL write several batches at once while
 * each entity's values stay in order. A failed write is retried (database away) or bisected (a bad entity is dropped
 * and reported, the others are written). `close()` writes everything that was accepted.
 */
import type { AsyncLocalStorage } from 'node:async_hooks'
import type { Logger } from 'pino'
import { isAppError } from '../../errors.js'
import type { BatchItem, BatchService } from '../ngsi-ld/batch.js'
import { laneFor } from '../ngsi-ld/group-commit.js'
import type { ActiveContext } from '../ngsi-ld/context/index.js'
import type { DeviceMetrics } from './metrics.js'

export interface Measurement {
  tenant: string
  entityId: string
  entityType: string
  ctx: ActiveContext
  /** NGSI-LD attributes by short name (normalized form). */
  attrs: Record<string, Record<string, unknown>>
  /** Measured values it carries (for the metrics). */
  count: number
  deviceId: string
  receivedAt: number
  /** Called once the measurement is committed (or given up: with the error). */
  onDone?: (err?: Error) => void
}

export interface WriteQueueOptions {
  batch: BatchService
  gatewayWrite: AsyncLocalStorage<boolean>
  flushMs: number
  batchSize: number
  limit: number
  lanes: number
  metrics: DeviceMetrics
  log: Logger
  /** Reports entities the broker refused (they are dropped). */
  onRejected(m: Measurement, reason: string): void
}

interface Item {
  body: Record<string, unknown>
  ctx: ActiveContext
  members: Measurement[]
}

const TRANSIENT_CODES = /^(08|53|57P0|40001|40P01|ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)/

function transient(e: unknown): boolean {
  if (isAppError(e)) return e.status >= 500 && e.code !== 'InternalError'
  const err = e as { code?: unknown; message?: unknown }
  if (typeof err?.code === 'string' && TRANSIENT_CODES.test(err.code)) return true
  return typeof err?.message === 'string' && /connection|terminat|timeout|closed/i.test(err.message)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Groups measurements into one sequence per tenant, in arrival order: a measurement joins the entity's last item when
 * it touches other attributes with the same @context, else it starts a new item (a later value of an attribute), so
 * that history keeps every value in order. The broker folds an entity's items and writes the entity once.
 */
export function planSequences(chunk: readonly Measurement[]): Map<string, Item[]> {
  const byTenant = new Map<string, { items: Item[]; last: Map<string, Item> }>()
  for (const m of chunk) {
    let t = byTenant.get(m.tenant)
    if (!t) {
      t = { items: [], last: new Map() }
      byTenant.set(m.tenant, t)
    }
    const prev = t.last.get(m.entityId)
    if (prev && prev.ctx === m.ctx && !Object.keys(m.attrs).some((a) => a in prev.body)) {
      Object.assign(prev.body, m.attrs)
      prev.members.push(m)
      continue
    }
    const item: Item = { body: { id: m.entityId, type: m.entityType, ...m.attrs }, ctx: m.ctx, members: [m] }
    t.items.push(item)
    t.last.set(m.entityId, item)
  }
  return new Map([...byTenant].map(([tenant, t]) => [tenant, t.items]))
}

export function createWriteQueue(opts: WriteQueueOptions) {
  const { batch, metrics, log } = opts
  const lanes = Array.from({ length: Math.max(1, opts.lanes) }, () => ({
    queue: [] as Measurement[],
    head: 0,
    running: undefined as Promise<void> | undefined,
  }))
  let size = 0
  let waiters: (() => void)[] = []
  let closed = false
  let stopping = false

  const laneOf = (m: Measurement) => laneFor(lanes, m.entityId)

  function released(n: number) {
    size -= n
    metrics.queued.set(size)
    if (size < opts.limit && waiters.length) {
      const w = waiters
      waiters = []
      for (const f of w) f()
    }
  }

  async function writeSequence(tenant: string, items: Item[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const batchItems: BatchItem[] = items.map((i) => ({ body: i.body, ctx: i.ctx }))
        const { failed } = await opts.gatewayWrite.run(true, () =>
          batch.upsertSequence(tenant, batchItems, { keepNewer: true }),
        )
        const now = Date.now()
        let stored = 0
        for (const [index, it] of items.entries()) {
          const why = failed.get(index)
          for (const m of it.members) {
            if (why !== undefined) {
              opts.onRejected(m, why)
              m.onDone?.(new Error(why))
            } else {
              stored += m.count
              metrics.latency.observe((now - m.receivedAt) / 1000)
              m.onDone?.()
            }
          }
        }
        if (stored) metrics.measurements.inc({ tenant }, stored)
        return
      } catch (e) {
        if (transient(e)) {
          metrics.writeFailures.inc()
          if (attempt % 10 === 0) log.warn({ err: e, tenant, attempt }, 'device measurements: write failed; retrying')
          if (closed && attempt >= 3) throw e
          await sleep(Math.min(5000, 100 * 2 ** Math.min(attempt, 6)))
          continue
        }
        if (items.length === 1) {
          const why = (e as Error).message ?? String(e)
          log.warn({ err: e, tenant, entity: items[0]!.body.id }, 'device measurements: entity refused; dropped')
          for (const m of items[0]!.members) {
            opts.onRejected(m, why)
            m.onDone?.(e as Error)
          }
          return
        }
        // halves keep the order: every item of the first is written before any of the second
        const half = Math.ceil(items.length / 2)
        await writeSequence(tenant, items.slice(0, half))
        await writeSequence(tenant, items.slice(half))
        return
      }
    }
  }

  async function writeChunk(chunk: Measurement[]): Promise<void> {
    const started = process.hrtime.bigint()
    for (const [tenant, items] of planSequences(chunk)) {
      try {
        await writeSequence(tenant, items)
      } catch (e) {
        for (const it of items) for (const m of it.members) m.onDone?.(e as Error)
        log.error({ err: e, tenant, lost: items.length }, 'device measurements: could not be written at shutdown')
      }
    }
    metrics.flushSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9)
  }

  function drain(lane: (typeof lanes)[number]): Promise<void> {
    lane.running ??= (async () => {
      // Never finish synchronously: on an empty lane the body below would clear `running` before `??=` stores the
      // promise, leaving a settled promise there for good (the lane would never drain again, flush() would spin).
      await null
      try {
        while (lane.queue.length - lane.head > 0) {
          const end = Math.min(lane.queue.length, lane.head + opts.batchSize)
          const chunk = lane.queue.slice(lane.head, end)
          lane.head = end
          if (lane.head > 4096 && lane.head * 2 > lane.queue.length) {
            lane.queue = lane.queue.slice(lane.head)
            lane.head = 0
          }
          try {
            await writeChunk(chunk)
          } finally {
            released(chunk.length)
          }
        }
        lane.queue = []
        lane.head = 0
      } finally {
        lane.running = undefined
      }
    })()
    return lane.running
  }

  const timer = setInterval(() => {
    for (const l of lanes) if (!l.running && l.queue.length > l.head) void drain(l)
  }, opts.flushMs)
  timer.unref()

  return {
    /**
     * Queues a measurement; false when the queue is full (wait for `room()`) or closed. `force` ignores the limit
     * (command statuses: few, and written from places that must not wait).
     */
    push(m: Measurement, force = false): boolean {
      if (stopping || (!force && size >= opts.limit)) return false
      const lane = laneOf(m)
      lane.queue.push(m)
      size++
      metrics.queued.set(size)
      if (!lane.running && lane.queue.length - lane.head >= opts.batchSize) void drain(lane)
      return true
    },

    get size() {
      return size
    },

    get full() {
      return size >= opts.limit
    },

    /** Resolves when the queue has room again. */
    room(): Promise<void> {
      if (size < opts.limit || stopping) return Promise.resolve()
      return new Promise((r) => waiters.push(r))
    },

    /** Writes everything queued now and waits for it. */
    async flush(): Promise<void> {
      while (lanes.some((l) => l.running || l.queue.length > l.head)) {
        await Promise.all(lanes.map((l) => drain(l)))
      }
    },

    /** Refuses new measurements, writes the queued ones. */
    async close(): Promise<void> {
      stopping = true
      clearInterval(timer)
      for (const f of waiters) f()
      waiters = []
      closed = true
      await this.flush()
    },
  }
}

export type WriteQueue = ReturnType<typeof createWriteQueue>
