/** Provisioning by API (FIWARE payloads) and CSV: service groups, devices, their entities, validation, audit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, B, createTestApp, type TestApp } from '../support/app.js'

const SDM_ENV = 'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld'
const ENV_LINK = `<${SDM_ENV}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`

describe('device provisioning', () => {
  let t: TestApp
  let op: string
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, extra = {}) =>
    t.call({ method, url: `/api/tenants/${A}/iot${url}`, key: op, ...(payload ? { payload } : {}), ...extra })

  beforeAll(async () => {
    t = await createTestApp()
    op = t.keys[A]!.operator
  })
  afterAll(() => t?.close())

  it('creates service groups (FIWARE shape), generates keys, refuses a key in use', async () => {
    const res = await call('POST', '/services', {
      services: [
        { apikey: 'lucca-air-1', entity_type: 'AirQualityObserved', context: SDM_ENV, protocol: 'PDI-IoTA-UltraLight' },
        { entity_type: 'Streetlight', topic_prefix: '/lucca/lights/', description: 'lights' },
      ],
    })
    expect(res.statusCode, res.body).toBe(201)
    const [air, lights] = res.json().services
    expect(air).toMatchObject({ apikey: 'lucca-air-1', protocol: 'ul', topic_prefix: '', command_timeout_seconds: 60 })
    expect(lights.apikey).toMatch(/^[A-Za-z0-9_-]{20,}$/)
    expect(lights.topic_prefix).toBe('lucca/lights')
    const again = await t.call({
      method: 'POST',
      url: `/api/tenants/${B}/iot/services`,
      key: t.keys[B]!.operator,
      payload: { apikey: 'lucca-air-1', entity_type: 'X' },
    })
    expect(again.statusCode).toBe(409)
    const list = await call('GET', '/services')
    expect(list.json().count).toBe(2)
    const audit = await t.call({
      method: 'GET',
      url: `/api/tenants/${A}/audit?action=iot.group.create`,
      key: t.keys[A]!.admin,
    })
    expect(audit.json().total ?? audit.json().entries?.length).toBeGreaterThanOrEqual(2)
  })

  it('refuses bad groups with the field named', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /entity_type/],
      [{ entity_type: 'X', apikey: 'a b' }, /apikey/],
      [{ entity_type: 'X', protocol: 'xml' }, /protocol/],
      [{ entity_type: 'X', topic_prefix: 'a/+/b' }, /topic_prefix/],
      [{ entity_type: 'X', attributes: [{ object_id: 't', name: 'bad name' }] }, /attributes\[0\]\.name/],
      [{ entity_type: 'X', attributes: [{ name: 't', type: 'Colour' }] }, /unknown type "Colour"/],
      [{ entity_type: 'X', commands: [{ name: 'dim' }], static_attributes: [{ name: 'dim', value: 1 }] }, /dim/],
    ]
    for (const [body, re] of cases) {
      const res = await call('POST', '/services', body)
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect(res.json().detail).toMatch(re)
    }
  })

  it('provisions devices and creates their entities with location, static and command attributes', async () => {
    const res = await call('POST', '/devices', {
      devices: [
        {
          device_id: 'aq-napoleone',
          apikey: 'lucca-air-1',
          entity_name: 'urn:ngsi-ld:AirQualityObserved:lucca-napoleone',
          attributes: [{ object_id: 'n', name: 'no2', type: 'Number', unitCode: 'GQ' }],
          static_attributes: [{ name: 'address', type: 'Property', value: { streetAddress: 'Piazza Napoleone' } }],
          location: { type: 'Point', coordinates: [10.5029, 43.8412] },
          commands: [{ name: 'calibrate' }],
        },
        { device_id: 'aq-2', apikey: 'lucca-air-1', transport: 'HTTP' },
      ],
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toEqual({ created: ['aq-napoleone', 'aq-2'], replaced: [], skipped: [] })
    const e = await t.call({
      method: 'GET',
      url: '/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:lucca-napoleone',
      key: t.keys[A]!.viewer,
      headers: { link: ENV_LINK },
    })
    expect(e.statusCode).toBe(200)
    expect(e.json()).toMatchObject({
      type: 'AirQualityObserved',
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [10.5029, 43.8412] } },
      address: { type: 'Property', value: { streetAddress: 'Piazza Napoleone' } },
      calibrate_status: { type: 'Property', value: 'UNKNOWN' },
    })
    const d = await call('GET', '/devices/aq-2')
    expect(d.json()).toMatchObject({
      entity_name: 'urn:ngsi-ld:AirQualityObserved:aq-2',
      protocol: 'ul',
      transport: 'http',
    })
    const near = await t.call({
      method: 'GET',
      url: `/ngsi-ld/v1/entities?type=AirQualityObserved&georel=near;maxDistance==100&geometry=Point&coordinates=[10.503,43.8412]`,
      key: t.keys[A]!.viewer,
      headers: { link: ENV_LINK },
    })
    expect(near.json().map((x: { id: string }) => x.id)).toEqual(['urn:ngsi-ld:AirQualityObserved:lucca-napoleone'])
  })

  it('handles devices that exist already: fail (409), skip, replace', async () => {
    const body = { devices: [{ device_id: 'aq-2', apikey: 'lucca-air-1', description: 'second' }] }
    expect((await call('POST', '/devices', body)).statusCode).toBe(409)
    expect((await call('POST', '/devices?existing=skip', body)).json()).toMatchObject({ skipped: ['aq-2'] })
    expect((await call('POST', '/devices?existing=replace', body)).json()).toMatchObject({ replaced: ['aq-2'] })
    expect((await call('GET', '/devices/aq-2')).json()).toMatchObject({ description: 'second', transport: 'mqtt' })
  })

  it('refuses bad devices with their index and field, and writes nothing', async () => {
    const res = await call('POST', '/devices', {
      devices: [
        { device_id: 'ok-1', apikey: 'lucca-air-1' },
        { device_id: 'bad/id', apikey: 'lucca-air-1' },
      ],
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().detail).toMatch(/^devices\[1\]\.device_id/)
    expect((await call('GET', '/devices/ok-1')).statusCode).toBe(404)
    const noGroup = await call('POST', '/devices', { devices: [{ device_id: 'x' }] })
    expect(noGroup.json().detail).toMatch(/apikey/)
    const badGeo = await call('POST', '/devices', {
      device_id: 'g',
      apikey: 'lucca-air-1',
      location: { type: 'Point', coordinates: [200, 0] },
    })
    expect(badGeo.json().detail).toMatch(/location.*longitude/)
  })

  it('imports CSV, reporting every problem with its line, all or nothing', async () => {
    const bad = [
      'device_id,apikey,latitude,longitude,attributes,static_attributes,commands',
      'csv-1,lucca-air-1,43.84,10.50,n=no2:Number:GQ,address=Via Fillungo,',
      'csv 2,lucca-air-1,,,,,',
      'csv-3,nokey,,,,,',
      'csv-4,lucca-air-1,43.84,,,,',
      'csv-5,lucca-air-1,,,t=temperature:Colour,,',
    ].join('\n')
    const res = await call('POST', '/devices/import', undefined, {
      payload: bad,
      headers: { 'content-type': 'text/csv' },
    })
    expect(res.statusCode, res.body).toBe(400)
    const errors: string[] = res.json().errors
    expect(errors.map((e) => e.slice(0, 7))).toEqual(['line 3:', 'line 4:', 'line 5:', 'line 6:'])
    expect(errors[0]).toMatch(/device_id/)
    expect(errors[1]).toMatch(/apikey/)
    expect(errors[3]).toMatch(/Colour/)
    expect((await call('GET', '/devices/csv-1')).statusCode).toBe(404)

    const good = 'device_id,apikey,latitude,longitude,attributes\ncsv-1,lucca-air-1,43.84,10.50,n=no2:Number:GQ\n'
    const ok = await call('POST', '/devices/import', undefined, {
      payload: good,
      headers: { 'content-type': 'text/csv' },
    })
    expect(ok.statusCode, ok.body).toBe(201)
    expect(ok.json().created).toEqual(['csv-1'])
    expect((await call('GET', '/devices/csv-1')).json().location).toEqual({ type: 'Point', coordinates: [10.5, 43.84] })
  })

  it('lists, updates and deletes devices (optionally with their entity)', async () => {
    const list = await call('GET', '/devices?apikey=lucca-air-1&limit=2')
    expect(list.json().count).toBe(3)
    expect(list.json().devices).toHaveLength(2)
    const up = await call('PATCH', '/devices/csv-1', { static_attributes: [{ name: 'floor', value: 2 }] })
    expect(up.statusCode, up.body).toBe(200)
    const e = await t.call({ method: 'GET', url: '/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:csv-1', key: op })
    expect(e.json().floor.value).toBe(2)
    expect((await call('DELETE', '/devices/csv-1?deleteEntity=true')).statusCode).toBe(204)
    const gone = await t.call({
      method: 'GET',
      url: '/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:csv-1',
      key: op,
    })
    expect(gone.statusCode).toBe(404)
    expect((await call('DELETE', '/devices/csv-1')).statusCode).toBe(404)
    expect((await call('DELETE', '/services/lucca-air-1')).statusCode).toBe(204)
    expect((await call('GET', '/devices/aq-2')).statusCode).toBe(404)
  })

  it('viewers may read commands but not the registry', async () => {
    const v = t.keys[A]!.viewer
    expect((await t.call({ method: 'GET', url: `/api/tenants/${A}/iot/devices`, key: v })).statusCode).toBe(403)
    expect((await t.call({ method: 'GET', url: `/api/tenants/${A}/iot/commands`, key: v })).statusCode).toBe(200)
  })
})
