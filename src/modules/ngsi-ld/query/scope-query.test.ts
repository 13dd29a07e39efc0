import type { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../errors.js'
import { compileScopeQ, parseScopeQ } from './scope-query.js'
import { compileWhere, insertEntities, openTestDb, selectIds } from './test-db.js'

let db: PGlite
beforeAll(async () => {
  db = await openTestDb()
  await insertEntities(db, [
    { id: 'S1', scopes: ['/Madrid'] },
    { id: 'S2', scopes: ['/Madrid/Gardens'] },
    { id: 'S3', scopes: ['/Madrid/Gardens/ParqueNorte'] },
    { id: 'S4', scopes: ['/Madrid/Parks'] },
    { id: 'S5', scopes: ['/Lucca/Gardens', '/Lucca/Walls'] },
    { id: 'S6', scopes: ['/MadridNorth/Gardens'] },
    { id: 'S7' },
    { id: 'S8', scopes: [] },
    { id: 'S9', scopes: ['/Madrid%/Gardens', '/a_b'] },
    { id: 'S10', scopes: ['/Città/Giardini'] },
  ])
})
afterAll(async () => {
  await db?.close()
})

const run = (q: string) => selectIds(db, compileScopeQ(parseScopeQ(q)))

describe('scopeQ execution', () => {
  it.each([
    ['/Madrid', ['S1']],
    ['Madrid', ['S1']],
    ['/Madrid/Gardens', ['S2']],
    ['/Madrid/#', ['S1', 'S2', 'S3', 'S4']],
    ['/Madrid/Gardens/#', ['S2', 'S3']],
    ['/+/Gardens', ['S2', 'S5', 'S6', 'S9']],
    ['/+/Gardens/#', ['S2', 'S3', 'S5', 'S6', 'S9']],
    ['/+/+', ['S10', 'S2', 'S4', 'S5', 'S6', 'S9']],
    ['/#', ['S1', 'S10', 'S2', 'S3', 'S4', 'S5', 'S6', 'S9']],
    ['/Lucca/Walls;/Lucca/Gardens', ['S5']],
    ['/Lucca/Walls;/Madrid', []],
    ['/Lucca/Walls|/Madrid', ['S1', 'S5']],
    ['/Lucca/Walls,/Madrid', ['S1', 'S5']],
    ['/Madrid/Parks|/Lucca/#;/+/Walls', ['S4', 'S5']],
    ['(/Madrid/Parks|/Lucca/#);/+/Gardens', ['S5']],
    ['/a_b', ['S9']],
    ['/Città/#', ['S10']],
    ['/Madri', []],
    ['/+/Gard', []],
  ])('%s', async (q, expected) => {
    expect(await run(q)).toEqual([...expected].sort())
  })

  it('binds scopes as parameters and escapes regex metacharacters', () => {
    const c = compileWhere(compileScopeQ(parseScopeQ('/+/Gardens|/Madrid/#')))
    expect(c.sql).not.toContain('Gardens')
    expect(c.sql).not.toContain('Madrid')
    expect(c.parameters).toContain('^/[^/]+/Gardens$')
  })

  it('uses a custom alias', () => {
    expect(compileWhere(compileScopeQ(parseScopeQ('/a'), { alias: 'x' })).sql).toContain('"x"."scopes"')
  })
})

describe('scopeQ errors', () => {
  it.each([
    '',
    '/',
    '//a',
    '/a/',
    '/a/#/b',
    '/a%',
    '/a.b',
    "/a'; DROP TABLE x; --",
    '/a;',
    '|/a',
    '(/a',
    '/a)',
    '/a b',
    '/a\u0000',
    '/+#',
    `${'('.repeat(20)}/a${')'.repeat(20)}`,
    Array.from({ length: 70 }, () => '/a').join(';'),
    `/${'a'.repeat(3000)}`,
  ])('rejects %j', (q) => {
    let err: unknown
    try {
      parseScopeQ(q)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('BadRequestData')
    expect((err as AppError).message).toMatch(/scopeQ/)
  })
})
