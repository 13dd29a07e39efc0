/**
 * Fuzzing of the q / scopeQ / geo-query front ends: every input must either compile AND execute against a real
 * PostgreSQL + PostGIS without error, or be rejected with AppError('BadRequestData'). Nothing else.
 * Deterministic (seeded, see fuzz-inputs.ts); set Q_FUZZ_SEED to explore other inputs.
 */
import type { PGlite } from '@electric-sql/pglite'
import { type RawBuilder, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../errors.js'
import { VALID, generated, mutate, pick, randomHostile, rnd } from './fuzz-inputs.js'
import { compileGeoQuery, parseGeoQuery } from './geo-query.js'
import { compileQ } from './q-compiler.js'
import { MAX_Q_LENGTH, parseQ } from './q-parser.js'
import { compileScopeQ, parseScopeQ } from './scope-query.js'
import { expand, expandVocab, insertEntities, insertGeo, kdb, openTestDb } from './test-db.js'

let db: PGlite
let executed = 0
let rejected = 0

async function check(run: () => RawBuilder<boolean>, input: unknown): Promise<void> {
  let pred: RawBuilder<boolean>
  try {
    pred = run()
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'BadRequestData') {
      throw new Error(`unexpected ${String(e)} for input ${JSON.stringify(input)}`)
    }
    rejected++
    return
  }
  const c = sql`SELECT count(*) AS n FROM ngsi_entities e WHERE ${pred}`.compile(kdb)
  try {
    await db.query(c.sql, [...c.parameters])
  } catch (e) {
    throw new Error(`database error ${String(e)} for input ${JSON.stringify(input)}\n${c.sql}`)
  }
  executed++
}

const q = (s: string) => check(() => compileQ(parseQ(s), { expand, expandVocab }), s)

beforeAll(async () => {
  db = await openTestDb()
  await insertEntities(db, [
    {
      id: 'F1',
      scopes: ['/Madrid/Gardens'],
      attrs: {
        temperature: {
          type: 'Property',
          value: 21,
          observedAt: '2024-03-01T10:00:00.000Z',
          accuracy: { type: 'Property', value: 1 },
        },
        name: { type: 'Property', value: 'Alpha' },
      },
    },
    {
      id: 'F2',
      attrs: {
        name: { type: 'LanguageProperty', languageMap: { it: 'Via Roma' } },
        tags: { type: 'ListProperty', valueList: ['red', 3, true, null, { x: 1 }] },
      },
    },
    {
      id: 'F3',
      attrs: {
        address: { type: 'Property', value: { addressLocality: 'Lucca', postal: { code: 55100 } } },
        refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:1' },
      },
    },
    {
      id: 'F4',
      attrs: {
        config: { type: 'JsonProperty', json: [1, 'a', { level: 3 }] },
        category: { type: 'VocabProperty', vocab: 'https://example.org/vocab/Park' },
        status: { type: 'Property', value: null },
      },
    },
  ])
  await insertGeo(db, { id: 'F1', geometry: { type: 'Point', coordinates: [10.5, 43.84] } })
})
afterAll(async () => {
  await db?.close()
})

describe('q fuzzing', () => {
  it('valid seeds execute', async () => {
    for (const s of VALID) {
      await q(s)
    }
    expect(rejected).toBe(0)
  })

  it('random hostile strings, mutations and generated queries: 400 or a clean execution', async () => {
    const deadline = Date.now() + 14_000
    let n = 0
    for (; n < 6000 && Date.now() < deadline; n++) {
      const kind = n % 3
      const input = kind === 0 ? randomHostile() : kind === 1 ? mutate(pick(VALID)) : generated()
      await q(input)
    }
    console.log(`fuzz: ${n} inputs, ${executed} executed, ${rejected} rejected`)
    expect(n).toBeGreaterThan(1000)
    expect(executed).toBeGreaterThan(200)
    expect(rejected).toBeGreaterThan(200)
  }, 60_000)

  it('very long and deeply nested inputs', async () => {
    const inputs = [
      'a'.repeat(MAX_Q_LENGTH),
      'a'.repeat(MAX_Q_LENGTH + 1),
      `name=="${'x'.repeat(MAX_Q_LENGTH - 8)}"`,
      `name~="${'a'.repeat(500)}"`,
      `${'('.repeat(31)}temperature==1${')'.repeat(31)}`,
      `${'('.repeat(33)}temperature==1${')'.repeat(33)}`,
      '('.repeat(MAX_Q_LENGTH),
      `${'(a|'.repeat(30)}b${')'.repeat(30)}`,
      Array.from({ length: 128 }, (_, i) => `a${i}==${i}`).join('|'),
      Array.from({ length: 128 }, (_, i) => `name=="${i}"`).join(';'),
      `tags==${Array.from({ length: 100 }, (_, i) => `"v${i}"`).join(',')}`,
      `x[${'k'.repeat(3000)}]==1`,
      `${'a.'.repeat(1000)}b==1`,
      `name~="${'(a|'.repeat(15)}b${')'.repeat(15)}"`,
      `name~="(a*)*b"`,
      `name~="${'(?:a+)+'.repeat(20)}$"`,
    ]
    for (const s of inputs) await q(s)
  }, 60_000)
})

describe('scopeQ and geo-query fuzzing', () => {
  it('scopeQ: 400 or a clean execution', async () => {
    const parts = ['/', 'Madrid', 'Gardens', '+', '#', ';', '|', ',', '(', ')', ' ', '%', '_', "'", '\\', '.*', 'é']
    for (let n = 0; n < 800; n++) {
      let s = ''
      for (let i = 0, len = 1 + rnd(10); i < len; i++) s += pick(parts)
      await check(() => compileScopeQ(parseScopeQ(s)), s)
    }
  }, 60_000)

  it('geo-query: 400 or a clean execution', async () => {
    const georels = [
      'near;maxDistance==500',
      'near;minDistance==1',
      'within',
      'contains',
      'intersects',
      'overlaps',
      'disjoint',
      'equals',
      'near',
      'near;maxDistance==x',
      'within;x',
      '',
    ]
    const geometries = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'Circle', '']
    const num = () => pick([0, 10.5, 43.84, -180, 180, 90, -90, 181, 1e308, Number.NaN, 1e-320, -0])
    const pos = () => (rnd(10) ? [num(), num()] : pick([[num()], [num(), num(), num()], 'x', null]))
    const ring = () => {
      const r = Array.from({ length: 1 + rnd(6) }, pos)
      if (rnd(2)) r.push(r[0] ?? null)
      return r
    }
    const coords = (): unknown =>
      pick([pos(), [pos(), pos()], [ring()], [[ring()]], Array.from({ length: rnd(4) }, pos), 'garbage', '[1,2', {}])
    for (let n = 0; n < 800; n++) {
      const c = coords()
      const input = {
        georel: pick(georels),
        geometry: pick(geometries),
        coordinates: rnd(2) ? JSON.stringify(c) : c,
        geoproperty: pick([undefined, 'location', 'x y', 'observationSpace']),
      }
      await check(() => compileGeoQuery(parseGeoQuery(input, expand)), input)
    }
  }, 60_000)
})
