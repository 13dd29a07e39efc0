/**
 * The demo sensor network inside `urbe serve` (URBE_SIMULATE, on by default with the demo): provisions the devices of
 * the three demo Comuni, keeps them live over MQTT, and once, in the background, backfills URBE_SIMULATE_BACKFILL_DAYS
 * days of hourly history through the gateway's batch ingestion (resumable: progress is kept in iot_simulator_state).
 */
import { sql } from 'kysely'
import type { Logger } from 'pino'
import type { Database } from '../../db/database.js'
import type { Devices } from '../devices/plugin.js'
import { DEMO_GROUP_DESCRIPTION, DEMO_PLANS, demoGroupInput, fleetOf, provisioningInput } from './fleet.js'
import { connectFleet, type FleetConnection } from './mqtt-fleet.js'
import { createSimulator, payloadOf, type Simulator } from './simulator.js'

export interface DemoSimulationOptions {
  database: Database
  devices: Devices
  log: Logger
  /** Where the simulated devices connect. */
  mqttUrl: string
  seed?: number
  speed?: number
  backfillDays: number
  /** Most backfill messages queued at once (small on the embedded database, to stay responsive). */
  pace: number
}

const ACTOR = { name: 'system:simulator' }
const HOUR = 3_600_000

/** Finds or creates the simulator's service group of each Comune and provisions its devices (existing ones kept). */
export async function provisionDemo(devices: Devices, tenants: string[]): Promise<Map<string, string>> {
  const keys = new Map<string, string>()
  for (const plan of DEMO_PLANS.filter((p) => tenants.includes(p.istat))) {
    const groups = await devices.registry.listGroups(plan.istat)
    let g = groups.find((x) => x.description === DEMO_GROUP_DESCRIPTION)
    if (!g) [g] = await devices.registry.createGroups(plan.istat, [demoGroupInput()], ACTOR)
    const apikey = g!.apikey
    await devices.registry.provision(
      plan.istat,
      fleetOf(plan).map((d) => provisioningInput(d, apikey)),
      { existing: 'skip', actor: ACTOR },
    )
    keys.set(plan.istat, apikey)
  }
  return keys
}

export async function startDemoSimulation(opts: DemoSimulationOptions): Promise<{ stop(): Promise<void> }> {
  const { devices, log, database } = opts
  const db = database.db
  let stopped = false
  let fleet: FleetConnection | undefined
  let timer: NodeJS.Timeout | undefined
  let backfill: Promise<void> | undefined

  const run = async () => {
    const t0 = Date.now()
    const present = await sql<{
      id: string
    }>`SELECT id FROM tenants WHERE id = ANY(${DEMO_PLANS.map((p) => p.istat)}::text[])`.execute(db)
    const keys = await provisionDemo(
      devices,
      present.rows.map((r) => r.id),
    )
    const sim = createSimulator({
      seed: opts.seed ?? 1,
      speed: opts.speed ?? 1,
      devices: DEMO_PLANS.filter((p) => keys.has(p.istat)).flatMap(fleetOf),
    })
    log.info({ devices: sim.devices.length, ms: Date.now() - t0 }, 'simulator: demo devices provisioned')
    await sim.warm()
    if (stopped) return
    fleet = await connectFleet(opts.mqttUrl, sim, keys, log)
    const tick = () => {
      if (stopped || !fleet) return
      fleet.publish(sim.due(), 1).catch((e) => log.warn({ err: e }, 'simulator: publish failed'))
      timer = setTimeout(tick, 1000)
      timer.unref()
    }
    tick()
    log.info({ mqtt: opts.mqttUrl }, 'simulator: live data flowing')
    if (opts.backfillDays > 0) {
      backfill = runBackfill(sim, keys, t0).catch((e) => {
        if (!stopped) log.error({ err: e }, 'simulator: backfill failed (it resumes at the next start)')
      })
    }
  }

  async function runBackfill(sim: Simulator, keys: Map<string, string>, t0: number): Promise<void> {
    for (const [tenant, apikey] of keys) {
      const state = await sql<{ from: Date | null; to: Date | null; progress: Date | null; done: Date | null }>`
        SELECT backfill_from AS "from", backfill_to AS "to", backfill_progress AS progress, backfill_done_at AS done
        FROM iot_simulator_state WHERE tenant = ${tenant} AND name = 'demo'`.execute(db)
      const s = state.rows[0]
      if (s?.done) continue
      const to = s?.to ? new Date(s.to).getTime() : t0
      const from = s?.from ? new Date(s.from).getTime() : to - opts.backfillDays * 24 * HOUR
      const start = s?.progress ? new Date(s.progress).getTime() : from
      if (!s) {
        await sql`INSERT INTO iot_simulator_state (tenant, name, backfill_from, backfill_to)
          VALUES (${tenant}, 'demo', ${new Date(from).toISOString()}, ${new Date(to).toISOString()})
          ON CONFLICT DO NOTHING`.execute(db)
      }
      const only = createSimulator({
        seed: opts.seed ?? 1,
        devices: sim.devices.filter((d) => d.plan.istat === tenant),
      })
      const hours = Math.round((to - start) / HOUR)
      log.info({ tenant, days: Math.round(hours / 24), devices: only.devices.length }, 'simulator: backfill started')
      const began = Date.now()
      let n = 0
      let lastPct = -1
      for (const { ms, readings } of only.backfill(start, to)) {
        if (stopped) return
        await Promise.all(
          readings.map((r) =>
            devices.ingest.handle({
              transport: 'mqtt',
              apikey,
              deviceId: r.device.deviceId,
              kind: 'attrs',
              payload: payloadOf(r),
              receivedAt: Date.now(),
              wait: true,
            }),
          ),
        )
        n++
        // Keep the queue short: each write is then a small transaction, and the embedded database (which runs on this
        // thread) leaves room for requests and live data between them.
        do await new Promise((r) => setTimeout(r, 5))
        while (devices.queue.size > opts.pace && !stopped)
        if (n % 24 === 0) {
          await devices.queue.flush()
          await sql`UPDATE iot_simulator_state SET backfill_progress = ${new Date(ms + HOUR).toISOString()}
            WHERE tenant = ${tenant} AND name = 'demo'`.execute(db)
        }
        const pct = Math.floor((100 * n) / Math.max(1, hours) / 10) * 10
        if (pct !== lastPct) {
          lastPct = pct
          log.info({ tenant, percent: pct, hours: n }, `simulator: backfill ${tenant} ${pct}%`)
        }
      }
      await devices.queue.flush()
      await sql`UPDATE iot_simulator_state SET backfill_progress = ${new Date(to).toISOString()}, backfill_done_at = now()
        WHERE tenant = ${tenant} AND name = 'demo'`.execute(db)
      log.info({ tenant, seconds: Math.round((Date.now() - began) / 1000) }, 'simulator: backfill done')
    }
  }

  const running = run().catch((e) => {
    if (!stopped) log.error({ err: e }, 'simulator failed')
  })

  return {
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
      await backfill?.catch(() => {})
      await fleet?.close()
    },
  }
}
