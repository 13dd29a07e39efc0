/**
 * MQTT endpoints (mqtt://host:port/topic): notifications published as { metadata, body } to an in-process Aedes
 * broker on a random port, with the QoS of MQTT-QoS; and to a Mosquitto on 127.0.0.1:1883 when one is running.
 */
import net from 'node:net'
import { Aedes } from 'aedes'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, createTestApp, type TestApp } from '../support/app.js'
import { sleep, waitFor } from './subscriptions-receiver.js'

interface Message {
  topic: string
  qos: number
  json: { metadata: Record<string, string>; body: { id: string; subscriptionId: string; data: any[] } }
}

async function subscriber(url: string, topic: string): Promise<{ client: MqttClient; messages: Message[] }> {
  const client = await connectAsync(url, { reconnectPeriod: 0 })
  const messages: Message[] = []
  client.on('message', (t, payload, packet) =>
    messages.push({ topic: t, qos: packet.qos, json: JSON.parse(payload.toString('utf8')) }),
  )
  await client.subscribeAsync(topic, { qos: 1 })
  return { client, messages }
}

const mosquittoUp = () =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(1883, '127.0.0.1')
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })

describe('NGSI-LD notifications over MQTT', () => {
  let t: TestApp
  let broker: Aedes
  let server: net.Server
  let port: number
  let mosquitto = false
  beforeAll(async () => {
    t = await createTestApp({ URBE_NOTIFY_POLL_MS: '100', URBE_NOTIFY_BACKOFF_MAX_MS: '300' })
    broker = await Aedes.createBroker()
    server = net.createServer(broker.handle)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as net.AddressInfo).port
    mosquitto = await mosquittoUp()
    if (!mosquitto) console.log('no Mosquitto on 127.0.0.1:1883: its test is skipped')
  })
  afterAll(async () => {
    await t?.close()
    await new Promise<void>((r) => broker?.close(() => r()))
    await new Promise<void>((r) => server?.close(() => r()))
  })

  const call = (method: string, url: string, payload?: unknown) =>
    t.call({
      method: method as 'GET',
      url: `/ngsi-ld/v1${url}`,
      key: t.keys[A]!.operator,
      ...(payload === undefined ? {} : { payload: payload as object }),
    })
  const subscribe = async (type: string, uri: string, notifierInfo?: { key: string; value: string }[]) => {
    const r = await call('POST', '/subscriptions', {
      type: 'Subscription',
      entities: [{ type }],
      notification: {
        format: 'keyValues',
        endpoint: {
          uri,
          ...(notifierInfo ? { notifierInfo } : {}),
          receiverInfo: [{ key: 'X-Source', value: 'urbe-test' }],
        },
      },
    })
    expect(r.statusCode, r.body).toBe(201)
    return decodeURIComponent(r.headers.location!.split('/').pop()!)
  }
  const thing = (type: string, id: string, n: number) => ({ id, type, n: { type: 'Property', value: n } })

  it('publishes to the topic of the endpoint, with headers as metadata, QoS from MQTT-QoS', async () => {
    const sub = await subscriber(`mqtt://127.0.0.1:${port}`, 'urbe/notify/#')
    try {
      const sid = await subscribe('MqttThing', `mqtt://127.0.0.1:${port}/urbe/notify/rooms`, [
        { key: 'MQTT-QoS', value: '1' },
      ])
      await call('POST', '/entities', thing('MqttThing', 'urn:x:m1', 1))
      for (let n = 2; n <= 5; n++) {
        await call('PATCH', '/entities/urn:x:m1/attrs', { n: { type: 'Property', value: n } })
      }
      await waitFor(() => sub.messages.some((m) => m.json.body.data.some((d) => d.n === 5)), 10_000, 'MQTT messages')
      const m = sub.messages[0]!
      expect(m.topic).toBe('urbe/notify/rooms')
      expect(m.qos).toBe(1)
      expect(m.json.metadata).toMatchObject({ 'Content-Type': 'application/json', 'NGSILD-Tenant': A })
      expect(m.json.metadata['X-Source']).toBe('urbe-test')
      expect(m.json.body).toMatchObject({ type: 'Notification', subscriptionId: sid })
      expect(sub.messages.flatMap((x) => x.json.body.data.map((d) => d.n))).toEqual([1, 2, 3, 4, 5])
    } finally {
      await sub.client.endAsync()
    }
  })

  it('retries while the broker is unreachable', async () => {
    const free = net.createServer()
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r))
    const p2 = (free.address() as net.AddressInfo).port
    await new Promise<void>((r) => free.close(() => r()))
    const sid = await subscribe('MqttLate', `mqtt://127.0.0.1:${p2}/late`)
    await call('POST', '/entities', thing('MqttLate', 'urn:x:late', 1))
    await waitFor(async () => (await call('GET', `/subscriptions/${sid}`)).json().notification.timesFailed >= 1)
    // a broker appears on that port: the pending notification goes out
    const b2 = await Aedes.createBroker()
    const s2 = net.createServer(b2.handle)
    await new Promise<void>((r) => s2.listen(p2, '127.0.0.1', r))
    const sub = await subscriber(`mqtt://127.0.0.1:${p2}`, 'late')
    try {
      await waitFor(() => sub.messages.length >= 1, 10_000, 'the late message')
      expect(sub.messages[0]!.json.body.data).toEqual([{ id: 'urn:x:late', type: 'MqttLate', n: 1 }])
    } finally {
      await sub.client.endAsync()
      await new Promise<void>((r) => b2.close(() => r()))
      await new Promise<void>((r) => s2.close(() => r()))
    }
  })

  it('publishes to a Mosquitto on 127.0.0.1:1883 when one runs', async (ctx) => {
    if (!mosquitto) ctx.skip()
    const topic = `urbe-test/${process.pid}-${Date.now()}`
    const sub = await subscriber('mqtt://127.0.0.1:1883', topic)
    try {
      await subscribe('MqttMosq', `mqtt://127.0.0.1:1883/${topic}`, [{ key: 'MQTT-Version', value: 'mqtt5.0' }])
      await call('POST', '/entities', thing('MqttMosq', 'urn:x:mosq', 7))
      await waitFor(() => sub.messages.length >= 1, 10_000, 'the Mosquitto message')
      await sleep(100)
      expect(sub.messages.map((m) => m.json.body.data)).toEqual([[{ id: 'urn:x:mosq', type: 'MqttMosq', n: 7 }]])
    } finally {
      await sub.client.endAsync()
    }
  })
})
