/** History from every entity write path: each attribute change becomes an instance of the temporal representation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, createTestApp, type TestApp } from '../support/app.js'

const E = 'urn:ngsi-ld:Sensor:h1'
const at = (h: number) => `2026-01-01T${String(h).padStart(2, '0')}:00:00.000Z`
type Pair = [unknown, string]

describe('NGSI-LD history from every write path', () => {
  let t: TestApp
  let op: string
  beforeAll(async () => {
    t = await createTestApp()
    op = t.keys[A]!.operator
  })
  afterAll(() => t?.close())

  const call = (method: string, url: string, payload?: unknown) =>
    t.call({
      method: method as 'GET',
      url: `/ngsi-ld/v1${url}`,
      key: op,
      ...(payload ? { payload: payload as object } : {}),
    })
  const ok = async (method: string, url: string, payload?: unknown) => {
    const r = await call(method, url, payload)
    expect(r.statusCode, `${method} ${url}: ${r.body}`).toBeLessThan(300)
    return r
  }
  const values = async (id: string, attr: string): Promise<Pair[]> => {
    const r = await call('GET', `/temporal/entities/${id}?options=temporalValues&attrs=${attr}`)
    expect(r.statusCode).toBe(200)
    return r.json()[attr]?.values ?? []
  }
  const normalized = async (id: string) => (await call('GET', `/temporal/entities/${id}?options=sysAttrs`)).json()

  it('records create, merge, append, update, partial update, replace attribute and replace entity', async () => {
    await ok('POST', '/entities', {
      id: E,
      type: 'Sensor',
      temperature: { type: 'Property', value: 20, observedAt: at(1), unitCode: 'CEL' },
    })
    await ok('PATCH', `/entities/${E}`, { temperature: { value: 21, observedAt: at(2) } })
    await ok('POST', `/entities/${E}/attrs`, { humidity: { type: 'Property', value: 50 } })
    await ok('PATCH', `/entities/${E}/attrs`, { temperature: { type: 'Property', value: 22, observedAt: at(3) } })
    await ok('PATCH', `/entities/${E}/attrs/temperature`, { value: 23, observedAt: at(4) })
    await ok('PUT', `/entities/${E}/attrs/temperature`, { type: 'Property', value: 24, observedAt: at(5) })
    await ok('PUT', `/entities/${E}`, {
      type: 'Sensor',
      temperature: { type: 'Property', value: 25, observedAt: at(6) },
    })
    expect(await values(E, 'temperature')).toEqual([
      [20, at(1)],
      [21, at(2)],
      [22, at(3)],
      [23, at(4)],
      [24, at(5)],
      [25, at(6)],
    ])
    // the normalized representation: every instance with its instanceId and its own members
    const n = await normalized(E)
    expect(n.temperature).toHaveLength(6)
    expect(n.temperature[0]).toMatchObject({ type: 'Property', value: 20, unitCode: 'CEL', observedAt: at(1) })
    for (const i of n.temperature) expect(i.instanceId).toMatch(/^urn:ngsi-ld:[0-9a-f-]{36}$/)
    expect(new Set(n.temperature.map((i: { instanceId: string }) => i.instanceId)).size).toBe(6)
    // humidity had no observedAt: its time is the modification time; PUT of the entity deleted it
    expect(n.humidity).toHaveLength(2)
    expect(n.humidity[0].value).toBe(50)
    expect(n.humidity[0].observedAt).toBeUndefined()
    expect(n.humidity[1]).toMatchObject({ type: 'Property', value: 'urn:ngsi-ld:null' })
    expect(n.humidity[1].deletedAt).toBe(n.humidity[1].modifiedAt)
    const hv = await values(E, 'humidity')
    expect(hv).toEqual([[50, n.humidity[0].modifiedAt]])
  })

  it('records batch create, upsert (update and replace) and update', async () => {
    const s = (n: number, h: number, extra: Record<string, unknown> = {}) => ({
      id: `urn:ngsi-ld:Sensor:b${n}`,
      type: 'Sensor',
      level: { type: 'Property', value: h * 10 + n, observedAt: at(h) },
      ...extra,
    })
    await ok('POST', '/entityOperations/create', [s(1, 1), s(2, 1)])
    await ok('POST', '/entityOperations/upsert?options=update', [s(1, 2), s(3, 2)])
    await ok('POST', '/entityOperations/upsert', [s(1, 3), s(2, 3)])
    await ok('POST', '/entityOperations/update', [
      { id: 'urn:ngsi-ld:Sensor:b1', level: { type: 'Property', value: 99, observedAt: at(4) } },
    ])
    expect(await values('urn:ngsi-ld:Sensor:b1', 'level')).toEqual([
      [11, at(1)],
      [21, at(2)],
      [31, at(3)],
      [99, at(4)],
    ])
    expect(await values('urn:ngsi-ld:Sensor:b2', 'level')).toEqual([
      [12, at(1)],
      [32, at(3)],
    ])
    expect(await values('urn:ngsi-ld:Sensor:b3', 'level')).toEqual([[23, at(2)]])
  })

  it('registers the temporal entities of a mixed batch: two shapes, a new attribute, a deleted representation', async () => {
    const m = (n: number) => `urn:ngsi-ld:Sensor:m${n}`
    const level = (v: number, h: number) => ({ type: 'Property', value: v, observedAt: at(h) })
    await ok('POST', '/entityOperations/create', [
      { id: m(1), type: 'Sensor', level: level(1, 1) },
      { id: m(2), type: 'Sensor', level: level(2, 1) },
      { id: 'urn:ngsi-ld:Meter:m3', type: 'Meter', power: level(3, 1) },
    ])
    expect((await call('DELETE', `/temporal/entities/${m(2)}`)).statusCode).toBe(204)
    expect((await call('GET', `/temporal/entities/${m(2)}`)).statusCode).toBe(404)
    await ok('POST', '/entityOperations/upsert?options=update', [
      { id: m(1), type: 'Sensor', level: level(11, 2), battery: level(90, 2) },
      { id: m(2), type: 'Sensor', level: level(12, 2) },
      { id: 'urn:ngsi-ld:Meter:m3', type: 'Meter', power: level(13, 2) },
    ])
    expect(await values(m(1), 'level')).toEqual([
      [1, at(1)],
      [11, at(2)],
    ])
    expect(await values(m(1), 'battery')).toEqual([[90, at(2)]])
    expect(await values(m(2), 'level')).toEqual([[12, at(2)]]) // registered again, with the history written since
    expect(await values('urn:ngsi-ld:Meter:m3', 'power')).toEqual([
      [3, at(1)],
      [13, at(2)],
    ])
    const listed = await call('GET', `/temporal/entities?type=Sensor&idPattern=.*:m[0-9]&lastN=1`)
    expect(listed.statusCode).toBe(200)
    expect(
      listed
        .json()
        .map((e: { id: string }) => e.id)
        .sort(),
    ).toEqual([m(1), m(2)])
  })

  it('records deleted attributes and deleted entities, and keeps their history', async () => {
    await ok('POST', '/entities', {
      id: 'urn:ngsi-ld:Sensor:d1',
      type: 'Sensor',
      a: { type: 'Property', value: 1, observedAt: at(1) },
      b: [
        { type: 'Relationship', object: 'urn:x:1', observedAt: at(1) },
        { type: 'Relationship', object: 'urn:x:2', datasetId: 'urn:ds:2', observedAt: at(1) },
      ],
    })
    await ok('DELETE', '/entities/urn:ngsi-ld:Sensor:d1/attrs/a')
    let n = await normalized('urn:ngsi-ld:Sensor:d1')
    expect(n.a.map((i: { value: unknown }) => i.value)).toEqual([1, 'urn:ngsi-ld:null'])
    expect(n.a[1].deletedAt).toBeDefined()
    await ok('DELETE', '/entities/urn:ngsi-ld:Sensor:d1')
    expect((await call('GET', '/entities/urn:ngsi-ld:Sensor:d1')).statusCode).toBe(404)
    n = await normalized('urn:ngsi-ld:Sensor:d1')
    expect(n.type).toBe('Sensor')
    expect(
      n.b.map((i: { object: string; datasetId?: string; deletedAt?: string }) => [
        i.object,
        i.datasetId,
        !!i.deletedAt,
      ]),
    ).toEqual([
      ['urn:x:1', undefined, false],
      ['urn:x:2', 'urn:ds:2', false],
      ['urn:ngsi-ld:null', undefined, true],
      ['urn:ngsi-ld:null', 'urn:ds:2', true],
    ])
    // still found by type; deletions are left out of temporalValues
    const q = (
      await call('GET', '/temporal/entities?type=Sensor&id=urn:ngsi-ld:Sensor:d1&options=temporalValues')
    ).json()
    expect(q).toEqual([
      {
        id: 'urn:ngsi-ld:Sensor:d1',
        type: 'Sensor',
        a: { type: 'Property', values: [[1, at(1)]] },
        b: [
          { type: 'Relationship', objects: [['urn:x:1', at(1)]] },
          { type: 'Relationship', objects: [['urn:x:2', at(1)]], datasetId: 'urn:ds:2' },
        ],
      },
    ])
    // timeproperty=deletedAt: only the deletions
    const del = (await call('GET', '/temporal/entities/urn:ngsi-ld:Sensor:d1?timeproperty=deletedAt')).json()
    expect(del.a).toHaveLength(1)
    expect(del.b).toHaveLength(2)
  })

  it('writes a batch with one history statement, and creates no partition once it exists', async () => {
    const batch = Array.from({ length: 20 }, (_, i) => ({
      id: `urn:ngsi-ld:Sensor:one${i}`,
      type: 'Sensor',
      level: { type: 'Property', value: i, observedAt: at(5) },
      other: { type: 'Property', value: 'x' },
    }))
    await ok('POST', '/entityOperations/upsert', batch)
    const seen: string[] = []
    const stop = t.database.onQuery((q) => seen.push(q))
    await ok(
      'POST',
      '/entityOperations/upsert?options=update',
      batch.map((b) => ({ ...b, level: { type: 'Property', value: 1, observedAt: at(6) } })),
    )
    stop()
    expect(seen.filter((q) => /ngsi_attr_history/.test(q))).toHaveLength(1)
    expect(seen.filter((q) => /ngsi_history_partition\(/.test(q))).toHaveLength(0)
    expect(await values('urn:ngsi-ld:Sensor:one7', 'level')).toEqual([
      [7, at(5)],
      [1, at(6)],
    ])
  })

  it('does not record anything for a write that fails', async () => {
    const before = await values(E, 'temperature')
    const r = await call('PATCH', `/entities/${E}/attrs/temperature`, { value: { bad: ['nested', null] } })
    expect(r.statusCode).toBe(400)
    expect(await values(E, 'temperature')).toEqual(before)
  })
})
