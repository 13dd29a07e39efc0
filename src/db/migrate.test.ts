import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../test/support/test-db.js'
import { appliedVersions, isUpToDate, migrate } from './migrate.js'
import { MIGRATIONS } from './migrations/index.js'

describe('migrations', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await openTestDatabase()
  })
  afterAll(() => database?.close())

  it('applies every migration once and records it', async () => {
    expect(await appliedVersions(database)).toEqual(MIGRATIONS.map((m) => m.version))
    expect(await isUpToDate(database)).toBe(true)
    const again = await migrate(database)
    expect(again.applied).toEqual([])
  })

  it('has PostGIS working', async () => {
    const r = await sql<{ d: number }>`SELECT ST_Distance(
      ST_GeomFromText('POINT(10.5 43.84)', 4326)::geography,
      ST_GeomFromText('POINT(10.51 43.84)', 4326)::geography) AS d`.execute(database.db)
    expect(r.rows[0]!.d).toBeGreaterThan(790)
    expect(r.rows[0]!.d).toBeLessThan(820)
  })

  it('compresses entity attributes with LZ4 where the build has it, else keeps pglz', async () => {
    const r = await sql<{ c: string | null; lz4: boolean }>`SELECT a.attcompression::text AS c,
        EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)) AS lz4
      FROM pg_attribute a WHERE a.attrelid = 'ngsi_entities'::regclass AND a.attname = 'attrs'`.execute(database.db)
    const { c, lz4 } = r.rows[0]!
    // 'l' = lz4; '' (or NULL) = the default, pglz
    expect(c === 'l').toBe(lz4)
  })

  it('rolls back a failing migration entirely', async () => {
    const bad = [
      ...MIGRATIONS,
      { version: 9999, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT no_such_function();' },
    ]
    await expect(migrate(database, bad)).rejects.toThrow()
    expect(await appliedVersions(database)).not.toContain(9999)
    const t = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'half_done'`.execute(
      database.db,
    )
    expect(t.rows[0]!.n).toBe(0)
  })

  it('serializes concurrent transactions on one database', async () => {
    await sql`CREATE TABLE IF NOT EXISTS counter_t (n int)`.execute(database.db)
    await sql`INSERT INTO counter_t VALUES (0)`.execute(database.db)
    await Promise.all(
      Array.from({ length: 20 }, () =>
        database.db.transaction().execute(async (trx) => {
          const r = await sql<{ n: number }>`SELECT n FROM counter_t FOR UPDATE`.execute(trx)
          await sql`UPDATE counter_t SET n = ${r.rows[0]!.n + 1}`.execute(trx)
        }),
      ),
    )
    const r = await sql<{ n: number }>`SELECT n FROM counter_t`.execute(database.db)
    expect(r.rows[0]!.n).toBe(20)
  })
})
