import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../../../test/support/test-db.js'
import { instanceRow } from './history-rows.js'
import { applyRetention, createPartitions, firstKeptMonth, monthOf } from './partitions.js'
import { insertHistory } from './repo.js'

/** Leaf partitions of the history per tenant, from the catalog. */
async function leaves(database: TestDatabase): Promise<{ parent: string; leaf: string; bound: string }[]> {
  const r = await sql<{ parent: string; leaf: string; bound: string }>`SELECT p.relname AS parent, c.relname AS leaf,
      pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
    JOIN pg_inherits i2 ON i2.inhrelid = p.oid JOIN pg_class root ON root.oid = i2.inhparent
    WHERE root.relname = 'ngsi_attr_history' AND c.relkind = 'r' ORDER BY c.relname`.execute(database.db)
  return r.rows
}

const row = (entityId: string, observedAt: string) =>
  instanceRow(entityId, 'https://example.org/temperature', { type: 'Property', value: 1, observedAt }, observedAt)

describe('history partitions', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await openTestDatabase()
  })
  afterAll(() => database?.close())

  it('creates a tenant table and monthly partitions on demand, and remembers them once committed', async () => {
    const parts = createPartitions()
    const rows = [row('urn:e:1', '2026-03-31T23:59:59.999Z'), row('urn:e:1', '2026-04-01T00:00:00.000Z')]
    await database.db.transaction().execute(async (trx) => {
      await parts.ensure(
        trx,
        'T-1',
        rows.map((r) => monthOf(r.time)),
      )
      await insertHistory(trx, 'T-1', rows, [])
    })
    const got = await leaves(database)
    expect(got.map((l) => l.bound)).toEqual([
      "FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-04-01 00:00:00+00')",
      "FOR VALUES FROM ('2026-04-01 00:00:00+00') TO ('2026-05-01 00:00:00+00')",
    ])
    expect(new Set(got.map((l) => l.parent)).size).toBe(1)
    const counts = await sql<{ leaf: string; n: number }>`SELECT tableoid::regclass::text AS leaf, count(*)::int AS n
      FROM ngsi_attr_history GROUP BY 1 ORDER BY 1`.execute(database.db)
    expect(counts.rows.map((c) => c.n)).toEqual([1, 1])
    // the first ensure created them (not remembered: it could have rolled back); the next one finds them committed
    const seen: string[] = []
    const stop = database.onQuery((q) => seen.push(q))
    await database.db.transaction().execute((trx) => parts.ensure(trx, 'T-1', ['2026-03-01', '2026-04-01']))
    await database.db.transaction().execute((trx) => parts.ensure(trx, 'T-1', ['2026-03-01', '2026-04-01']))
    stop()
    expect(seen.filter((q) => q.includes('ngsi_history_partition')).length).toBe(1)
  })

  it('forgets partitions created by a transaction that rolled back', async () => {
    const parts = createPartitions()
    await expect(
      database.db.transaction().execute(async (trx) => {
        await parts.ensure(trx, 'T-2', ['2026-05-01'])
        throw new Error('rollback')
      }),
    ).rejects.toThrow('rollback')
    expect((await leaves(database)).filter((l) => l.leaf.includes('202605'))).toEqual([])
    await database.db.transaction().execute(async (trx) => {
      await parts.ensure(trx, 'T-2', ['2026-05-01'])
      await insertHistory(trx, 'T-2', [row('urn:e:2', '2026-05-02T00:00:00.000Z')], [])
    })
    expect((await leaves(database)).filter((l) => l.leaf.includes('202605'))).toHaveLength(1)
  })

  it('is safe when several writers create the same partitions at once', async () => {
    const months = ['2025-01-01', '2025-02-01', '2025-03-01']
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        database.db.transaction().execute(async (trx) => {
          const parts = createPartitions() // each "server" has its own memory
          await parts.ensure(trx, 'T-3', i % 2 ? months : [...months].reverse())
          await insertHistory(trx, 'T-3', [row(`urn:e:${i}`, '2025-02-10T00:00:00.000Z')], [])
        }),
      ),
    )
    const mine = await sql<{
      n: number
    }>`SELECT count(*)::int AS n FROM ngsi_history_partitions WHERE tenant = 'T-3'`.execute(database.db)
    expect(mine.rows[0]!.n).toBe(3)
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ngsi_attr_history WHERE tenant = 'T-3'`.execute(
      database.db,
    )
    expect(n.rows[0]!.n).toBe(6)
  })

  it('computes the first month kept', () => {
    const now = new Date('2026-11-23T10:00:00Z')
    expect(firstKeptMonth(0, now)).toBeUndefined()
    expect(firstKeptMonth(1, now)).toBe('2026-10-01')
    expect(firstKeptMonth(12, now)).toBe('2025-11-01')
  })

  it('drops whole partitions older than the retention, per tenant', async () => {
    const parts = createPartitions()
    const write = (tenant: string, times: string[]) =>
      database.db.transaction().execute(async (trx) => {
        const rows = times.map((t) => row('urn:e:r', t))
        await parts.ensure(
          trx,
          tenant,
          rows.map((r) => monthOf(r.time)),
        )
        await insertHistory(trx, tenant, rows, [])
      })
    await write('old', ['2026-06-15T00:00:00.000Z', '2026-08-15T00:00:00.000Z', '2026-09-15T00:00:00.000Z'])
    await write('keep', ['2026-06-15T00:00:00.000Z'])
    const now = new Date('2026-11-23T10:00:00Z')
    // default: keep everything; tenant "old": 2 months (September 2026 onward)
    const dropped = await applyRetention(database.db, { months: 0, tenants: { old: 2 } }, now)
    expect(dropped.map((d) => [d.tenant, d.month])).toEqual([
      ['old', '2026-06-01'],
      ['old', '2026-08-01'],
    ])
    const left = await sql<{ tenant: string; t: Date }>`SELECT tenant, observed_at AS t FROM ngsi_attr_history
      WHERE tenant IN ('old', 'keep') ORDER BY tenant, observed_at`.execute(database.db)
    expect(left.rows.map((r) => [r.tenant, r.t.toISOString()])).toEqual([
      ['keep', '2026-06-15T00:00:00.000Z'],
      ['old', '2026-09-15T00:00:00.000Z'],
    ])
    const names = (await leaves(database)).map((l) => l.leaf)
    for (const d of dropped) expect(names).not.toContain(d.name)
    expect(await applyRetention(database.db, { months: 0, tenants: { old: 2 } }, now)).toEqual([])
    expect(await applyRetention(database.db, { months: 0, tenants: {} }, now)).toEqual([])
  })
})
