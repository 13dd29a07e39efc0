/**
 * Commands: changing a command attribute of a device entity (NGSI-LD PATCH) records the command in the same
 * transaction; the worker publishes it on /{apikey}/{deviceId}/cmd; the device's answer on /cmdexe sets
 * <cmd>_status (PENDING, OK, ERROR, EXPIRED after the timeout) and <cmd>_info on the entity.
 */
import { randomBytes } from 'node:crypto'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A } from '../support/app.js'
import { createGatewayApp, type GatewayApp } from './support.js'

const SDM_LIGHT = 'https://raw.githubusercontent.com/smart-data-models/dataModel.Streetlighting/master/context.jsonld'
const LINK = `<${SDM_LIGHT}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`

describe('device commands', () => {
  let g: GatewayApp
  let key: string
  let device: MqttClient
  const received: { topic: string; payload: string }[] = []
  const lamp = 'urn:ngsi-ld:Streetlight:lamp-1'
  const patch = (entity: string, body: object) =>
    g.call({
      method: 'PATCH',
      url: `/ngsi-ld/v1/entities/${entity}`,
      key: g.keys[A]!.operator,
      headers: { link: LINK, 'content-type': 'application/json' },
      payload: body,
    })
  const entity = async (id: string) =>
    (
      await g.call({
        method: 'GET',
        url: `/ngsi-ld/v1/entities/${id}`,
        key: g.keys[A]!.viewer,
        headers: { link: LINK },
      })
    ).json()
  const statusIs = (id: string, cmd: string, status: string) =>
    g.until(async () => {
      const e = await entity(id)
      return e[`${cmd}_status`]?.value === status ? e : undefined
    })
  const commands = async () =>
    (await g.call({ method: 'GET', url: `/api/tenants/${A}/iot/commands`, key: g.keys[A]!.viewer })).json()

  beforeAll(async () => {
    g = await createGatewayApp()
    key = `c${randomBytes(6).toString('hex')}`
    await g.group({ apikey: key, entity_type: 'Streetlight', context: SDM_LIGHT })
    await g.provision([
      {
        device_id: 'lamp-1',
        apikey: key,
        attributes: [{ object_id: 'l', name: 'illuminanceLevel', type: 'Number' }],
        commands: [{ name: 'dimmingLevel', initial: 100 }, { name: 'reboot' }],
      },
      { device_id: 'lamp-ul', apikey: key, protocol: 'ul', commands: [{ name: 'dimmingLevel', initial: 100 }] },
      { device_id: 'lamp-http', apikey: key, transport: 'http', commands: [{ name: 'dimmingLevel', initial: 100 }] },
      {
        device_id: 'lamp-http-ul',
        apikey: key,
        transport: 'http',
        protocol: 'ul',
        commands: [{ name: 'dimmingLevel', initial: 100 }],
      },
    ])
    device = await g.client()
    device.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }))
    await device.subscribeAsync([`/${key}/lamp-1/cmd`, `/${key}/lamp-ul/cmd`], { qos: 1 })
  })
  afterAll(() => g?.close())

  it('HTTP devices poll for their commands (JSON and UltraLight) and answer on /cmdexe', async () => {
    const poll = (path: string, dev: string, k = key) => g.app.inject({ method: 'GET', url: `${path}?k=${k}&i=${dev}` })
    expect((await poll('/iot/json', 'lamp-http')).statusCode).toBe(204)
    expect(
      (await patch('urn:ngsi-ld:Streetlight:lamp-http', { dimmingLevel: { type: 'Property', value: 30 } })).statusCode,
    ).toBe(204)
    const got = await poll('/iot/json', 'lamp-http')
    expect(got.statusCode, got.body).toBe(200)
    expect(got.json()).toEqual({ dimmingLevel: 30 })
    expect((await poll('/iot/json', 'lamp-http')).statusCode).toBe(204) // taken once
    await statusIs('urn:ngsi-ld:Streetlight:lamp-http', 'dimmingLevel', 'PENDING')
    const answer = await g.app.inject({
      method: 'POST',
      url: `/iot/json/cmdexe?k=${key}&i=lamp-http`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ dimmingLevel: 'dimmed' }),
    })
    expect(answer.statusCode, answer.body).toBe(200)
    expect((await statusIs('urn:ngsi-ld:Streetlight:lamp-http', 'dimmingLevel', 'OK')).dimmingLevel_info.value).toBe(
      'dimmed',
    )

    await patch('urn:ngsi-ld:Streetlight:lamp-http-ul', { dimmingLevel: { type: 'Property', value: 55 } })
    const ul = await poll('/iot/d', 'lamp-http-ul')
    expect(ul.statusCode, ul.body).toBe(200)
    expect(ul.body).toBe('lamp-http-ul@dimmingLevel|55')
    await g.app.inject({
      method: 'POST',
      url: `/iot/d/cmdexe?k=${key}&i=lamp-http-ul`,
      headers: { 'content-type': 'text/plain' },
      payload: 'lamp-http-ul@dimmingLevel|ERROR: lamp broken',
    })
    await statusIs('urn:ngsi-ld:Streetlight:lamp-http-ul', 'dimmingLevel', 'ERROR')
  })

  it('refuses polling with a wrong key, an unknown device or an MQTT device', async () => {
    const poll = (k: string, dev: string) => g.app.inject({ method: 'GET', url: `/iot/json?k=${k}&i=${dev}` })
    expect((await poll('nope', 'lamp-http')).statusCode).toBe(401)
    expect((await poll(key, 'ghost')).statusCode).toBe(404)
    const mqttDevice = await poll(key, 'lamp-1')
    expect(mqttDevice.statusCode).toBe(400)
    expect(mqttDevice.json().detail).toMatch(/MQTT/)
    expect((await g.app.inject({ method: 'GET', url: '/iot/json?k=only-key' })).statusCode).toBe(400)
  })

  it('publishes a command after commit and records the answer (OK) on the entity', async () => {
    expect((await entity(lamp)).dimmingLevel.value).toBe(100)
    const res = await patch(lamp, { dimmingLevel: { type: 'Property', value: 40 } })
    expect(res.statusCode, res.body).toBe(204)
    const msg = await g.until(async () => {
      return received.find((m) => m.topic === `/${key}/lamp-1/cmd`)
    })
    expect(JSON.parse(msg.payload)).toEqual({ dimmingLevel: 40 })
    await statusIs(lamp, 'dimmingLevel', 'PENDING')
    await device.publishAsync(`/${key}/lamp-1/cmdexe`, JSON.stringify({ dimmingLevel: 'dimmed to 40%' }), { qos: 1 })
    const e = await statusIs(lamp, 'dimmingLevel', 'OK')
    expect(e.dimmingLevel_info.value).toBe('dimmed to 40%')
    expect(e.dimmingLevel.value).toBe(40)
    const [last] = await commands()
    expect(last).toMatchObject({ device_id: 'lamp-1', command: 'dimmingLevel', value: 40, status: 'OK' })
    expect(last.sent_at).toBeTruthy()
  })

  it('speaks UltraLight to UltraLight devices, and records an ERROR answer', async () => {
    await patch('urn:ngsi-ld:Streetlight:lamp-ul', { dimmingLevel: { type: 'Property', value: 10 } })
    const msg = await g.until(async () => received.find((m) => m.topic === `/${key}/lamp-ul/cmd`))
    expect(msg.payload).toBe('lamp-ul@dimmingLevel|10')
    await device.publishAsync(`/${key}/lamp-ul/cmdexe`, 'lamp-ul@dimmingLevel|ERROR: driver fault', { qos: 1 })
    const e = await statusIs('urn:ngsi-ld:Streetlight:lamp-ul', 'dimmingLevel', 'ERROR')
    expect(e.dimmingLevel_info.value).toBe('driver fault')
  })

  it('a command attribute that appears with its first command works too (merge patch)', async () => {
    received.length = 0
    await patch(lamp, { reboot: { type: 'Property', value: true } })
    const msg = await g.until(async () => received.find((m) => m.topic === `/${key}/lamp-1/cmd`))
    expect(JSON.parse(msg.payload)).toEqual({ reboot: true })
    await device.publishAsync(`/${key}/lamp-1/cmdexe`, JSON.stringify({ reboot: { status: 'ERROR', info: 'busy' } }))
    expect((await statusIs(lamp, 'reboot', 'ERROR')).reboot_info.value).toBe('busy')
  })

  it('expires a command that gets no answer in time', async () => {
    const quick = await g.group({ entity_type: 'Streetlight', context: SDM_LIGHT, command_timeout_seconds: 1 })
    await g.provision([{ device_id: 'mute', apikey: quick.apikey, commands: [{ name: 'dimmingLevel', initial: 1 }] }])
    await patch('urn:ngsi-ld:Streetlight:mute', { dimmingLevel: { type: 'Property', value: 2 } })
    await statusIs('urn:ngsi-ld:Streetlight:mute', 'dimmingLevel', 'PENDING')
    const e = await statusIs('urn:ngsi-ld:Streetlight:mute', 'dimmingLevel', 'EXPIRED')
    expect(e.dimmingLevel_info.value).toMatch(/no answer/)
    // a late answer is refused and counted on the device
    const c = await g.client()
    await c.publishAsync(`/${quick.apikey}/mute/cmdexe`, '{"dimmingLevel":"OK"}', { qos: 1 })
    const s = await g.until(async () => {
      const r = await g.call({ method: 'GET', url: `/api/tenants/${A}/iot/devices/mute`, key: g.keys[A]!.operator })
      return r.json().status?.error_count ? r.json().status : undefined
    })
    expect(s.last_error).toMatch(/no pending command/)
  })

  it('measurements and other attributes never become commands', async () => {
    received.length = 0
    await device.publishAsync(`/${key}/lamp-1/attrs`, '{"l":0.4}', { qos: 1 })
    await g.until(async () => (await entity(lamp)).illuminanceLevel?.value === 0.4)
    await patch(lamp, { name: { type: 'Property', value: 'Lampione 1' } })
    const before = (await commands()).length
    await new Promise((r) => setTimeout(r, 300))
    expect((await commands()).length).toBe(before)
    expect(received).toEqual([])
  })

  it('an unknown command in an answer is an error of the device', async () => {
    await device.publishAsync(`/${key}/lamp-1/cmdexe`, '{"selfDestruct":"OK"}', { qos: 1 })
    await g.until(async () => {
      const r = await g.call({ method: 'GET', url: `/api/tenants/${A}/iot/devices/lamp-1`, key: g.keys[A]!.operator })
      return /unknown command "selfDestruct"/.test(r.json().status?.last_error ?? '')
    })
  })
})
