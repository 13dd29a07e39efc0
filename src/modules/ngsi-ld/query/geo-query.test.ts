import type { PGlite } from '@electric-sql/pglite'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../errors.js'
import { type GeoQueryInput, compileGeoQuery, geoDistance, parseGeoQuery, parseOptionalGeoQuery } from './geo-query.js'
import { NS, compileWhere, expand, insertEntities, insertGeo, kdb, openTestDb, selectIds } from './test-db.js'

// Lucca, around 10.50 E 43.84 N: 1e-3 degree of longitude is about 80.3 m, of latitude about 111.1 m.
const C = [10.5, 43.84]
/** The square [10.49..10.51] x [43.83..43.85] around C. */
const S = [
  [
    [10.49, 43.83],
    [10.51, 43.83],
    [10.51, 43.85],
    [10.49, 43.85],
    [10.49, 43.83],
  ],
]
/** The same square, starting from another vertex. */
const S_ROTATED = [
  [
    [10.51, 43.83],
    [10.51, 43.85],
    [10.49, 43.85],
    [10.49, 43.83],
    [10.51, 43.83],
  ],
]
/** The square shifted to the east and north: partly overlaps S. */
const S2 = [
  [
    [10.5, 43.835],
    [10.52, 43.835],
    [10.52, 43.855],
    [10.5, 43.855],
    [10.5, 43.835],
  ],
]
/** Around Florence. */
const FLORENCE = [
  [
    [11.2, 43.74],
    [11.3, 43.74],
    [11.3, 43.8],
    [11.2, 43.8],
    [11.2, 43.74],
  ],
]
const FLORENCE_SMALL = [
  [
    [11.24, 43.76],
    [11.26, 43.76],
    [11.26, 43.78],
    [11.24, 43.78],
    [11.24, 43.76],
  ],
]
const PISA = [10.4017, 43.7228]

const point = (coordinates: number[]) => ({ type: 'Point', coordinates })

let db: PGlite
beforeAll(async () => {
  db = await openTestDb()
  const ids = ['G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9', 'G10', 'G11']
  await insertEntities(db, [...ids.map((id) => ({ id })), { id: 'G1', tenant: 't2' }])
  await insertGeo(db, { id: 'G1', geometry: point([10.5037, 43.84]) }) // ~297 m east of C
  await insertGeo(db, { id: 'G1', tenant: 't2', geometry: point([10.5037, 43.84]) }) // other tenant
  await insertGeo(db, { id: 'G2', geometry: point([10.5, 43.8472]) }) // ~800 m north of C
  await insertGeo(db, { id: 'G3', geometry: point(C) })
  await insertGeo(db, { id: 'G4', geometry: point(PISA) })
  await insertGeo(db, { id: 'G5', geometry: { type: 'Polygon', coordinates: S } })
  await insertGeo(db, {
    id: 'G6',
    geometry: {
      type: 'LineString',
      coordinates: [
        [10.48, 43.84],
        [10.52, 43.84],
      ],
    },
  })
  await insertGeo(db, { id: 'G7', datasetId: 'urn:ds:far', geometry: point(PISA) })
  await insertGeo(db, { id: 'G7', datasetId: 'urn:ds:near', geometry: point([10.501, 43.8405]) }) // ~97 m
  await insertGeo(db, { id: 'G8', geometry: point([10.5002, 43.8401]) }) // ~19 m
  await insertGeo(db, {
    id: 'G8',
    attr: 'observationSpace',
    geometry: { type: 'Polygon', coordinates: FLORENCE_SMALL },
  })
  await insertGeo(db, { id: 'G9', geometry: { type: 'Polygon', coordinates: FLORENCE_SMALL } })
  await insertGeo(db, { id: 'G10', geometry: point([10.52, 43.86]) }) // ~2.7 km
  // G11 has no geometry at all.
})
afterAll(async () => {
  await db?.close()
})

const run = async (input: GeoQueryInput, tenant = 't1') =>
  selectIds(db, compileGeoQuery(parseGeoQuery(input, expand)), tenant)

const json = (v: unknown) => JSON.stringify(v)

describe('geo-queries against PostGIS', () => {
  it.each<[string, GeoQueryInput, string[]]>([
    [
      'near max 500 m',
      { georel: 'near;maxDistance==500', geometry: 'Point', coordinates: json(C) },
      ['G1', 'G3', 'G5', 'G6', 'G7', 'G8'],
    ],
    [
      'near max 250 m',
      { georel: 'near;maxDistance==250', geometry: 'Point', coordinates: C },
      ['G3', 'G5', 'G6', 'G7', 'G8'],
    ],
    [
      'near min 500 m',
      { georel: 'near;minDistance==500', geometry: 'Point', coordinates: json(C) },
      ['G10', 'G2', 'G4', 'G7', 'G9'],
    ],
    [
      'near 500..1000 m',
      { georel: 'near;minDistance==500;maxDistance==1000', geometry: 'Point', coordinates: C },
      ['G2'],
    ],
    [
      'near a polygon',
      { georel: 'near;maxDistance==100', geometry: 'Polygon', coordinates: S },
      ['G1', 'G2', 'G3', 'G5', 'G6', 'G7', 'G8'],
    ],
    ['within', { georel: 'within', geometry: 'Polygon', coordinates: json(S) }, ['G1', 'G2', 'G3', 'G5', 'G7', 'G8']],
    [
      'within a MultiPolygon',
      { georel: 'within', geometry: 'MultiPolygon', coordinates: [S, FLORENCE] },
      ['G1', 'G2', 'G3', 'G5', 'G7', 'G8', 'G9'],
    ],
    [
      'within on another geoproperty',
      { georel: 'within', geometry: 'Polygon', coordinates: FLORENCE, geoproperty: 'observationSpace' },
      ['G8'],
    ],
    ['contains a point', { georel: 'contains', geometry: 'Point', coordinates: C }, ['G3', 'G5', 'G6']],
    [
      'intersects a polygon',
      { georel: 'intersects', geometry: 'Polygon', coordinates: S },
      ['G1', 'G2', 'G3', 'G5', 'G6', 'G7', 'G8'],
    ],
    [
      'intersects a line',
      {
        georel: 'intersects',
        geometry: 'LineString',
        coordinates: [
          [10.5, 43.83],
          [10.5, 43.85],
        ],
      },
      ['G2', 'G3', 'G5', 'G6'],
    ],
    [
      'intersects a MultiPoint',
      { georel: 'intersects', geometry: 'MultiPoint', coordinates: [C, PISA] },
      ['G3', 'G4', 'G5', 'G6', 'G7'],
    ],
    ['disjoint', { georel: 'disjoint', geometry: 'Polygon', coordinates: S }, ['G10', 'G4', 'G7', 'G9']],
    ['overlaps', { georel: 'overlaps', geometry: 'Polygon', coordinates: S2 }, ['G5']],
    ['equals a point', { georel: 'equals', geometry: 'Point', coordinates: C }, ['G3']],
    ['equals a polygon (any start vertex)', { georel: 'equals', geometry: 'Polygon', coordinates: S_ROTATED }, ['G5']],
    ['altitude is ignored', { georel: 'equals', geometry: 'Point', coordinates: [10.5, 43.84, 25] }, ['G3']],
    [
      'self-intersecting query polygon',
      {
        georel: 'intersects',
        geometry: 'Polygon',
        coordinates: [
          [
            [10.49, 43.83],
            [10.51, 43.85],
            [10.51, 43.83],
            [10.49, 43.85],
            [10.49, 43.83],
          ],
        ],
      },
      ['G1', 'G3', 'G5', 'G6', 'G7', 'G8'],
    ],
  ])('%s', async (_title, input, expected) => {
    expect(await run(input)).toEqual([...expected].sort())
  })

  it('keeps tenants apart', async () => {
    expect(await run({ georel: 'near;maxDistance==500', geometry: 'Point', coordinates: C }, 't2')).toEqual(['G1'])
  })

  it('orders by distance for near queries', async () => {
    const gq = parseGeoQuery({ georel: 'near;maxDistance==1000', geometry: 'Point', coordinates: C }, expand)
    const q =
      sql`SELECT e.id, ${geoDistance(gq)} AS d FROM ngsi_entities e WHERE e.tenant = 't1' AND ${compileGeoQuery(gq)} AND e.id IN ('G1', 'G2', 'G3', 'G7', 'G8') ORDER BY d, e.id`.compile(
        kdb,
      )
    const r = await db.query<{ id: string; d: number }>(q.sql, [...q.parameters])
    expect(r.rows.map((x) => x.id)).toEqual(['G3', 'G8', 'G7', 'G1', 'G2'])
    expect(r.rows[3]!.d).toBeGreaterThan(290)
    expect(r.rows[3]!.d).toBeLessThan(305)
    expect(r.rows[4]!.d).toBeGreaterThan(790)
    expect(r.rows[4]!.d).toBeLessThan(810)
  })

  it('can use the GiST indexes', async () => {
    await db.exec('SET enable_seqscan = off')
    try {
      const explain = async (input: GeoQueryInput) => {
        const c = compileWhere(compileGeoQuery(parseGeoQuery(input, expand)))
        const r = await db.query<Record<string, string>>(`EXPLAIN ${c.sql}`, [...c.parameters])
        return r.rows.map((x) => Object.values(x).join('')).join('\n')
      }
      expect(await explain({ georel: 'near;maxDistance==500', geometry: 'Point', coordinates: C })).toContain(
        'ngsi_entity_geo_geog',
      )
      expect(await explain({ georel: 'within', geometry: 'Polygon', coordinates: S })).toContain('ngsi_entity_geo_geom')
    } finally {
      await db.exec('RESET enable_seqscan')
    }
  })

  it('binds the geometry, the distance and the attribute as parameters', () => {
    const c = compileWhere(
      compileGeoQuery(parseGeoQuery({ georel: 'near;maxDistance==500', geometry: 'Point', coordinates: C }, expand)),
    )
    expect(c.sql).not.toContain('10.5')
    expect(c.sql).not.toContain('500')
    expect(c.parameters).toEqual([`${NS}location`, json({ type: 'Point', coordinates: C }), 500])
  })
})

describe('parseGeoQuery validation', () => {
  it('normalizes and defaults', () => {
    expect(
      parseGeoQuery({ georel: 'near;maxDistance==1.5e3', geometry: 'Point', coordinates: '[10.5, 43.84, 3]' }, expand),
    ).toEqual({
      georel: 'near',
      maxDistance: 1500,
      geometry: { type: 'Point', coordinates: [10.5, 43.84] },
      geoproperty: `${NS}location`,
    })
    expect(parseOptionalGeoQuery({}, expand)).toBeUndefined()
    expect(parseOptionalGeoQuery({ geoproperty: 'x' }, expand)).toBeUndefined()
  })

  const ring = S[0]
  it.each<[GeoQueryInput, RegExp]>([
    [{ geometry: 'Point', coordinates: C }, /georel is required/],
    [{ georel: 'within' }, /geometry is required/],
    [{ georel: 'within', geometry: 'Polygon' }, /coordinates are required/],
    [{ georel: 'close', geometry: 'Point', coordinates: C }, /unknown georel/],
    [{ georel: 'near', geometry: 'Point', coordinates: C }, /maxDistance/],
    [{ georel: 'near;maxDistance=500', geometry: 'Point', coordinates: C }, /invalid near modifier/],
    [{ georel: 'near;maxDistance==-5', geometry: 'Point', coordinates: C }, /invalid near modifier/],
    [{ georel: 'near;maxDistance==abc', geometry: 'Point', coordinates: C }, /invalid near modifier/],
    [{ georel: 'near;maxDistance==1e99', geometry: 'Point', coordinates: C }, /out of range/],
    [{ georel: 'near;maxDistance==5;maxDistance==6', geometry: 'Point', coordinates: C }, /twice/],
    [{ georel: 'near;minDistance==50;maxDistance==10', geometry: 'Point', coordinates: C }, /greater/],
    [{ georel: 'within;maxDistance==5', geometry: 'Polygon', coordinates: S }, /no modifiers/],
    [{ georel: 'within', geometry: 'Point', coordinates: C }, /cannot be used with a Point/],
    [{ georel: 'within', geometry: 'LineString', coordinates: [C, PISA] }, /cannot be used/],
    [{ georel: 'overlaps', geometry: 'Point', coordinates: C }, /cannot be used/],
    [{ georel: 'within', geometry: 'Circle', coordinates: C }, /unknown geometry/],
    [{ georel: 'contains', geometry: 'Point', coordinates: '[10.5,' }, /valid JSON/],
    [{ georel: 'contains', geometry: 'Point', coordinates: '[10.5]' }, /longitude, latitude/],
    [{ georel: 'contains', geometry: 'Point', coordinates: '["10.5", 43]' }, /numbers/],
    [{ georel: 'contains', geometry: 'Point', coordinates: [190, 43] }, /longitude 190/],
    [{ georel: 'contains', geometry: 'Point', coordinates: [10, -91] }, /latitude -91/],
    [{ georel: 'contains', geometry: 'Point', coordinates: [[10, 43]] }, /longitude, latitude/],
    [{ georel: 'contains', geometry: 'Point', coordinates: [[10, 43], 5] }, /numbers/],
    [{ georel: 'contains', geometry: 'LineString', coordinates: [C] }, /at least 2/],
    [{ georel: 'within', geometry: 'Polygon', coordinates: [ring!.slice(0, 3)] }, /at least 4/],
    [{ georel: 'within', geometry: 'Polygon', coordinates: [ring!.slice(0, 4)] }, /closed/],
    [{ georel: 'within', geometry: 'Polygon', coordinates: [] }, /at least 1/],
    [{ georel: 'within', geometry: 'Polygon', coordinates: ring }, /at least 4/],
    [{ georel: 'within', geometry: 'MultiPolygon', coordinates: S }, /at least 4/],
    [{ georel: 'within', geometry: 'Polygon', coordinates: 'null' }, /expected an array/],
    [{ georel: 'contains', geometry: 'MultiPoint', coordinates: Array.from({ length: 10_001 }, () => C) }, /more than/],
    [{ georel: 'contains', geometry: 'Point', coordinates: C, geoproperty: 'loc; DROP' }, /geoproperty/],
    [{ georel: 'contains', geometry: 'Point', coordinates: '{"a":1}' }, /longitude, latitude/],
  ])('rejects %j', (input, fragment) => {
    let err: unknown
    try {
      parseGeoQuery(input, expand)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('BadRequestData')
    expect((err as AppError).message).toMatch(fragment)
  })
})
