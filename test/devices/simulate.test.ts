/**
 * The demo simulator, only where a test asks for it: in the server (provisioning, live data over MQTT, a backfill
 * remembered once done, commands answered by the simulated devices) and as `urbe simulate` against a running server.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/main.js'
import { startDemoSimulation } from '../../src/modules/simulator/runner.js'
import { A, B, PASSWORD } from '../support/app.js'
import { createGatewayApp, type GatewayApp } from './support.js'

const LIGHT = '<https://raw.githubusercontent.com/smart-data-models/dataModel.Streetlighting/master/context.jsonld>'
const link = `${LIGHT}; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`

describe('demo simulator', () => {
  let g: GatewayApp
  beforeAll(async () => {
    g = await createGatewayApp()
  })
  afterAll(() => g?.close())

  const history = async (tenant: string) => {
    const r = await sql<{
      n: number
    }>`SELECT count(*)::int AS n FROM ngsi_attr_history WHERE tenant = ${tenant}`.execute(g.database.db)
    return Number(r.rows[0]!.n)
  }

  it('runs in the server: provisions, backfills once, keeps data live, obeys commands', async () => {
    const sim = await startDemoSimulation({
      database: g.database,
      devices: g.devices,
      log: g.app.log as never,
      mqttUrl: g.mqttUrl,
      backfillDays: 1,
      speed: 600,
      pace: 60,
    })
    try {
      const state = await g.until(async () => {
        const r = await sql<{ tenant: string; done: Date | null }>`SELECT tenant, backfill_done_at AS done
          FROM iot_simulator_state ORDER BY tenant`.execute(g.database.db)
        return r.rows.length === 2 && r.rows.every((x) => x.done) ? r.rows : undefined
      }, 60_000)
      expect(state.map((s) => s.tenant)).toEqual([B, A])
      // a day of hourly readings of Lucca's 54 sensors, a few values each
      expect(await history(A)).toBeGreaterThan(24 * 54 * 2)
      const lamp = 'urn:ngsi-ld:Streetlight:lucca-light-01'
      const get = async () =>
        (
          await g.call({
            method: 'GET',
            url: `/ngsi-ld/v1/entities/${lamp}`,
            key: g.keys[A]!.viewer,
            headers: { link },
          })
        ).json()
      // live (600x: a ten-minute period passes in a second)
      const before = (await get()).powerState.observedAt
      await g.until(async () => (await get()).powerState.observedAt > before)
      const res = await g.call({
        method: 'PATCH',
        url: `/ngsi-ld/v1/entities/${lamp}`,
        key: g.keys[A]!.operator,
        headers: { link, 'content-type': 'application/json' },
        payload: { dimmingLevel: { type: 'Property', value: 50 } },
      })
      expect(res.statusCode).toBe(204)
      const e = await g.until(async () => {
        const x = await get()
        return x.dimmingLevel_status?.value === 'OK' ? x : undefined
      })
      expect(e.dimmingLevel_info.value).toBe('dimmed to 50%')
    } finally {
      await sim.stop()
    }
    // started again: the backfill is not repeated
    const n = await history(B)
    const again = await startDemoSimulation({
      database: g.database,
      devices: g.devices,
      log: g.app.log as never,
      mqttUrl: g.mqttUrl,
      backfillDays: 1,
      pace: 60,
    })
    await new Promise((r) => setTimeout(r, 1500))
    await again.stop()
    await g.devices.queue.flush()
    expect(await history(B)).toBeLessThan(n + 200)
  })

  it('runs as `urbe simulate` against a running server', async () => {
    await g.app.listen({ port: 0, host: '127.0.0.1' })
    const port = (g.app.server.address() as { port: number }).port
    const out: string[] = []
    process.env.URBE_PASSWORD = PASSWORD
    const before = await history(B)
    const code = await run(
      [
        'simulate',
        '--server',
        `http://127.0.0.1:${port}`,
        '--mqtt',
        g.mqttUrl,
        '--user',
        'root',
        '--comuni',
        B,
        '--backfill',
        '1',
        '--speed',
        '3600',
        '--duration',
        '2',
        '--seed',
        '5',
      ],
      { out: (s) => out.push(s) },
    )
    delete process.env.URBE_PASSWORD
    expect(code, out.join('\n')).toBe(0)
    expect(out.join('\n')).toMatch(/provisioned 37 devices in 015170/)
    expect(out.join('\n')).toMatch(/backfill: 24 hours of 37 devices/)
    await g.until(async () => (await history(B)) > before + 24 * 37, 30_000)
  })
})
