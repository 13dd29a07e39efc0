/**
 * The gateway under stress and across failures: a bounded queue with backpressure (MQTT acknowledgements wait, HTTP
 * answers 503), every acknowledged measurement written on a clean shutdown, reconnection with backoff when the
 * external broker goes away.
 */
import net from 'node:net'
import { Aedes } from 'aedes'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { A } from '../support/app.js'
import { createGatewayApp, EXTERNAL_MQTT, type GatewayApp } from './support.js'

const entitiesWith = async (g: GatewayApp, attr: string) => {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ngsi_attr_history
    WHERE tenant = ${A} AND attr LIKE ${`%${attr}`}`.execute(g.database.db)
  return Number(r.rows[0]!.n)
}

describe('gateway lifecycle', () => {
  let g: GatewayApp | undefined
  afterEach(async () => {
    await g?.close()
    g = undefined
  })

  it('writes every acknowledged measurement when it stops', async () => {
    g = await createGatewayApp({ URBE_IOT_FLUSH_MS: '10000', URBE_IOT_BATCH_SIZE: '100000' })
    const { apikey } = await g.group({ entity_type: 'Thing', protocol: 'ul' })
    await g.provision(Array.from({ length: 20 }, (_, i) => ({ device_id: `s${i}`, apikey })))
    const c = await g.client()
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        c.publishAsync(
          `/${apikey}/s${i % 20}/attrs`,
          `2026-04-01T00:${String(Math.floor(i / 20)).padStart(2, '0')}:00Z|v|${i}`,
          { qos: 1 },
        ),
      ),
    )
    await g.until(async () => g!.devices.queue.size === 200 || undefined)
    expect(await entitiesWith(g, '/v')).toBe(0) // nothing written yet: the flush is 10 s away
    await g.devices.stop()
    expect(await entitiesWith(g, '/v')).toBe(200)
  })

  it('bounds its queue: MQTT acknowledgements wait, HTTP answers 503, nothing is lost', async () => {
    g = await createGatewayApp({
      URBE_IOT_FLUSH_MS: '10000',
      URBE_IOT_BATCH_SIZE: '100000',
      URBE_IOT_QUEUE_LIMIT: '100',
    })
    const { apikey } = await g.group({ entity_type: 'Thing', protocol: 'ul' })
    await g.provision(
      Array.from({ length: 10 }, (_, i) => ({ device_id: `b${i}`, apikey, transport: i ? 'mqtt' : 'http' })),
    )
    const c = await g.client()
    let acked = 0
    const all = Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        c
          .publishAsync(
            `/${apikey}/b${1 + (i % 9)}/attrs`,
            `2026-04-02T00:00:${String(i % 60).padStart(2, '0')}.${i}Z|w|${i}`,
            { qos: 1 },
          )
          .then(() => acked++),
      ),
    )
    await g.until(async () => g!.devices.queue.size >= 100 || undefined)
    const http = await g.app.inject({
      method: 'POST',
      url: `/iot/d?k=${apikey}&i=b0`,
      payload: 'w|1',
      headers: { 'content-type': 'text/plain' },
    })
    expect(http.statusCode).toBe(503)
    expect(http.headers['retry-after']).toBe('1')
    await new Promise((r) => setTimeout(r, 300))
    expect(g.devices.queue.size).toBe(100)
    if (!EXTERNAL_MQTT) expect(acked).toBeLessThan(150) // the broker waits with the PUBACKs
    await g.until(async () => {
      await g!.devices.queue.flush()
      return (await entitiesWith(g!, '/w')) === 150
    })
    await all
    expect(g.devices.queue.size).toBe(0)
  })

  it('reconnects to an external broker that went away, with backoff', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port
        s.close(() => resolve(p))
      })
    })
    const startBroker = async () => {
      const broker = await Aedes.createBroker()
      const server = net.createServer(broker.handle)
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()))
      return {
        close: () =>
          new Promise<void>((r) => {
            broker.close()
            server.close(() => r())
          }),
      }
    }
    let broker = await startBroker()
    g = await createGatewayApp({
      MQTT_URL: `mqtt://127.0.0.1:${port}`,
      URBE_MQTT_SHARED_GROUP: '',
      URBE_MQTT_CLIENT_ID: `urbe-reconnect-${process.pid}`,
    })
    const { apikey } = await g.group({ entity_type: 'Thing', protocol: 'ul' })
    await g.provision([{ device_id: 'r1', apikey }])
    const metric = async (name: string) => {
      const line = (await g!.app.inject({ method: 'GET', url: '/metrics' })).body
        .split('\n')
        .find((l) => l.startsWith(`${name} `))
      return Number(line?.split(' ')[1] ?? 0)
    }
    await g.until(async () => (await metric('urbe_iot_mqtt_connected')) === 1)
    const publish = async (v: number) => {
      const mqtt = await import('mqtt')
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 })
      await c.publishAsync(`/${apikey}/r1/attrs`, `x|${v}`, { qos: 1 })
      await c.endAsync()
    }
    await g.until(async () => {
      await publish(1)
      return (await g!.entity('urn:ngsi-ld:Thing:r1'))?.x?.value === 1
    })
    await broker.close()
    await g.until(async () => (await metric('urbe_iot_mqtt_connected')) === 0)
    await new Promise((r) => setTimeout(r, 1500)) // a few failed attempts
    broker = await startBroker()
    await g.until(async () => (await metric('urbe_iot_mqtt_connected')) === 1, 20_000)
    expect(await metric('urbe_iot_mqtt_reconnects_total')).toBeGreaterThanOrEqual(1)
    await g.until(async () => {
      await publish(2)
      return (await g!.entity('urn:ngsi-ld:Thing:r1'))?.x?.value === 2
    })
    await g.close()
    g = undefined
    await broker.close()
  })
})
