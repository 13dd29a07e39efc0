/**
 * Publishes recorded commands after their transaction committed: claims unsent ones (FOR UPDATE SKIP LOCKED, so that
 * several servers share the work and each command goes out once per claim), marks the entity PENDING, publishes on
 * `{prefix}/{apikey}/{deviceId}/cmd` (QoS 1) and marks them sent in the same transaction. A failed publish rolls back:
 * the command is retried (at least once). Also expires open commands past their deadline, and reloads the command
 * index. Woken at once by the change listener, otherwise every `pollMs`.
 */
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { DB } from '../../../db/schema.js'
import type { DeviceMetrics } from '../metrics.js'
import { formatUltralightCommand } from '../payload/ultralight.js'
import { commandTopic } from '../topics.js'
import * as repo from './repo.js'
import type { StatusWriter } from './status-writer.js'

export interface Publisher {
  readonly connected: boolean
  publish(topic: string, payload: string, qos: 0 | 1): Promise<void>
}

export interface CommandWorkerDeps {
  db: Kysely<DB>
  publisher(): Publisher | undefined
  writeStatus: StatusWriter
  /** Resolves (caches) these @contexts, so that nothing waits for the database inside the claiming transaction. */
  warmContexts(urls: string[]): Promise<void>
  reloadIndex(): Promise<void>
  metrics: DeviceMetrics
  log: Logger
  pollMs?: number
  indexReloadMs?: number
}

export function commandPayload(c: repo.UnsentCommand): string {
  return c.protocol === 'ul'
    ? formatUltralightCommand(c.device_id, c.command, c.value)
    : JSON.stringify({ [c.command]: c.value })
}

export function createCommandWorker(deps: CommandWorkerDeps) {
  const { db, log, metrics } = deps
  const pollMs = deps.pollMs ?? 1000
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let again = false
  let stopped = true
  let lastReload = 0

  async function publishBatch(pub: Publisher): Promise<number> {
    await deps.warmContexts(await repo.unsentContexts(db))
    const sent = await db.transaction().execute(async (trx) => {
      const cmds = await repo.claimUnsent(trx, 100)
      for (const c of cmds) await deps.writeStatus({ ...c }, 'PENDING')
      for (const c of cmds) await pub.publish(commandTopic(c.topic_prefix, c.apikey, c.device_id), commandPayload(c), 1)
      await repo.markSent(trx, cmds)
      return cmds
    })
    for (const c of sent) metrics.commands.inc({ tenant: c.tenant, status: 'PENDING' })
    return sent.length
  }

  async function tick(): Promise<void> {
    const now = Date.now()
    if (now - lastReload > (deps.indexReloadMs ?? 5000)) {
      lastReload = now
      await deps.reloadIndex()
    }
    const pub = deps.publisher()
    if (pub?.connected) while ((await publishBatch(pub)) === 100 && !stopped) {}
    for (const e of await repo.expireDue(db)) {
      metrics.commands.inc({ tenant: e.tenant, status: 'EXPIRED' })
      await deps.writeStatus(e, 'EXPIRED', 'no answer from the device in time')
    }
  }

  function run(): Promise<void> {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        try {
          await tick()
        } catch (e) {
          if (!stopped) log.warn({ err: e }, 'device commands: worker pass failed; retrying')
        }
      } while (again && !stopped)
    })().finally(() => {
      running = undefined
    })
    return running
  }

  function schedule() {
    if (stopped) return
    timer = setTimeout(() => {
      void run().then(schedule)
    }, pollMs)
    timer.unref()
  }

  /**
   * The pending commands of an HTTP device that polls for them (`GET /iot/json`, `/iot/d`): marked sent and PENDING on
   * the entity in one transaction, as the worker does for MQTT devices; the answer comes back like an MQTT /cmdexe.
   */
  async function takeFor(tenant: string, deviceId: string): Promise<repo.UnsentCommand[]> {
    await deps.warmContexts(await repo.unsentContexts(db))
    const taken = await db.transaction().execute(async (trx) => {
      const cmds = await repo.claimUnsent(trx, 100, { tenant, deviceId })
      for (const c of cmds) await deps.writeStatus({ ...c }, 'PENDING')
      await repo.markSent(trx, cmds)
      return cmds
    })
    for (const c of taken) metrics.commands.inc({ tenant: c.tenant, status: 'PENDING' })
    return taken
  }

  return {
    takeFor,
    /** Runs a pass soon (after the recording transaction has committed). */
    wake() {
      if (stopped) return
      setTimeout(() => void run(), 5).unref()
    },
    /** One pass now (tests). */
    runOnce: () => run(),
    start() {
      if (!stopped) return
      stopped = false
      schedule()
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}

export type CommandWorker = ReturnType<typeof createCommandWorker>
