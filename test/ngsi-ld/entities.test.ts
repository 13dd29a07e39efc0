import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, B, createTestApp, type TestApp } from '../support/app.js'

const LD = 'application/ld+json'
const CORE = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld'

const room = (n: number, extra: Record<string, unknown> = {}) => ({
  id: `urn:ngsi-ld:Room:${n}`,
  type: 'Room',
  temperature: { type: 'Property', value: 20 + n, unitCode: 'CEL', observedAt: '2024-05-01T10:00:00Z' },
  name: { type: 'Property', value: `Sala ${n}` },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [10.5 + n / 1000, 43.84] } },
  ...extra,
})

describe('NGSI-LD entities', () => {
  let t: TestApp
  let op: string
  let viewer: string
  beforeAll(async () => {
    t = await createTestApp()
    op = t.keys[A]!.operator
    viewer = t.keys[A]!.viewer
  })
  afterAll(() => t?.close())

  const post = (url: string, payload: unknown, key = op, headers: Record<string, string> = {}) =>
    t.call({ method: 'POST', url: `/ngsi-ld/v1${url}`, key, payload: payload as object, headers })
  const get = (url: string, key = viewer, headers: Record<string, string> = {}) =>
    t.call({ method: 'GET', url: `/ngsi-ld/v1${url}`, key, headers })

  it('creates an entity and reads it back equal', async () => {
    const r = await post('/entities', room(1))
    expect(r.statusCode).toBe(201)
    expect(r.headers.location).toBe('/ngsi-ld/v1/entities/urn%3Angsi-ld%3ARoom%3A1')
    const g = await get('/entities/urn:ngsi-ld:Room:1')
    expect(g.statusCode).toBe(200)
    expect(g.headers.link).toContain('rel="http://www.w3.org/ns/json-ld#context"')
    expect(g.json()).toEqual({
      ...room(1),
      temperature: { ...room(1).temperature, observedAt: '2024-05-01T10:00:00.000Z' },
    })
  })

  it('refuses a duplicate with 409 AlreadyExists and bad payloads with 400', async () => {
    const dup = await post('/entities', room(1))
    expect(dup.statusCode).toBe(409)
    expect(dup.json().type).toBe('https://uri.etsi.org/ngsi-ld/errors/AlreadyExists')
    expect((await post('/entities', { type: 'Room' })).statusCode).toBe(400)
    expect((await post('/entities', { id: 'not a uri', type: 'Room' })).statusCode).toBe(400)
    const bad = await t.call({
      method: 'POST',
      url: '/ngsi-ld/v1/entities',
      key: op,
      headers: { 'content-type': 'application/json' },
      payload: '{"id":',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().type).toBe('https://uri.etsi.org/ngsi-ld/errors/InvalidRequest')
  })

  it('requires the operator role to write and a role in the tenant to read', async () => {
    expect((await post('/entities', room(2), viewer)).statusCode).toBe(403)
    expect((await get('/entities/urn:ngsi-ld:Room:1', t.keys[B]!.admin, { 'NGSILD-Tenant': A })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/ngsi-ld/v1/entities/urn:ngsi-ld:Room:1' })).statusCode).toBe(401)
  })

  it('keeps tenants apart', async () => {
    expect((await get('/entities/urn:ngsi-ld:Room:1', t.keys[B]!.viewer, { 'NGSILD-Tenant': B })).statusCode).toBe(404)
    const unknown = await get('/entities/urn:ngsi-ld:Room:1', undefined, { 'NGSILD-Tenant': '123456' })
    expect(unknown.statusCode).toBe(403)
  })

  it('supports keyValues, concise, sysAttrs, attrs, pick and omit', async () => {
    const kv = (await get('/entities/urn:ngsi-ld:Room:1?options=keyValues')).json()
    expect(kv).toEqual({
      id: 'urn:ngsi-ld:Room:1',
      type: 'Room',
      temperature: 21,
      name: 'Sala 1',
      location: { type: 'Point', coordinates: [10.501, 43.84] },
    })
    const sys = (await get('/entities/urn:ngsi-ld:Room:1?options=sysAttrs')).json()
    expect(sys.createdAt).toMatch(/^\d{4}-/)
    expect(sys.temperature.modifiedAt).toMatch(/^\d{4}-/)
    const picked = (await get('/entities/urn:ngsi-ld:Room:1?pick=id,name&format=keyValues')).json()
    expect(picked).toEqual({ id: 'urn:ngsi-ld:Room:1', name: 'Sala 1' })
    const omitted = (await get('/entities/urn:ngsi-ld:Room:1?omit=location,temperature&options=keyValues')).json()
    expect(omitted).toEqual({ id: 'urn:ngsi-ld:Room:1', type: 'Room', name: 'Sala 1' })
    expect((await get('/entities/urn:ngsi-ld:Room:1?options=keyValues,concise')).statusCode).toBe(400)
  })

  it('answers in ld+json with the @context and as GeoJSON', async () => {
    const ld = await get('/entities/urn:ngsi-ld:Room:1', viewer, { accept: LD })
    expect(ld.headers['content-type']).toContain(LD)
    expect(ld.json()['@context']).toBeDefined()
    const geo = await get('/entities/urn:ngsi-ld:Room:1', viewer, { accept: 'application/geo+json' })
    expect(geo.json()).toMatchObject({ type: 'Feature', id: 'urn:ngsi-ld:Room:1', geometry: { type: 'Point' } })
    expect((await get('/entities/urn:ngsi-ld:Room:1', viewer, { accept: 'text/html' })).statusCode).toBe(406)
  })

  it('merges (PATCH), replaces (PUT) and deletes', async () => {
    await post('/entities', room(3))
    const m = await t.call({
      method: 'PATCH',
      url: '/ngsi-ld/v1/entities/urn:ngsi-ld:Room:3',
      key: op,
      payload: { temperature: { type: 'Property', value: 30 }, occupancy: 4 },
    })
    expect(m.statusCode).toBe(204)
    const kv = (await get('/entities/urn:ngsi-ld:Room:3?options=keyValues')).json()
    expect(kv.temperature).toBe(30)
    expect(kv.occupancy).toBe(4)
    const put = await t.call({
      method: 'PUT',
      url: '/ngsi-ld/v1/entities/urn:ngsi-ld:Room:3',
      key: op,
      payload: { type: 'Room', name: 'Nuova' },
    })
    expect(put.statusCode).toBe(204)
    expect((await get('/entities/urn:ngsi-ld:Room:3?options=keyValues')).json()).toEqual({
      id: 'urn:ngsi-ld:Room:3',
      type: 'Room',
      name: 'Nuova',
    })
    expect(
      (await t.call({ method: 'DELETE', url: '/ngsi-ld/v1/entities/urn:ngsi-ld:Room:3', key: op })).statusCode,
    ).toBe(204)
    expect((await get('/entities/urn:ngsi-ld:Room:3')).statusCode).toBe(404)
    expect(
      (await t.call({ method: 'DELETE', url: '/ngsi-ld/v1/entities/urn:ngsi-ld:Room:3', key: op })).statusCode,
    ).toBe(404)
  })

  it('appends, updates, patches, replaces and deletes attributes, with datasetId and deleteAll', async () => {
    await post('/entities', room(4))
    const id = 'urn:ngsi-ld:Room:4'
    const app1 = await post(`/entities/${id}/attrs`, {
      humidity: { type: 'Property', value: 55 },
      temperature: { type: 'Property', value: 99 },
    })
    expect(app1.statusCode).toBe(204)
    const noOw = await post(`/entities/${id}/attrs?options=noOverwrite`, {
      temperature: { type: 'Property', value: 1 },
      co2: 400,
    })
    expect(noOw.statusCode).toBe(207)
    expect(noOw.json().notUpdated[0].attributeName).toBe('temperature')
    const upd = await t.call({
      method: 'PATCH',
      url: `/ngsi-ld/v1/entities/${id}/attrs`,
      key: op,
      payload: { humidity: { type: 'Property', value: 60 }, ghost: { type: 'Property', value: 1 } },
    })
    expect(upd.statusCode).toBe(207)
    expect(upd.json().updated).toEqual(['humidity'])
    const patch = await t.call({
      method: 'PATCH',
      url: `/ngsi-ld/v1/entities/${id}/attrs/humidity`,
      key: op,
      payload: { value: 61 },
    })
    expect(patch.statusCode).toBe(204)
    const ds = await post(`/entities/${id}/attrs`, {
      temperature: { type: 'Property', value: 15, datasetId: 'urn:ngsi-ld:Dataset:outdoor' },
    })
    expect(ds.statusCode).toBe(204)
    let kv = (await get(`/entities/${id}?options=keyValues`)).json()
    expect(kv.humidity).toBe(61)
    expect(kv.co2).toBe(400)
    const norm = (await get(`/entities/${id}`)).json()
    expect(norm.temperature).toHaveLength(2)
    const putA = await t.call({
      method: 'PUT',
      url: `/ngsi-ld/v1/entities/${id}/attrs/co2`,
      key: op,
      payload: { type: 'Property', value: 410, unitCode: '59' },
    })
    expect(putA.statusCode).toBe(204)
    const delDs = await t.call({
      method: 'DELETE',
      url: `/ngsi-ld/v1/entities/${id}/attrs/temperature?datasetId=urn:ngsi-ld:Dataset:outdoor`,
      key: op,
    })
    expect(delDs.statusCode).toBe(204)
    kv = (await get(`/entities/${id}?options=keyValues`)).json()
    expect(kv.temperature).toBe(99)
    await post(`/entities/${id}/attrs`, {
      temperature: { type: 'Property', value: 15, datasetId: 'urn:ngsi-ld:Dataset:outdoor' },
    })
    const delAll = await t.call({
      method: 'DELETE',
      url: `/ngsi-ld/v1/entities/${id}/attrs/temperature?deleteAll=true`,
      key: op,
    })
    expect(delAll.statusCode).toBe(204)
    expect((await get(`/entities/${id}`)).json().temperature).toBeUndefined()
    expect(
      (await t.call({ method: 'DELETE', url: `/ngsi-ld/v1/entities/${id}/attrs/temperature`, key: op })).statusCode,
    ).toBe(404)
    expect(
      (
        await t.call({
          method: 'PATCH',
          url: `/ngsi-ld/v1/entities/${id}/attrs/nothing`,
          key: op,
          payload: { value: 1 },
        })
      ).statusCode,
    ).toBe(404)
  })

  it('queries by type, q, geo, with paging and count', async () => {
    for (let n = 10; n < 30; n++) await post('/entities', room(n))
    const r = await get('/entities?type=Room&q=temperature>=40&count=true&limit=5&options=keyValues&attrs=temperature')
    expect(r.statusCode).toBe(200)
    expect(r.headers['ngsild-results-count']).toBe('10')
    expect(r.json()).toHaveLength(5)
    expect(r.json()[0]).toEqual({ id: 'urn:ngsi-ld:Room:20', type: 'Room', temperature: 40 })
    const page2 = await get(
      '/entities?type=Room&q=temperature>=40&limit=5&offset=5&options=keyValues&attrs=temperature',
    )
    expect(page2.json().map((e: { temperature: number }) => e.temperature)).toEqual([45, 46, 47, 48, 49])
    const near = await get(
      '/entities?type=Room&georel=near;maxDistance==100&geometry=Point&coordinates=[10.52,43.84]&options=keyValues&attrs=name',
    )
    // 0.001 degree of longitude at 43.84 N is ~80 m: rooms 19, 20, 21 are within 100 m of 10.52
    expect(
      near
        .json()
        .map((e: { id: string }) => e.id)
        .sort(),
    ).toEqual(['urn:ngsi-ld:Room:19', 'urn:ngsi-ld:Room:20', 'urn:ngsi-ld:Room:21'])
    expect((await get('/entities')).statusCode).toBe(400)
    const tooMany = await get('/entities?type=Room&limit=1001')
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json().type).toBe('https://uri.etsi.org/ngsi-ld/errors/TooManyResults')
    expect((await get('/entities?type=Room&q=temperature>>3')).statusCode).toBe(400)
    const fc = await get('/entities?type=Room&q=temperature==35', viewer, { accept: 'application/geo+json' })
    expect(fc.json()).toMatchObject({ type: 'FeatureCollection', features: [{ id: 'urn:ngsi-ld:Room:15' }] })
  })

  it('runs a POST query', async () => {
    const r = await post(
      '/entityOperations/query?options=keyValues&count=true',
      {
        type: 'Query',
        entities: [{ type: 'Room', idPattern: 'urn:ngsi-ld:Room:1[0-2]$' }],
        attrs: ['name'],
        q: 'temperature<32',
      },
      viewer,
    )
    expect(r.statusCode).toBe(200)
    expect(r.json().map((e: { id: string }) => e.id)).toEqual(['urn:ngsi-ld:Room:10', 'urn:ngsi-ld:Room:11'])
  })

  it('discovers types and attributes', async () => {
    const types = (await get('/types')).json()
    expect(types.type).toBe('EntityTypeList')
    expect(types.typeList).toContain('Room')
    const info = (await get('/types/Room')).json()
    expect(info.entityCount).toBeGreaterThan(20)
    expect(info.attributeDetails.map((a: { attributeName: string }) => a.attributeName)).toContain('temperature')
    const attr = (await get('/attributes/temperature')).json()
    expect(attr).toMatchObject({
      type: 'Attribute',
      attributeName: 'temperature',
      attributeTypes: ['Property'],
      typeNames: ['Room'],
    })
    expect((await get('/types/Nothing')).statusCode).toBe(404)
    expect((await get('/attributes?details=true')).json()[0].type).toBe('Attribute')
  })

  it('uses the @context of the Link header or of the body', async () => {
    const ctxBody = {
      '@context': [{ Sensor: 'https://example.org/Sensor', reading: 'https://example.org/reading' }, CORE],
    }
    const r = await post('/entities', { id: 'urn:ngsi-ld:Sensor:1', type: 'Sensor', reading: 5, ...ctxBody }, op, {
      'content-type': LD,
    })
    expect(r.statusCode).toBe(201)
    // Without that context the names are full IRIs
    const plain = (await get('/entities/urn:ngsi-ld:Sensor:1?options=keyValues')).json()
    expect(plain).toEqual({
      id: 'urn:ngsi-ld:Sensor:1',
      type: 'https://example.org/Sensor',
      'https://example.org/reading': 5,
    })
    const q = await get('/entities?type=https://example.org/Sensor&options=keyValues')
    expect(q.json()).toHaveLength(1)
    const ldBody = await post('/entities', { id: 'urn:ngsi-ld:Sensor:2', type: 'Sensor' }, op, { 'content-type': LD })
    expect(ldBody.statusCode).toBe(400)
  })
})
