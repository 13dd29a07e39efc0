import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, createTestApp, type TestApp } from '../support/app.js'

const sensor = (n: number, value = n) => ({
  id: `urn:ngsi-ld:Sensor:${n}`,
  type: 'Sensor',
  reading: { type: 'Property', value },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [10.8 + n / 10000, 45.15] } },
})

describe('NGSI-LD batch operations', () => {
  let t: TestApp
  let op: string
  beforeAll(async () => {
    t = await createTestApp({ URBE_BATCH_LIMIT: '50' })
    op = t.keys[A]!.operator
  })
  afterAll(() => t?.close())

  const batch = (kind: string, payload: unknown, query = '') =>
    t.call({ method: 'POST', url: `/ngsi-ld/v1/entityOperations/${kind}${query}`, key: op, payload: payload as object })
  const count = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('ngsi_entities')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant', '=', A)
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('creates many, reporting failures per entity (207) without stopping the others', async () => {
    const ok = await batch('create', [sensor(1), sensor(2), sensor(3)])
    expect(ok.statusCode).toBe(201)
    expect(ok.json()).toEqual(['urn:ngsi-ld:Sensor:1', 'urn:ngsi-ld:Sensor:2', 'urn:ngsi-ld:Sensor:3'])
    const mixed = await batch('create', [sensor(3), sensor(4), { id: 'bad id', type: 'Sensor' }, sensor(4)])
    expect(mixed.statusCode).toBe(207)
    const body = mixed.json()
    expect(body.success).toEqual(['urn:ngsi-ld:Sensor:4'])
    expect(body.errors).toHaveLength(3)
    expect(body.errors.find((e: { entityId: string }) => e.entityId === 'urn:ngsi-ld:Sensor:3').error.type).toBe(
      'https://uri.etsi.org/ngsi-ld/errors/AlreadyExists',
    )
    expect(await count()).toBe(4)
    // geometry was projected for batch-created entities
    const near = await t.call({
      method: 'GET',
      url: '/ngsi-ld/v1/entities?type=Sensor&georel=near;maxDistance==5&geometry=Point&coordinates=[10.8004,45.15]',
      key: op,
    })
    expect(near.json().map((e: { id: string }) => e.id)).toEqual(['urn:ngsi-ld:Sensor:4'])
  })

  it('upserts with replace (default) and update semantics', async () => {
    const r = await batch('upsert', [sensor(4, 40), sensor(5, 50)])
    expect(r.statusCode).toBe(201)
    expect(r.json()).toEqual(['urn:ngsi-ld:Sensor:5'])
    const again = await batch('upsert', [{ id: 'urn:ngsi-ld:Sensor:5', type: 'Sensor', extra: 1 }])
    expect(again.statusCode).toBe(204)
    const e5 = (
      await t.call({ method: 'GET', url: '/ngsi-ld/v1/entities/urn:ngsi-ld:Sensor:5?options=keyValues', key: op })
    ).json()
    expect(e5).toEqual({ id: 'urn:ngsi-ld:Sensor:5', type: 'Sensor', extra: 1 })
    await batch('upsert', [{ id: 'urn:ngsi-ld:Sensor:4', type: 'Sensor', extra: 2 }], '?options=update')
    const e4 = (
      await t.call({ method: 'GET', url: '/ngsi-ld/v1/entities/urn:ngsi-ld:Sensor:4?options=keyValues', key: op })
    ).json()
    expect(e4.reading).toBe(40)
    expect(e4.extra).toBe(2)
  })

  it('updates existing entities, honouring noOverwrite, and reports missing ones', async () => {
    const r = await batch('update', [
      { id: 'urn:ngsi-ld:Sensor:1', reading: { type: 'Property', value: 100 } },
      { id: 'urn:ngsi-ld:Sensor:99', reading: { type: 'Property', value: 1 } },
    ])
    expect(r.statusCode).toBe(207)
    expect(r.json().success).toEqual(['urn:ngsi-ld:Sensor:1'])
    expect(r.json().errors[0].error.status).toBe(404)
    await batch(
      'update',
      [{ id: 'urn:ngsi-ld:Sensor:1', reading: { type: 'Property', value: 5 } }],
      '?options=noOverwrite',
    )
    const e1 = (
      await t.call({ method: 'GET', url: '/ngsi-ld/v1/entities/urn:ngsi-ld:Sensor:1?options=keyValues', key: op })
    ).json()
    expect(e1.reading).toBe(100)
  })

  it('deletes, reporting unknown ids', async () => {
    const r = await batch('delete', ['urn:ngsi-ld:Sensor:2', 'urn:ngsi-ld:Sensor:404'])
    expect(r.statusCode).toBe(207)
    expect(r.json().success).toEqual(['urn:ngsi-ld:Sensor:2'])
    expect((await batch('delete', ['urn:ngsi-ld:Sensor:3'])).statusCode).toBe(204)
  })

  it('refuses non-arrays, empty batches and batches over the limit, writing nothing', async () => {
    const before = await count()
    expect((await batch('create', { id: 'x' })).statusCode).toBe(400)
    expect((await batch('create', [])).statusCode).toBe(400)
    const big = Array.from({ length: 51 }, (_, i) => sensor(1000 + i))
    const r = await batch('create', big)
    expect(r.statusCode).toBe(400)
    expect(r.json().detail).toMatch(/at most 50/)
    expect(await count()).toBe(before)
    expect(
      (
        await t.call({
          method: 'POST',
          url: '/ngsi-ld/v1/entityOperations/create',
          key: t.keys[A]!.viewer,
          payload: [sensor(7)],
        })
      ).statusCode,
    ).toBe(403)
  })

  it('applies a batch with one round of SQL, not one statement per entity', async () => {
    const statements: string[] = []
    const stop = t.database.onQuery((q) => statements.push(q))
    try {
      const many = Array.from({ length: 40 }, (_, i) => sensor(2000 + i))
      expect((await batch('upsert', many)).statusCode).toBe(201)
    } finally {
      stop()
    }
    const writes = statements.filter((s) => /ngsi_entit/.test(s))
    // lock + write + geo delete + geo insert, whatever the batch size
    expect(writes.length).toBeGreaterThanOrEqual(2)
    expect(writes.length).toBeLessThanOrEqual(4)
  })
})
