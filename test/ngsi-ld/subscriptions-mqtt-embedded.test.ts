/**
 * MQTT endpoints on the embedded broker (Aedes of the device gateway): the notifier publishes in-process under
 * `ngsi-ld/{tenant}/`, receivers subscribe with an Urbe API key of that tenant, and no one else reads or writes there.
 */
import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, B, createTestApp, type TestApp } from '../support/app.js'
import { sleep, waitFor } from './subscriptions-receiver.js'

describe('NGSI-LD notifications to the embedded MQTT broker', () => {
  let t: TestApp
  let url: string
  const clients: MqttClient[] = []
  beforeAll(async () => {
    // the embedded broker, also in CI's second pass (which otherwise points the gateway at Mosquitto)
    t = await createTestApp({
      HOST: '127.0.0.1',
      URBE_MQTT_PORT: '0',
      MQTT_URL: '',
      URBE_NOTIFY_POLL_MS: '100',
      URBE_NOTIFY_BACKOFF_MAX_MS: '300',
    })
    await t.devices.start()
    expect(t.devices.mqtt?.kind).toBe('embedded')
    url = `mqtt://127.0.0.1:${t.devices.mqtt!.port}`
  })
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})))
    await t?.close()
  })

  const connect = async (password?: string) => {
    const c = await connectAsync(url, { reconnectPeriod: 0, ...(password ? { username: 'receiver', password } : {}) })
    clients.push(c)
    return c
  }
  /** Subscribes; resolves to the granted QoS (128 = refused). */
  const granted = (c: MqttClient, topic: string) =>
    c.subscribeAsync(topic, { qos: 1 }).then(
      (g) => g[0]!.qos,
      (e: { message: string }) => (/Subscribe error/.test(e.message) ? 128 : Promise.reject(e)),
    )
  const listen = (c: MqttClient) => {
    const got: { topic: string; body: any }[] = []
    c.on('message', (topic, payload) => got.push({ topic, body: JSON.parse(payload.toString('utf8')).body }))
    return got
  }
  const call = (method: string, url: string, payload?: unknown, tenant = A) =>
    t.call({
      method: method as 'GET',
      url: `/ngsi-ld/v1${url}`,
      key: t.keys[tenant]!.operator,
      headers: { 'ngsild-tenant': tenant },
      ...(payload === undefined ? {} : { payload: payload as object }),
    })
  const subscribe = async (type: string, uri: string, tenant = A) => {
    const r = await call(
      'POST',
      '/subscriptions',
      { type: 'Subscription', entities: [{ type }], notification: { format: 'keyValues', endpoint: { uri } } },
      tenant,
    )
    expect(r.statusCode, r.body).toBe(201)
    return decodeURIComponent(r.headers.location!.split('/').pop()!)
  }

  it('delivers to a receiver holding an API key of the tenant, on ngsi-ld/{tenant}/...', async () => {
    const receiver = await connect(t.keys[A]!.viewer)
    expect(await granted(receiver, `ngsi-ld/${A}/#`)).toBe(1)
    const got = listen(receiver)
    const port = t.devices.mqtt!.port
    const sid = await subscribe('EmbThing', `mqtt://localhost:${port}/ngsi-ld/${A}/rooms`)
    await call('POST', '/entities', { id: 'urn:x:emb1', type: 'EmbThing', n: { type: 'Property', value: 1 } })
    await call('PATCH', '/entities/urn:x:emb1/attrs', { n: { type: 'Property', value: 2 } })
    await waitFor(() => got.some((m) => m.body.data.some((d: any) => d.n === 2)), 10_000, 'notifications')
    expect(got[0]!.topic).toBe(`ngsi-ld/${A}/rooms`)
    expect(got[0]!.body).toMatchObject({ type: 'Notification', subscriptionId: sid })
    expect(got.flatMap((m) => m.body.data.map((d: any) => d.n))).toEqual([1, 2])
    const status = (await call('GET', `/subscriptions/${encodeURIComponent(sid)}`)).json().notification
    expect(status.timesSent).toBeGreaterThanOrEqual(1)
  })

  it("refuses other tenants' topics, anonymous receivers and publishers in the notification space", async () => {
    const other = await connect(t.keys[B]!.viewer)
    expect(await granted(other, `ngsi-ld/${A}/#`)).toBe(128)
    expect(await granted(other, 'ngsi-ld/+/#')).toBe(128)
    expect(await granted(other, '#')).toBe(128)
    const anonymous = await connect()
    expect(await granted(anonymous, `ngsi-ld/${A}/#`)).toBe(128)
    // a receiver may not publish; Aedes closes the connection of a refused publisher
    const own = await connect(t.keys[A]!.viewer)
    const watcher = await connect(t.keys[A]!.viewer)
    await granted(watcher, `ngsi-ld/${A}/#`)
    const got = listen(watcher)
    own.publish(`ngsi-ld/${A}/rooms`, JSON.stringify({ body: { forged: true } }))
    await sleep(300)
    expect(got).toEqual([])
  })

  it('a wrong API key cannot connect', async () => {
    await expect(connect(`urbe_${'x'.repeat(12)}_${'y'.repeat(43)}`)).rejects.toThrow()
  })

  it("fails the delivery (and says why) when the topic is outside the subscription's tenant", async () => {
    const port = t.devices.mqtt!.port
    const sid = await subscribe('EmbWrong', `mqtt://127.0.0.1:${port}/ngsi-ld/${B}/stolen`)
    const spy = await connect(t.keys[B]!.viewer)
    expect(await granted(spy, `ngsi-ld/${B}/#`)).toBe(1)
    const got = listen(spy)
    await call('POST', '/entities', { id: 'urn:x:emb2', type: 'EmbWrong', n: { type: 'Property', value: 1 } })
    await waitFor(
      async () => (await call('GET', `/subscriptions/${encodeURIComponent(sid)}`)).json().notification.timesFailed >= 1,
      10_000,
      'a failed delivery',
    )
    expect(got).toEqual([])
  })
})
