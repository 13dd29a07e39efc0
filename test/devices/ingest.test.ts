/**
 * Measurements end to end, on the embedded broker or on Mosquitto (URBE_TEST_MQTT_URL): JSON and UltraLight over MQTT
 * and HTTP, single-attribute topics, timestamps, topic prefixes, history, and every bad input (malformed payload,
 * unknown device, wrong key) counted per device and never a crash; auto-provisioning; redeliveries stored once.
 */
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A } from '../support/app.js'
import { rawConnect } from './raw-mqtt.js'
import { createGatewayApp, EXTERNAL_MQTT, type GatewayApp } from './support.js'

const ATTRS = [
  { object_id: 't', name: 'temperature', type: 'Number', unitCode: 'CEL' },
  { object_id: 'h', name: 'relativeHumidity', type: 'Number', unitCode: 'P1' },
  { object_id: 's', name: 'status', type: 'Text' },
]

describe('device measurements', () => {
  let g: GatewayApp
  let key: string
  let prefixed: { apikey: string; topic_prefix: string }
  const id = (d: string) => `urn:ngsi-ld:WeatherObserved:${d}`
  const history = async (entity: string, attr: string) => {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ngsi_attr_history
      WHERE tenant = ${A} AND entity_id = ${entity} AND attr LIKE ${`%${attr}`}`.execute(g.database.db)
    return Number(r.rows[0]!.n)
  }
  const value = (d: string, attr: string, expected: unknown) =>
    g.until(async () => {
      const e = await g.entity(id(d))
      return e?.[attr]?.value === expected ? e : undefined
    })
  const metric = async (name: string, labels: Record<string, string>) => {
    const text = (await g.app.inject({ method: 'GET', url: '/metrics' })).body
    const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)))
    return line ? Number(line.split(' ').pop()) : 0
  }
  const status = async (d: string) => {
    const r = await g.call({ method: 'GET', url: `/api/tenants/${A}/iot/devices/${d}`, key: g.keys[A]!.operator })
    return r.json().status
  }

  beforeAll(async () => {
    g = await createGatewayApp()
    key = `k${randomBytes(6).toString('hex')}`
    await g.group({ apikey: key, entity_type: 'WeatherObserved', attributes: ATTRS })
    prefixed = await g.group({
      entity_type: 'WeatherObserved',
      topic_prefix: `urbe-test/${randomBytes(3).toString('hex')}`,
    })
    await g.provision([
      { device_id: 'json-1', apikey: key },
      { device_id: 'ul-1', apikey: key, protocol: 'ul' },
      { device_id: 'http-json', apikey: key, transport: 'http' },
      { device_id: 'http-ul', apikey: key, protocol: 'ul', transport: 'http' },
      { device_id: 'pre-1', apikey: prefixed.apikey, attributes: ATTRS },
      { device_id: 'dup-1', apikey: key, protocol: 'ul' },
      { device_id: 'dup-2', apikey: key, protocol: 'ul' },
      { device_id: 'bad-1', apikey: key, protocol: 'ul' },
      { device_id: 'late-1', apikey: key },
    ])
  })
  afterAll(() => g?.close())

  it('stores JSON over MQTT (QoS 0 and 1), with units, time of receipt and history', async () => {
    const c = await g.client()
    const before = Date.now()
    await c.publishAsync(`/${key}/json-1/attrs`, JSON.stringify({ t: 21.5, h: 40, s: 'ok' }), { qos: 1 })
    const e = await value('json-1', 'temperature', 21.5)
    expect(e.temperature).toMatchObject({ type: 'Property', unitCode: 'CEL' })
    expect(e.relativeHumidity.value).toBe(40)
    expect(e.status.value).toBe('ok')
    expect(Date.parse(e.temperature.observedAt)).toBeGreaterThanOrEqual(before - 1000)
    await c.publishAsync(`/${key}/json-1/attrs`, JSON.stringify({ t: 22 }), { qos: 0 })
    await value('json-1', 'temperature', 22)
    expect(await history(id('json-1'), 'temperature')).toBe(2)
  })

  it('stores UltraLight over MQTT, with payload timestamps and several groups in order', async () => {
    const c = await g.client()
    await c.publishAsync(`/${key}/ul-1/attrs`, '2026-03-01T10:00:00Z|t|10|h|50#2026-03-01T10:05:00Z|t|11', { qos: 1 })
    const e = await value('ul-1', 'temperature', 11)
    expect(e.temperature.observedAt).toBe('2026-03-01T10:05:00.000Z')
    expect(e.relativeHumidity.observedAt).toBe('2026-03-01T10:00:00.000Z')
    expect(await history(id('ul-1'), 'temperature')).toBe(2)
  })

  it('keeps the newer value when an older measurement arrives late, and puts the late one in history', async () => {
    const c = await g.client()
    const at = (iso: string, t: number, h?: number) =>
      c.publishAsync(
        `/${key}/late-1/attrs`,
        JSON.stringify({ t, ...(h === undefined ? {} : { h }), TimeInstant: iso }),
        {
          qos: 1,
        },
      )
    await at('2026-05-01T12:00:00Z', 20, 60)
    await value('late-1', 'temperature', 20)
    await at('2026-05-01T11:00:00Z', 15) // an hour late (a buffered uplink, a backfill)
    await g.until(async () => (await history(id('late-1'), 'temperature')) === 2)
    const e = await g.entity(id('late-1'))
    expect(e!.temperature).toMatchObject({ value: 20, observedAt: '2026-05-01T12:00:00.000Z' })
    // a newer one still replaces it, and an attribute the late message does not carry is untouched
    await at('2026-05-01T13:00:00Z', 25)
    const n = await value('late-1', 'temperature', 25)
    expect(n.relativeHumidity.value).toBe(60)
    expect(await history(id('late-1'), 'temperature')).toBe(3)
    const r = await sql<{ v: number }>`SELECT (inst->>'value')::float8 AS v FROM ngsi_attr_history
      WHERE tenant = ${A} AND entity_id = ${id('late-1')} AND attr LIKE '%temperature' ORDER BY observed_at`.execute(
      g.database.db,
    )
    expect(r.rows.map((x) => Number(x.v))).toEqual([15, 20, 25])
  })

  it('stores a single attribute from .../attrs/<objectId>, and unmapped values under their own name', async () => {
    const c = await g.client()
    await c.publishAsync(`/${key}/ul-1/attrs/h`, '63', { qos: 1 })
    await value('ul-1', 'relativeHumidity', 63)
    await c.publishAsync(`/${key}/json-1/attrs`, JSON.stringify({ windSpeed: 3.5 }), { qos: 1 })
    await value('json-1', 'windSpeed', 3.5)
  })

  it('takes the FIWARE protocol topics (/ul/...) and the group prefix', async () => {
    const c = await g.client()
    await c.publishAsync(`/ul/${key}/json-1/attrs`, 't|30', { qos: 1 })
    await value('json-1', 'temperature', 30)
    await c.publishAsync(`${prefixed.topic_prefix}/${prefixed.apikey}/pre-1/attrs`, '{"t":5}', { qos: 1 })
    await g.until(async () => (await g.entity('urn:ngsi-ld:WeatherObserved:pre-1'))?.temperature?.value === 5)
  })

  it('stores JSON and UltraLight over HTTP (/iot/json, /iot/d)', async () => {
    const j = await g.app.inject({
      method: 'POST',
      url: `/iot/json?k=${key}&i=http-json`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ t: 17.5, TimeInstant: '2026-03-02T08:00:00Z' }),
    })
    expect(j.statusCode, j.body).toBe(200)
    expect(j.json()).toEqual({ measurements: 1 })
    const u = await g.app.inject({
      method: 'POST',
      url: `/iot/d?k=${key}&i=http-ul`,
      headers: { 'content-type': 'text/plain' },
      payload: 't|18|h|55',
    })
    expect(u.json()).toEqual({ measurements: 2 })
    expect((await value('http-json', 'temperature', 17.5)).temperature.observedAt).toBe('2026-03-02T08:00:00.000Z')
    await value('http-ul', 'relativeHumidity', 55)
  })

  it('counts a malformed payload against its device, keeps the valid values, never crashes', async () => {
    const c = await g.client()
    await c.publishAsync(`/${key}/bad-1/attrs`, 't|twenty|h|41', { qos: 1 })
    await value('bad-1', 'relativeHumidity', 41)
    await c.publishAsync(`/${key}/bad-1/attrs`, 'complete garbage without pairs', { qos: 1 })
    const http = await g.app.inject({
      method: 'POST',
      url: `/iot/json?k=${key}&i=bad-1`,
      headers: { 'content-type': 'application/json' },
      payload: '{"t": ',
    })
    expect(http.statusCode).toBe(400)
    expect(http.headers['content-type']).toContain('application/problem+json')
    const s = await g.until(async () => {
      const s = await status('bad-1')
      return s?.error_count >= 3 ? s : undefined
    })
    expect(s.error_count).toBe(3)
    expect(s.last_error).toMatch(/malformed JSON/)
    expect(s.measurements).toBe(1)
    expect(s.last_seen_at).toBeTruthy()
    expect(await metric('urbe_iot_rejected_total', { tenant: A, reason: 'malformed' })).toBeGreaterThanOrEqual(3)
    expect(await metric('urbe_iot_device_errors_total', { tenant: A, device: 'bad-1' })).toBeGreaterThanOrEqual(3)
    // still serving
    await c.publishAsync(`/${key}/bad-1/attrs`, 'h|42', { qos: 1 })
    await value('bad-1', 'relativeHumidity', 42)
  })

  it('drops an unknown device (counted, listed on its group) and answers 404 over HTTP', async () => {
    const c = await g.client()
    await c.publishAsync(`/${key}/ghost/attrs`, '{"t":1}', { qos: 1 })
    const r = await g.app.inject({
      method: 'POST',
      url: `/iot/d?k=${key}&i=ghost`,
      payload: 't|1',
      headers: { 'content-type': 'text/plain' },
    })
    expect(r.statusCode).toBe(404)
    const grp = await g.until(async () => {
      const res = await g.call({
        method: 'GET',
        url: `/api/tenants/${A}/iot/services/${key}`,
        key: g.keys[A]!.operator,
      })
      return res.json().unknown_devices?.find((u: { device_id: string }) => u.device_id === 'ghost')
    })
    expect(grp.messages).toBe(2)
    expect(await metric('urbe_iot_rejected_total', { tenant: A, reason: 'unknown_device' })).toBe(2)
    expect(await g.entity('urn:ngsi-ld:WeatherObserved:ghost')).toBeUndefined()
  })

  it('refuses a wrong key: 401 over HTTP; counted on MQTT (the embedded broker also closes the connection)', async () => {
    const r = await g.app.inject({
      method: 'POST',
      url: '/iot/d?k=nope-nope&i=x',
      payload: 't|1',
      headers: { 'content-type': 'text/plain' },
    })
    expect(r.statusCode).toBe(401)
    const before = await metric('urbe_iot_rejected_total', { tenant: '_unknown', reason: 'wrong_key' })
    const { raw } = await rawConnect(g.mqttUrl, `wk-${randomBytes(3).toString('hex')}`)
    raw.publish('/nope-nope/x/attrs', 't|1', { qos: 1, messageId: 3 })
    if (!EXTERNAL_MQTT) await raw.closed
    await g.until(
      async () => (await metric('urbe_iot_rejected_total', { tenant: '_unknown', reason: 'wrong_key' })) > before,
    )
    raw.end()
  })

  it.skipIf(!!EXTERNAL_MQTT)(
    'embedded broker: authenticates with the key as password, refuses a wrong one',
    async () => {
      const ok = await rawConnect(g.mqttUrl, 'auth-ok', { username: 'json-1', password: key })
      expect(ok.code).toBe(0)
      ok.raw.publish(`/${prefixed.apikey}/pre-1/attrs`, '{"t":1}', { qos: 1, messageId: 1 })
      await ok.raw.closed // another group's key: connection closed
      const bad = await rawConnect(g.mqttUrl, 'auth-bad', { username: 'json-1', password: 'wrong-key' })
      expect(bad.code).toBe(4)
      const c = await g.client({ username: 'dev', password: key })
      await c.publishAsync(`/${key}/json-1/attrs`, '{"t":99}', { qos: 1 })
      await value('json-1', 'temperature', 99)
    },
  )

  it('auto-provisions an unknown device when its group allows it', async () => {
    const auto = await g.group({
      entity_type: 'WeatherObserved',
      autoprovision: true,
      protocol: 'ul',
      attributes: ATTRS,
    })
    const c = await g.client()
    await c.publishAsync(`/${auto.apikey}/new-station/attrs`, 't|12.5', { qos: 1 })
    const e = await g.until(async () => (await g.entity('urn:ngsi-ld:WeatherObserved:new-station'))?.temperature)
    expect(e).toMatchObject({ value: 12.5, unitCode: 'CEL' })
    const d = await g.call({
      method: 'GET',
      url: `/api/tenants/${A}/iot/devices/new-station`,
      key: g.keys[A]!.operator,
    })
    expect(d.json()).toMatchObject({ autoprovisioned: true, protocol: 'ul' })
  })

  it.skipIf(!!EXTERNAL_MQTT)('stores a QoS 1 redelivery (DUP, same packet id) once', async () => {
    const { raw } = await rawConnect(g.mqttUrl, `dup-${randomBytes(3).toString('hex')}`)
    raw.publish(`/${key}/dup-1/attrs`, 't|1', { qos: 1, messageId: 42 })
    raw.publish(`/${key}/dup-1/attrs`, 't|1', { qos: 1, messageId: 42, dup: true })
    raw.publish(`/${key}/dup-1/attrs`, 't|2', { qos: 1, messageId: 43 })
    expect(await raw.acks(3)).toEqual([42, 42, 43])
    await value('dup-1', 'temperature', 2)
    expect(await history(id('dup-1'), 'temperature')).toBe(2)
    raw.end()
  })

  it('stores a repeated timestamped payload once, whoever redelivers it', async () => {
    const c = await g.client()
    const p = '2026-03-03T09:00:00Z|t|7'
    await c.publishAsync(`/${key}/dup-2/attrs`, p, { qos: 1 })
    await c.publishAsync(`/${key}/dup-2/attrs`, p, { qos: 1 })
    await c.publishAsync(`/${key}/dup-2/attrs`, '2026-03-03T09:01:00Z|t|8', { qos: 1 })
    await value('dup-2', 'temperature', 8)
    const r = await g.app.inject({
      method: 'POST',
      url: `/iot/d?k=${key}&i=dup-2`,
      payload: p,
      headers: { 'content-type': 'text/plain' },
    })
    expect(r.json()).toEqual({ measurements: 0, duplicate: true })
    expect(await history(id('dup-2'), 'temperature')).toBe(2)
    expect(await metric('urbe_iot_duplicates_total', { tenant: A })).toBeGreaterThanOrEqual(2)
  })
})
