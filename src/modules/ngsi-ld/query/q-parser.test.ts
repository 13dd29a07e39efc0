import { describe, expect, it } from 'vitest'
import { AppError } from '../../../errors.js'
import { MAX_Q_DEPTH, type QAttrPath, type QNode, parseQ } from './q-parser.js'

const path = (attr: string, extra: Partial<QAttrPath> = {}): QAttrPath => ({
  attr,
  subAttrs: [],
  compound: [],
  text: attr,
  ...extra,
})

/** Drops positions and texts so that expectations stay readable. */
function strip(n: QNode): unknown {
  if (n.kind === 'and' || n.kind === 'or') return { [n.kind]: n.children.map(strip) }
  const { text: _t, ...p } = n.path
  if (n.kind === 'exists') return { exists: p, negated: n.negated }
  if (n.kind === 'pattern') return { pattern: p, negated: n.negated, re: n.regex.source, i: n.regex.caseInsensitive }
  return { compare: p, op: n.op, value: n.value }
}

const p = (q: string) => strip(parseQ(q))
const P = (attr: string, extra: Partial<QAttrPath> = {}) => {
  const { text: _t, ...rest } = path(attr, extra)
  return rest
}
const num = (value: number) => ({ type: 'number', value })
const str = (value: string) => ({ type: 'string', value })
const single = (value: unknown) => ({ kind: 'single', value })

function expectBad(q: string, fragment?: string | RegExp): AppError {
  let err: unknown
  try {
    parseQ(q)
  } catch (e) {
    err = e
  }
  expect(err, `expected '${q}' to be rejected`).toBeInstanceOf(AppError)
  const ae = err as AppError
  expect(ae.code).toBe('BadRequestData')
  expect(ae.message.length).toBeGreaterThan(10)
  if (fragment) expect(ae.message).toMatch(fragment)
  return ae
}

describe('parseQ: terms and values', () => {
  it('parses comparisons with every operator', () => {
    for (const op of ['==', '!=', '>', '>=', '<', '<='] as const) {
      expect(p(`temperature${op}21`)).toEqual({ compare: P('temperature'), op, value: single(num(21)) })
    }
  })

  it('parses numbers: integer, decimal, negative, exponent', () => {
    expect(p('a==-5')).toMatchObject({ value: single(num(-5)) })
    expect(p('a==3.25')).toMatchObject({ value: single(num(3.25)) })
    expect(p('a>1e3')).toMatchObject({ value: single(num(1000)) })
    expect(p('a<-2.5E-2')).toMatchObject({ value: single(num(-0.025)) })
    expect(p('a==0')).toMatchObject({ value: single(num(0)) })
  })

  it('parses quoted strings with escapes; quoted numbers stay strings', () => {
    expect(p('name=="Via Roma"')).toMatchObject({ value: single(str('Via Roma')) })
    expect(p('name=="say \\"hi\\""')).toMatchObject({ value: single(str('say "hi"')) })
    expect(p('name=="back\\\\slash"')).toMatchObject({ value: single(str('back\\slash')) })
    expect(p('name=="a;b|c(d)e,f..g"')).toMatchObject({ value: single(str('a;b|c(d)e,f..g')) })
    expect(p('name=="42"')).toMatchObject({ value: single(str('42')) })
    expect(p('name==""')).toMatchObject({ value: single(str('')) })
    expect(p('name=="città ✓ 🚲"')).toMatchObject({ value: single(str('città ✓ 🚲')) })
  })

  it('parses booleans, dateTimes, dates, times and URIs', () => {
    expect(p('a==true')).toMatchObject({ value: single({ type: 'boolean', value: true }) })
    expect(p('a!=false')).toMatchObject({ op: '!=', value: single({ type: 'boolean', value: false }) })
    expect(p('a>2020-01-01T10:00:00Z')).toMatchObject({
      value: single({ type: 'dateTime', value: '2020-01-01T10:00:00Z', iso: '2020-01-01T10:00:00.000Z' }),
    })
    expect(p('a<2020-01-01T12:30:00+02:00')).toMatchObject({
      value: single({ type: 'dateTime', iso: '2020-01-01T10:30:00.000Z' }),
    })
    expect(p('a<2020-01-01T00:30:00.25-01:00')).toMatchObject({
      value: single({ type: 'dateTime', iso: '2020-01-01T01:30:00.250Z' }),
    })
    expect(p('a>=2020-01-01')).toMatchObject({ value: single({ type: 'date', value: '2020-01-01' }) })
    expect(p('a<10:00:00')).toMatchObject({ value: single({ type: 'time', value: '10:00:00' }) })
    expect(p('refDevice==urn:ngsi-ld:Device:1')).toMatchObject({
      value: single({ type: 'uri', value: 'urn:ngsi-ld:Device:1' }),
    })
    expect(p('homepage==https://example.org/a/b?x=1#f')).toMatchObject({
      value: single({ type: 'uri', value: 'https://example.org/a/b?x=1#f' }),
    })
    expect(p('status==open')).toMatchObject({ value: single(str('open')) })
  })

  it('parses ranges and lists', () => {
    expect(p('a==1..5')).toMatchObject({ value: { kind: 'range', from: num(1), to: num(5) } })
    expect(p('a==-1.5..2.5')).toMatchObject({ value: { kind: 'range', from: num(-1.5), to: num(2.5) } })
    expect(p('a!=2020-01-01..2020-12-31')).toMatchObject({
      op: '!=',
      value: { kind: 'range', from: { type: 'date' }, to: { type: 'date' } },
    })
    expect(p('a=="a".."m"')).toMatchObject({ value: { kind: 'range', from: str('a'), to: str('m') } })
    expect(p('a==1,2,3')).toMatchObject({ value: { kind: 'list', values: [num(1), num(2), num(3)] } })
    expect(p('a!="x","y"')).toMatchObject({ op: '!=', value: { kind: 'list', values: [str('x'), str('y')] } })
    expect(p('r==urn:a:1,urn:a:2')).toMatchObject({
      value: {
        kind: 'list',
        values: [
          { type: 'uri', value: 'urn:a:1' },
          { type: 'uri', value: 'urn:a:2' },
        ],
      },
    })
  })

  it('parses existence and non-existence', () => {
    expect(p('temperature')).toEqual({ exists: P('temperature'), negated: false })
    expect(p('!temperature')).toEqual({ exists: P('temperature'), negated: true })
    expect(p('a.b')).toEqual({ exists: P('a', { subAttrs: ['b'] }), negated: false })
  })

  it('parses patterns, quoted or raw, with (?i)', () => {
    expect(p('name~="^Via.*"')).toEqual({ pattern: P('name'), negated: false, re: '^Via.*', i: false })
    expect(p('name!~="(?i)roma"')).toEqual({ pattern: P('name'), negated: true, re: 'roma', i: true })
    expect(p('name~=^a(b|c)$;x==1')).toEqual({
      and: [{ pattern: P('name'), negated: false, re: '^a(?:b|c)$', i: false }, expect.anything()],
    })
    expect(p('name~="a\\d+\\.b"')).toMatchObject({ re: 'a\\d+\\u002eb' })
  })

  it('parses dotted, compound and mixed attribute paths', () => {
    expect(p('temperature.observedAt>2020-01-01T00:00:00Z')).toMatchObject({
      compare: P('temperature', { member: 'observedAt' }),
    })
    expect(p('a.b.c==1')).toMatchObject({ compare: P('a', { subAttrs: ['b', 'c'] }) })
    expect(p('a.b.unitCode=="CEL"')).toMatchObject({ compare: P('a', { subAttrs: ['b'], member: 'unitCode' }) })
    expect(p('a.datasetId==urn:x:1')).toMatchObject({ compare: P('a', { member: 'datasetId' }) })
    expect(p('address[addressLocality]=="Lucca"')).toMatchObject({
      compare: P('address', { compound: ['addressLocality'] }),
    })
    expect(p('a[b][c]==1')).toMatchObject({ compare: P('a', { compound: ['b', 'c'] }) })
    expect(p('a.b[c]==1')).toMatchObject({ compare: P('a', { subAttrs: ['b'], compound: ['c'] }) })
    expect(p('schema:name=="x"')).toMatchObject({ compare: P('schema:name') })
    expect(p('createdAt>2024-01-01T00:00:00Z')).toMatchObject({ compare: P('createdAt', { system: 'createdAt' }) })
    expect(p('a.observedAt')).toMatchObject({ exists: P('a', { member: 'observedAt' }) })
  })

  it('keeps the path text for messages', () => {
    const n = parseQ('a.b[c][d]==1')
    expect(n.kind === 'compare' && n.path.text).toBe('a.b[c][d]')
  })
})

describe('parseQ: logic and precedence', () => {
  it('AND binds tighter than OR', () => {
    expect(p('a|b;c')).toEqual({ or: [p('a'), { and: [p('b'), p('c')] }] })
    expect(p('a;b|c')).toEqual({ or: [{ and: [p('a'), p('b')] }, p('c')] })
    expect(p('a;b|c;d|e')).toEqual({ or: [{ and: [p('a'), p('b')] }, { and: [p('c'), p('d')] }, p('e')] })
  })

  it('parentheses override precedence and nest', () => {
    expect(p('(a|b);c')).toEqual({ and: [{ or: [p('a'), p('b')] }, p('c')] })
    expect(p('((a))')).toEqual(p('a'))
    expect(p('a;(b|(c;(d|e)))')).toEqual({
      and: [p('a'), { or: [p('b'), { and: [p('c'), { or: [p('d'), p('e')] }] }] }],
    })
    expect(p('(temperature>20;humidity<80)|(status=="x")')).toEqual({
      or: [{ and: [p('temperature>20'), p('humidity<80')] }, p('status=="x"')],
    })
  })

  it('accepts whitespace around tokens', () => {
    expect(p(' a > 5 ; ( b == "x y" | c ) ')).toEqual(p('a>5;(b=="x y"|c)'))
  })

  it('accepts nesting up to the depth limit', () => {
    const q = `${'('.repeat(MAX_Q_DEPTH)}a==1${')'.repeat(MAX_Q_DEPTH)}`
    expect(p(q)).toEqual(p('a==1'))
  })
})

describe('parseQ: errors', () => {
  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['a==', /value/],
    ['==1', /attribute name/],
    ['a=1', /'='/],
    ['a===1', /value/],
    ['a>>1', /value/],
    ['a==1;', /attribute name/],
    [';a==1', /attribute name/],
    ['a==1|', /attribute name/],
    ['a==1||b==2', /attribute name/],
    ['a==1;;b==2', /attribute name/],
    ['(a==1', /expected '\)'/],
    ['a==1)', /unbalanced/],
    ['()', /attribute name/],
    ['a==(1)', /value/],
    ['a=="unterminated', /unterminated/],
    ['a==1 2', /expected ';'/],
    ['a b', /operator/],
    ['a==1..', /value/],
    ['a==..5', /value/],
    ['a>1..5', /range/],
    ['a<1,2', /list/],
    ['a==1,', /value/],
    ['a==true..false', /boolean/],
    ['a==1.."z"', /both ends/],
    ['a>true', /booleans/],
    ['a==2020-13-01', /invalid date/],
    ['a==2021-02-29', /invalid date/],
    ['a==2020-01-01T25:00:00Z', /invalid dateTime/],
    ['a==25:00:00', /invalid time/],
    ['a==1e999', /out of range/],
    ['a==foo bar', /expected ';'/],
    ["a=='x'", /invalid value/],
    ['a==x<y', /invalid value/],
    ['a.==1', /sub-attribute/],
    ['a..b==1', /sub-attribute/],
    ['a[==1', /key/],
    ['a[b==1', /expected '\]'/],
    ['a[]==1', /key/],
    ['a[b].c==1', /dotted path cannot follow/],
    ['a.observedAt[x]==1', /compound/],
    ['1a==1', /must start with a letter/],
    ['a.1b==1', /must start with a letter/],
    ['!a==1', /negate/],
    ['!', /attribute name/],
    ['a~=', /regular expression/],
    ['a~="("', /missing '\)'/],
    ['a~="[a-"', /missing '\]'/],
    ['a~="*a"', /nothing to repeat/],
    ['a~="a**"', /nothing to repeat/],
    ['a~="\\1"', /unsupported escape/],
    ['a~="(?<n>x)"', /unsupported group/],
    ['a~="(?=x)"', /unsupported group/],
    ['a~="a{300}"', /above 255/],
    ['a~="a{5,2}"', /out of order/],
    ['a~="[z-a]"', /out of order/],
    ['a~="((a{200}){200})"', /too complex/],
    ['a~="x\\\\"', /ends with a backslash/],
    ['a~="x\\"', /unterminated/],
    ['createdAt=="x"', /createdAt/],
    ['createdAt~="x"', /createdAt/],
    ['name=="O\'Brien"; DROP TABLE ngsi_entities; --', /operator/],
    ['a==1\u0000', /NUL/],
    ['a=="\ud800"', /surrogate/],
    ['a@b==1', /must start with a letter|operator/],
  ])('rejects %j', (q, fragment) => {
    expectBad(q, fragment)
  })

  it('reports the position of the error', () => {
    expect(expectBad('temperature>20;humidity<<5').message).toMatch(/position 24/)
    expect(expectBad('a==1)').details).toEqual({ position: 4 })
  })

  it('rejects over-long input, too deep nesting and too many terms', () => {
    expectBad(`a=="${'x'.repeat(5000)}"`, /longer than 4096/)
    expectBad(`${'('.repeat(MAX_Q_DEPTH + 1)}a${')'.repeat(MAX_Q_DEPTH + 1)}`, /nested deeper/)
    expectBad(`${'('.repeat(2000)}a`, /longer than|nested deeper/)
    expectBad(Array.from({ length: 200 }, (_, i) => `a${i}`).join(';'), /more than 128 terms/)
    expectBad(`a==${Array.from({ length: 101 }, (_, i) => i).join(',')}`, /more than 100 values/)
  })
})
