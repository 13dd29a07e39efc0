/**
 * The PostGIS projection of GeoProperties (ngsi_entity_geo) follows every kind of write: a moved point is projected
 * again, a new instance added, a removed attribute, dataset instance or entity deleted; points and other geometries
 * come out the same as they went in.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, createTestApp, ngsiCaller, type TestApp } from '../support/app.js'

const id = (n: number) => `urn:ngsi-ld:Sensor:geo${n}`
const point = (x: number, y: number) => ({ type: 'GeoProperty', value: { type: 'Point', coordinates: [x, y] } })
const AREA = {
  type: 'Polygon',
  coordinates: [
    [
      [10.5, 43.8],
      [10.6, 43.8],
      [10.6, 43.9],
      [10.5, 43.8],
    ],
  ],
}

describe('NGSI-LD geometry projection', () => {
  let t: TestApp
  let op: string
  beforeAll(async () => {
    t = await createTestApp()
    op = t.keys[A]!.operator
  })
  afterAll(() => t?.close())

  const call = ngsiCaller(
    () => t,
    () => op,
  )

  /** entity -> "attr name[#dataset] WKT" lines, sorted. */
  async function projection(...ids: string[]): Promise<Record<string, string[]>> {
    const r = await sql<{ e: string; a: string; d: string; w: string }>`SELECT entity_id AS e, attr AS a,
        dataset_id AS d, ST_AsText(geom) AS w, ST_SRID(geom) AS srid FROM ngsi_entity_geo
      WHERE tenant = ${A} AND entity_id = ANY(${ids}::text[]) ORDER BY 1, 2, 3`.execute(t.database.db)
    const out: Record<string, string[]> = {}
    for (const x of ids) out[x] = []
    for (const row of r.rows) {
      expect((row as unknown as { srid: number }).srid).toBe(4326)
      const name = row.a.slice(row.a.lastIndexOf('/') + 1)
      out[row.e]!.push(`${name}${row.d ? `#${row.d}` : ''} ${row.w}`)
    }
    return out
  }

  it('follows creation, a moved point, added and removed dataset instances, a replace and a delete', async () => {
    const created = await call('POST', '/entities', {
      id: id(1),
      type: 'Sensor',
      location: point(10.5, 43.84),
      area: [
        { type: 'GeoProperty', value: AREA, datasetId: 'urn:ds:zone' },
        {
          type: 'GeoProperty',
          value: {
            type: 'LineString',
            coordinates: [
              [10.55, 43.85],
              [10.56, 43.86],
            ],
          },
          datasetId: 'urn:ds:cable',
        },
      ],
    })
    expect(created.statusCode, created.body).toBe(201)
    expect(await projection(id(1))).toEqual({
      [id(1)]: [
        'area#urn:ds:cable LINESTRING(10.55 43.85,10.56 43.86)',
        'area#urn:ds:zone POLYGON((10.5 43.8,10.6 43.8,10.6 43.9,10.5 43.8))',
        'location POINT(10.5 43.84)',
      ],
    })

    expect((await call('PATCH', `/entities/${id(1)}/attrs/location`, point(10.51, 43.85))).statusCode).toBe(204)
    expect((await projection(id(1)))[id(1)]).toContain('location POINT(10.51 43.85)')
    const near = await call(
      'GET',
      '/entities?type=Sensor&georel=near;maxDistance==50&geometry=Point&coordinates=[10.51,43.85]&geoproperty=location',
    )
    expect(near.json().map((e: { id: string }) => e.id)).toEqual([id(1)])

    const del = await call('DELETE', `/entities/${id(1)}/attrs/area?datasetId=urn:ds:zone`)
    expect(del.statusCode, del.body).toBe(204)
    expect((await projection(id(1)))[id(1)]).toEqual([
      'area#urn:ds:cable LINESTRING(10.55 43.85,10.56 43.86)',
      'location POINT(10.51 43.85)',
    ])

    const put = await call('PUT', `/entities/${id(1)}`, { type: 'Sensor', location: point(10.52, 43.86) })
    expect(put.statusCode, put.body).toBe(204)
    expect(await projection(id(1))).toEqual({ [id(1)]: ['location POINT(10.52 43.86)'] })

    expect((await call('DELETE', `/entities/${id(1)}`)).statusCode).toBe(204)
    expect(await projection(id(1))).toEqual({ [id(1)]: [] })
  })

  it('refuses a point with an altitude (the projection is 2D) with a 400, writing nothing', async () => {
    const r = await call('POST', '/entities', {
      id: id(9),
      type: 'Sensor',
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [10.55, 43.85, 12] } },
    })
    expect(r.statusCode).toBe(400)
    expect(r.json().type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData')
    expect((await call('GET', `/entities/${id(9)}`)).statusCode).toBe(404)
    expect(await projection(id(9))).toEqual({ [id(9)]: [] })
  })

  it('follows a batch upsert that moves some points, turns one into a polygon and drops another', async () => {
    const first = await call(
      'POST',
      '/entityOperations/upsert',
      [2, 3, 4, 5].map((n) => ({ id: id(n), type: 'Sensor', location: point(10.4 + n / 100, 43.8) })),
    )
    expect(first.statusCode, first.body).toBe(201)
    const second = await call('POST', '/entityOperations/upsert?options=replace', [
      { id: id(2), type: 'Sensor', location: point(10.42, 43.81) }, // moved
      { id: id(3), type: 'Sensor', location: point(10.43, 43.8) }, // same place
      { id: id(4), type: 'Sensor', location: { type: 'GeoProperty', value: AREA } }, // now a polygon
      { id: id(5), type: 'Sensor', name: { type: 'Property', value: 'no place any more' } },
    ])
    expect(second.statusCode, second.body).toBe(204)
    expect(await projection(id(2), id(3), id(4), id(5))).toEqual({
      [id(2)]: ['location POINT(10.42 43.81)'],
      [id(3)]: ['location POINT(10.43 43.8)'],
      [id(4)]: ['location POLYGON((10.5 43.8,10.6 43.8,10.6 43.9,10.5 43.8))'],
      [id(5)]: [],
    })
    // no foreign key cascades (migration 11): a batch delete removes the geometries itself, and only its own
    const del = await call('POST', '/entityOperations/delete', [id(2), id(4), 'urn:ngsi-ld:Sensor:missing'])
    expect(del.statusCode, del.body).toBe(207)
    expect(await projection(id(2), id(3), id(4))).toEqual({
      [id(2)]: [],
      [id(3)]: ['location POINT(10.43 43.8)'],
      [id(4)]: [],
    })
  })
})
