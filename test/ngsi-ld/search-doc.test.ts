/**
 * The index document (`ngsi_entities.search`, src/modules/ngsi-ld/search-doc.ts): equality terms of `q` still find
 * exactly the right entities for every kind of value it leaves out (readings of measurements, typed date-times,
 * instance timestamps), and a new reading leaves it byte-for-byte equal while a new string changes it.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, createTestApp, ngsiCaller, type TestApp } from '../support/app.js'

const T1 = '2026-11-24T10:00:00Z'
const T2 = '2026-11-24T11:00:00Z'
const id = (n: number) => `urn:ngsi-ld:Sensor:s${n}`
/** A measured NO2 reading with a measured sub-attribute. */
const no2 = (value: number, accuracy: number, observedAt: string) => ({
  type: 'Property',
  value,
  unitCode: 'GQ',
  observedAt,
  accuracy: { type: 'Property', value: accuracy, observedAt },
})

describe('NGSI-LD index document and q equality', () => {
  let t: TestApp
  let op: string
  const call = ngsiCaller(
    () => t,
    () => op,
  )
  const ids = async (q: string) => {
    const r = await call('GET', `/entities?type=Sensor&q=${encodeURIComponent(q)}&options=keyValues`)
    expect(r.statusCode, r.body).toBe(200)
    return (r.json() as { id: string }[]).map((e) => e.id).sort()
  }
  const searchText = async (n: number) =>
    (
      await sql<{
        s: string
      }>`SELECT search::text AS s FROM ngsi_entities WHERE tenant = ${A} AND id = ${id(n)}`.execute(t.database.db)
    ).rows[0]!.s

  beforeAll(async () => {
    t = await createTestApp()
    op = t.keys[A]!.operator
    const entities = [
      {
        id: id(1),
        type: 'Sensor',
        NO2: no2(21, 0.5, T1),
        occupied: { type: 'Property', value: true, observedAt: T1 },
        floors: { type: 'Property', value: 3 },
        status: { type: 'Property', value: 'ok' },
        dateObserved: { type: 'Property', value: { '@type': 'DateTime', '@value': T1 } },
        refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:d1' },
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [10.5, 43.84] } },
      },
      {
        id: id(2),
        type: 'Sensor',
        NO2: { type: 'Property', value: 35, unitCode: 'GP', observedAt: T2 },
        occupied: { type: 'Property', value: false, observedAt: T2 },
        floors: { type: 'Property', value: 4 },
        status: { type: 'Property', value: 'broken' },
        dateObserved: { type: 'Property', value: { '@type': 'DateTime', '@value': T2 } },
      },
      { id: id(3), type: 'Sensor', status: { type: 'Property', value: 'ok' } },
    ]
    for (const e of entities) expect((await call('POST', '/entities', e)).statusCode).toBe(201)
  })
  afterAll(() => t?.close())

  it('finds measured numbers and booleans, plain numbers, strings, units, timestamps and typed date-times', async () => {
    const cases: [string, number[]][] = [
      ['NO2==21', [1]],
      ['NO2==35', [2]],
      ['NO2==22', []],
      ['NO2==21,35', [1, 2]],
      ['NO2.accuracy==0.5', [1]],
      ['occupied==true', [1]],
      ['occupied==false', [2]],
      ['floors==3', [1]],
      ['status=="ok"', [1, 3]],
      ['status=="broken"', [2]],
      ['NO2.unitCode=="GP"', [2]],
      [`NO2.observedAt==${T1}`, [1]],
      [`dateObserved==${T2}`, [2]],
      ['refDevice=="urn:ngsi-ld:Device:d1"', [1]],
      ['NO2==21|status=="broken"', [1, 2]],
    ]
    for (const [q, expected] of cases) expect(await ids(q), q).toEqual(expected.map(id))
  })

  it('keeps the index document equal when a measurement gets a new reading, and follows a new string', async () => {
    const before = await searchText(1)
    expect(before).not.toContain(': 21')
    const r = await call('PATCH', `/entities/${id(1)}/attrs`, {
      NO2: no2(50, 0.7, T2),
      occupied: { type: 'Property', value: false, observedAt: T2 },
    })
    expect(r.statusCode, r.body).toBe(204)
    expect(await searchText(1)).toBe(before)
    expect(await ids('NO2==50')).toEqual([id(1)])
    expect(await ids('NO2==21')).toEqual([])
    expect(await ids('NO2.accuracy==0.7')).toEqual([id(1)])
    expect(await ids('occupied==false')).toEqual([id(1), id(2)])
    expect((await call('PATCH', `/entities/${id(1)}/attrs/status`, { value: 'maintenance' })).statusCode).toBe(204)
    const after = await searchText(1)
    expect(after).not.toBe(before)
    expect(after).toContain('maintenance')
    expect(await ids('status=="maintenance"')).toEqual([id(1)])
    expect(await ids('status=="ok"')).toEqual([id(3)])
  })
})
