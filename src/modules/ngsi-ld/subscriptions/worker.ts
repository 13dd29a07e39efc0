/**
 * The delivery worker of one process: claims due lanes (outbox.ts) while it has room (URBE_NOTIFY_PARALLEL lanes,
 * URBE_NOTIFY_ENDPOINT_CONCURRENCY notifications per endpoint, so a slow or dead receiver only ever holds its own
 * slots) and delivers them (deliver.ts). It looks when woken (a commit in this process, a NOTIFY from another one,
 * a retry or throttling time it knows of) and every URBE_NOTIFY_POLL_MS otherwise.
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Config } from '../../../config.js'
import type { DB } from '../../../db/schema.js'
import type { ContextResolver } from '../context/index.js'
import { type DeliveryEnv, deliverLane } from './deliver.js'
import { claimLanes, clearLeases, isPostgresLite, sweepOrphans } from './outbox.js'
import { createHttpTransport } from './transport-http.js'
import type { LocalMqtt } from './local-mqtt.js'
import { createMqttTransport, type MqttTransport } from './transport-mqtt.js'
import { type Listening, listenForNotifications } from './wakeup.js'

export interface WorkerLog {
  info(o: object, m: string): void
  warn(o: object, m: string): void
  error(o: object, m: string): void
}

export interface WorkerOptions {
  db: Kysely<DB>
  resolver: ContextResolver
  config: Config
  log: WorkerLog
  /** The embedded MQTT broker, for endpoints that name it. */
  localMqtt?: LocalMqtt
}

const SWEEP_MS = 10 * 60_000

export class DeliveryWorker {
  readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`
  private readonly env: DeliveryEnv
  private readonly slots = new Map<string, { active: number; waiters: (() => void)[] }>()
  private readonly running = new Set<Promise<void>>()
  private inFlight = 0
  private pumping = false
  private again = false
  private stopped = true
  private timer: NodeJS.Timeout | undefined
  private timerAt = Number.POSITIVE_INFINITY
  private poller: NodeJS.Timeout | undefined
  private sweeper: NodeJS.Timeout | undefined
  private listening: Listening | undefined
  private readonly http = createHttpTransport()
  private readonly mqtt: MqttTransport

  constructor(private readonly opts: WorkerOptions) {
    this.mqtt = createMqttTransport(opts.localMqtt)
    const c = opts.config
    this.env = {
      db: opts.db,
      resolver: opts.resolver,
      owner: this.owner,
      http: this.http,
      mqtt: this.mqtt,
      batch: c.notifyBatch,
      defaultTimeoutMs: c.notifyTimeoutMs,
      retryHours: c.notifyRetryHours,
      backoffMaxMs: c.notifyBackoffMaxMs,
      claimLeaseMs: 2 * c.notifyTimeoutMs + 5000,
      log: opts.log,
      slot: (e) => this.slot(e),
      wakeIn: (ms) => this.wakeIn(ms),
    }
  }

  async start(): Promise<void> {
    if (!this.stopped) return
    this.stopped = false
    const { db, config, log } = this.opts
    try {
      if (await isPostgresLite(db)) await clearLeases(db)
    } catch (e) {
      log.warn({ err: e }, 'could not prepare notification delivery')
    }
    this.poller = setInterval(() => this.signal(), config.notifyPollMs)
    this.poller.unref()
    this.sweeper = setInterval(() => {
      sweepOrphans(db).catch((e) => log.warn({ err: e }, 'notification sweep failed'))
    }, SWEEP_MS)
    this.sweeper.unref()
    if (config.databaseUrl) this.listening = listenForNotifications(config.databaseUrl, () => this.signal(), log)
    this.signal()
  }

  /** Look for due lanes as soon as possible. */
  signal(): void {
    if (this.stopped) return
    if (this.pumping) {
      this.again = true
      return
    }
    void this.pump()
  }

  /** Look after `ms` (keeps the earliest of the requested times). */
  wakeIn(ms: number): void {
    if (this.stopped) return
    if (ms <= 0) {
      this.signal()
      return
    }
    const at = Date.now() + ms
    if (at >= this.timerAt) return
    clearTimeout(this.timer)
    this.timerAt = at
    this.timer = setTimeout(() => {
      this.timerAt = Number.POSITIVE_INFINITY
      this.signal()
    }, ms)
    this.timer.unref()
  }

  private slot(endpoint: string): Promise<() => void> {
    let s = this.slots.get(endpoint)
    if (!s) {
      s = { active: 0, waiters: [] }
      this.slots.set(endpoint, s)
    }
    const state = s
    const release = () => {
      state.active--
      const next = state.waiters.shift()
      if (next) next()
      else if (state.active === 0) this.slots.delete(endpoint)
      this.signal()
    }
    if (state.active < this.opts.config.notifyEndpointConcurrency) {
      state.active++
      return Promise.resolve(release)
    }
    return new Promise((resolve) =>
      state.waiters.push(() => {
        state.active++
        resolve(release)
      }),
    )
  }

  private busyEndpoints(): string[] {
    const max = this.opts.config.notifyEndpointConcurrency
    return [...this.slots].filter(([, s]) => s.active + s.waiters.length >= max).map(([k]) => k)
  }

  private async pump(): Promise<void> {
    this.pumping = true
    try {
      do {
        this.again = false
        const free = this.opts.config.notifyParallel - this.inFlight
        if (this.stopped || free <= 0) break
        let lanes: Awaited<ReturnType<typeof claimLanes>>
        const claimedAt = Date.now()
        try {
          lanes = await claimLanes(this.opts.db, {
            owner: this.owner,
            limit: free,
            leaseMs: this.env.claimLeaseMs,
            busy: this.busyEndpoints(),
            perEndpoint: this.opts.config.notifyEndpointConcurrency,
          })
        } catch (e) {
          if (!this.stopped) this.opts.log.warn({ err: e }, 'claiming notifications failed')
          this.wakeIn(1000)
          break
        }
        for (const lane of lanes) {
          this.inFlight++
          const p: Promise<void> = deliverLane(this.env, lane, claimedAt).finally(() => {
            this.inFlight--
            this.running.delete(p)
            this.signal()
          })
          this.running.add(p)
        }
        if (lanes.length === free) this.again = true
      } while (this.again)
    } finally {
      this.pumping = false
    }
  }

  /** Stops claiming, lets deliveries in flight finish (at most `graceMs`), then closes the connections. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    clearTimeout(this.timer)
    clearInterval(this.poller)
    clearInterval(this.sweeper)
    await this.listening?.close()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((r) => {
        timer = setTimeout(r, graceMs)
      }),
    ])
    clearTimeout(timer)
    this.http.close()
    await this.mqtt.close()
    await Promise.allSettled([...this.running])
  }

  /** For tests and metrics: lanes being delivered now. */
  get active(): number {
    return this.inFlight
  }
}
