import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PG_URL } from '../../test/support/test-db.js'
import { prepareRepeatedStatements } from './prepared.js'

if (!PG_URL) console.log('prepared statements: PostgreSQL only, tested in the PostgreSQL pass (URBE_TEST_DATABASE_URL)')

describe.skipIf(!PG_URL)('named statements for repeated SQL (PostgreSQL)', () => {
  let pool: pg.Pool
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: PG_URL, max: 1 })
    prepareRepeatedStatements(pool, { after: 2, perConnection: 2 })
  })
  afterAll(() => pool?.end())

  const preparedHere = async () =>
    (await pool.query('SELECT statement FROM pg_prepared_statements ORDER BY prepare_time')).rows.map(
      (r: { statement: string }) => r.statement,
    )

  it('names a text from its second use, answers the same, and keeps the cap per connection', async () => {
    const a = 'SELECT $1::int + 1 AS n'
    expect((await pool.query(a, [1])).rows).toEqual([{ n: 2 }])
    expect(await preparedHere()).toEqual([])
    expect((await pool.query(a, [41])).rows).toEqual([{ n: 42 }])
    expect((await pool.query(a, [9])).rows).toEqual([{ n: 10 }])
    expect(await preparedHere()).toEqual([a])
    for (const text of ['SELECT $1::int * 2 AS n', 'SELECT $1::int * 3 AS n']) {
      for (let i = 0; i < 3; i++)
        expect((await pool.query(text, [i])).rows[0].n).toBe(text.endsWith('2 AS n') ? i * 2 : i * 3)
    }
    // two names per connection: the third text stays unnamed, and still answers
    expect(await preparedHere()).toEqual([a, 'SELECT $1::int * 2 AS n'])
  })

  it('leaves queries without parameters alone (BEGIN, COMMIT, scripts)', async () => {
    for (let i = 0; i < 3; i++) await pool.query('SELECT 7 AS n')
    expect((await preparedHere()).some((s) => s.includes('SELECT 7'))).toBe(false)
  })
})
