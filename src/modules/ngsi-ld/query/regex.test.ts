import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../errors.js'
import { toPgRegex } from './regex.js'

describe('toPgRegex (unit)', () => {
  it('translates to ARE with escaped literals', () => {
    expect(toPgRegex('^Via.*$').source).toBe('^Via.*$')
    expect(toPgRegex('a.b').source).toBe('a.b')
    expect(toPgRegex('a\\.b').source).toBe('a\\u002eb')
    expect(toPgRegex('(ab|cd)+').source).toBe('(?:ab|cd)+')
    expect(toPgRegex('(?:x)').source).toBe('(?:x)')
    expect(toPgRegex('\\bword\\B').source).toBe('\\yword\\Y')
    expect(toPgRegex('[a-z_]').source).toBe('[a-z\\u005f]')
    expect(toPgRegex('a b').source).toBe('a\\u0020b')
    expect(toPgRegex('è+').source).toBe('è+')
    expect(toPgRegex('a{2,}').source).toBe('a{2,}')
    expect(toPgRegex('x{')).toEqual({ source: 'x\\u007b', caseInsensitive: false })
    expect(toPgRegex('(?i)ROMA')).toEqual({ source: 'ROMA', caseInsensitive: true })
    expect(toPgRegex('(?i)')).toEqual({ source: '', caseInsensitive: true })
  })

  it.each([
    '',
    '(',
    ')',
    '[',
    '[]',
    '[^]',
    '*',
    'a|*',
    '^*',
    '\\b+',
    'a{3}{2}',
    'a**',
    '\\k<x>',
    '\\2',
    '\\p{L}',
    '\\x41',
    '\\u12',
    '\\u0000',
    '\\ud800',
    '(?<=a)b',
    '(?i:a)',
    '[\\D]',
    '[\\b]',
    '[\\d-z]',
    'a{256}',
    'a{1,256}',
    'x'.repeat(600),
    `${'('.repeat(20)}a${')'.repeat(20)}`,
    '((a{20}){20}){20}',
  ])('rejects %j with BadRequestData', (pattern) => {
    expect(() => toPgRegex(pattern)).toThrow(AppError)
    try {
      toPgRegex(pattern)
    } catch (e) {
      expect((e as AppError).code).toBe('BadRequestData')
    }
  })
})

describe('toPgRegex (PostgreSQL agrees with JavaScript)', () => {
  let db: PGlite
  beforeAll(async () => {
    db = await PGlite.create()
  })
  afterAll(async () => {
    await db.close()
  })

  const samples = [
    'Via Roma',
    'via roma 12',
    'ROMA',
    'a.b',
    'axb',
    'foo bar',
    'foobar',
    'abcabc',
    '2024-05-01',
    'x]y',
    'a-b',
    'a_b',
    'tab\there',
    '{json}',
    'è perché',
    '',
    '^$',
    'a+b',
    '(paren)',
    'back\\slash',
    'urn:ngsi-ld:Device:42',
  ]
  const patterns = [
    '^Via',
    '(?i)^via',
    'roma$',
    'a\\.b',
    'a.b',
    '\\bbar\\b',
    'o\\B',
    '(abc){2}',
    '^(abc)+$',
    '^\\d{4}-\\d{2}-\\d{2}$',
    '[\\]]',
    '[a\\-z]',
    '[^a-z ]',
    '\\w_\\w',
    '\\t',
    '\\{json\\}',
    '[è]',
    'perch\\u00e9',
    '^$',
    '\\^\\$',
    'a\\+b',
    '\\(paren\\)',
    '\\\\',
    'Device:4[0-9]$',
    'a|b',
    'x*?y',
    'o{2,}',
    'ab?c',
    '[.]',
    '\\s',
    '\\S+\\s\\S+',
    '(?:a|b)(?:c|-)',
  ]

  it('compiles every accepted pattern and matches like a JS RegExp', async () => {
    for (const pattern of patterns) {
      const { source, caseInsensitive } = toPgRegex(pattern)
      const js = new RegExp(pattern.replace(/^\(\?i\)/, ''), caseInsensitive ? 'i' : '')
      const op = caseInsensitive ? '~*' : '~'
      const r = await db.query<{ s: string; m: boolean }>(`SELECT s, s ${op} $1 AS m FROM unnest($2::text[]) s`, [
        source,
        samples,
      ])
      for (const row of r.rows) {
        expect({ pattern, s: row.s, m: row.m }).toEqual({ pattern, s: row.s, m: js.test(row.s) })
      }
    }
  })

  it('never makes PostgreSQL fail on accepted random patterns', async () => {
    const alphabet = [
      'a',
      'b',
      '.',
      '*',
      '+',
      '?',
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      '|',
      '^',
      '$',
      '\\',
      '-',
      '2',
      ',',
      'é',
    ]
    let seed = 42
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n
    }
    let accepted = 0
    for (let i = 0; i < 1500; i++) {
      const len = 1 + rnd(12)
      let p = ''
      for (let j = 0; j < len; j++) p += alphabet[rnd(alphabet.length)]
      let re: ReturnType<typeof toPgRegex>
      try {
        re = toPgRegex(p)
      } catch (e) {
        expect((e as AppError).code).toBe('BadRequestData')
        continue
      }
      accepted++
      await db.query('SELECT $1::text ~ $2 AS m', ['abba.é', re.source])
    }
    expect(accepted).toBeGreaterThan(100)
  })
})
