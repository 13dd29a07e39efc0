import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../../../test/support/test-db.js'
import type { HistoryRow } from './history-rows.js'
import { createPartitions, monthOf } from './partitions.js'
import { compactHistory, insertHistory, seriesMatch } from './repo.js'

const T1 = '2026-06-01T10:00:00.000Z'
const T2 = '2026-06-01T10:00:05.000Z'
const T0 = '2026-05-30T08:00:00.000Z'

const row = (over: Partial<HistoryRow>): HistoryRow => ({
  entityId: 'urn:e:1',
  attr: 'https://example.org/temperature',
  datasetId: '',
  time: T1,
  createdAt: T1,
  modifiedAt: T1,
  deleted: false,
  num: 1,
  inst: { type: 'Property', value: 1 },
  ...over,
})

/** Every case the compact encoding shortens, and the ones it must keep. */
const ROWS: HistoryRow[] = [
  row({}),
  row({ entityId: 'urn:e:2', num: 2.5, inst: { type: 'Property', value: 2.5 } }),
  row({ attr: 'https://example.org/name', num: null, inst: { type: 'Property', value: 'a "quoted", {odd} name' } }),
  row({ createdAt: T0, time: '2026-06-01T09:59:00.000Z' }), // older instance, observedAt before the write
  row({ modifiedAt: T2, createdAt: T2, time: T2 }), // a second modifiedAt in the same write
  row({ modifiedAt: T2, createdAt: T0, time: T0 }),
  row({ datasetId: 'urn:ds:b', num: 3 }),
  row({ entityId: 'urn:ngsi-ld:X:with,comma "and quote"', deleted: true, num: null, inst: { type: 'Property' } }),
]

describe('history rows on the way to the database', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await openTestDatabase()
  })
  afterAll(() => database?.close())

  it('leaves out what repeats: attribute names once, the common modifiedAt once', () => {
    const h = compactHistory(ROWS)
    expect(h.modified).toBe(T1)
    expect(h.attrs).toEqual(['https://example.org/temperature', 'https://example.org/name'])
    const recs = JSON.parse(h.json)
    expect(recs[0]).toEqual({ e: 'urn:e:1', a: 1, n: 1, i: { type: 'Property', value: 1 } })
    expect(recs[4]).toEqual({ e: 'urn:e:1', a: 1, m: T2, n: 1, i: { type: 'Property', value: 1 } })
    expect(h.json.length).toBeLessThan((JSON.stringify(ROWS).length * 2) / 3)
  })

  it('stores every row exactly as given', async () => {
    await database.db.transaction().execute(async (trx) => {
      await createPartitions().ensure(
        trx,
        'T-h',
        ROWS.map((r) => monthOf(r.time)),
      )
      await insertHistory(trx, 'T-h', ROWS, [])
    })
    const got = await sql<Record<string, unknown>>`SELECT entity_id, attr, dataset_id, deleted, num, inst,
        to_char(observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS t,
        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS c,
        to_char(modified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS m
      FROM ngsi_attr_history WHERE tenant = 'T-h'`.execute(database.db)
    const key = (r: Record<string, unknown>) => JSON.stringify(r)
    const expected = ROWS.map((r) => ({
      entity_id: r.entityId,
      attr: r.attr,
      dataset_id: r.datasetId,
      deleted: r.deleted,
      num: r.num,
      inst: r.inst,
      t: r.time,
      c: r.createdAt,
      m: r.modifiedAt,
    }))
    expect(got.rows.map(key).sort()).toEqual(expected.map(key).sort())
  })

  it('reads one series through the index, entity hash first, then series hash', async () => {
    // (after the test above: the rows of T-h are stored)
    const plan = await database.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx)
      await sql`SET LOCAL enable_bitmapscan = off`.execute(trx)
      const r = await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (FORMAT JSON) SELECT h.num FROM ngsi_attr_history h
        WHERE h.tenant = 'T-h' AND ${seriesMatch(sql`${'urn:e:1'}::text`, sql`${'https://example.org/temperature'}::text`)}`.execute(
        trx,
      )
      return JSON.stringify(r.rows[0]!['QUERY PLAN'])
    })
    expect(plan).toMatch(/"Index (Only )?Scan"/)
    expect(plan).toMatch(/"Index Cond":"\(\(eid = [^"]*sid = /)
    const got = await sql<{ num: number }>`SELECT h.num FROM ngsi_attr_history h
      WHERE h.tenant = 'T-h' AND ${seriesMatch(sql`${'urn:e:1'}::text`, sql`${'https://example.org/temperature'}::text`)}
        AND h.entity_id = 'urn:e:1' AND h.dataset_id = '' ORDER BY h.observed_at`.execute(database.db)
    expect(got.rows.map((r) => r.num)).toEqual([1, 1, 1, 1])
  })
})
