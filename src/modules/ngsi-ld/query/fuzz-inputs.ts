/**
 * Test support (not a test file): deterministic generators of hostile, mutated and grammar-generated inputs for
 * q-fuzz.test.ts. Set Q_FUZZ_SEED to explore other inputs.
 */

let seed = Number(process.env.Q_FUZZ_SEED ?? 20240601) || 1
export const rnd = (n: number) => {
  // xorshift32
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) % n
}
export const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!

export const HOSTILE = [
  '"',
  '\\',
  ';',
  '|',
  '(',
  ')',
  "'",
  '; DROP TABLE ngsi_entities; --',
  "'); DELETE FROM ngsi_entities; --",
  '==',
  '!=',
  '~=',
  '!~=',
  '>',
  '>=',
  '<',
  '<=',
  '=',
  '!',
  '~',
  '..',
  '.',
  ',',
  '[',
  ']',
  '{',
  '}',
  '@',
  '$',
  '$1',
  '$$',
  '::jsonpath',
  '::text',
  '*',
  '+',
  '?',
  '^',
  '#',
  '%',
  '%00',
  '%27',
  '/',
  ':',
  ' ',
  '\t',
  '\n',
  '\r',
  'temperature',
  'name',
  'a',
  'b',
  'address',
  'observedAt',
  'createdAt',
  'unitCode',
  'datasetId',
  'true',
  'false',
  'null',
  '0',
  '1',
  '-1',
  '3.14',
  '1e308',
  '1e309',
  '-0',
  '007',
  '2020-01-01',
  '2020-01-01T10:00:00Z',
  '10:00:00',
  'urn:ngsi-ld:Device:1',
  'https://x.org/a?b=c',
  '(?i)',
  '\\d',
  '\\u0041',
  '\\u0000',
  'é',
  '🚲',
  '\u200b',
  '\u2028',
  '\ufeff',
  '\u0000',
  '\ud800',
  '\udc00',
  'ﬀ',
  'İ',
  '$.a',
  '@.value',
  'like_regex',
  '" || "',
  '\\"',
]

export const VALID = [
  'temperature==21',
  'temperature>20;name=="Alpha"',
  'temperature==18..25|status!="open"',
  '(a==1|b==2);(c|!d)',
  'name~="(?i)^al[p-q]ha$"',
  'name!~=^B',
  'address[addressLocality]=="Lucca";address[postal][code]!="1"',
  'temperature.observedAt>=2024-01-01T00:00:00Z',
  'temperature.accuracy.method=="x"',
  'refDevice==urn:ngsi-ld:Device:1,urn:ngsi-ld:Device:2',
  'createdAt>2020-01-01;modifiedAt<=2030-01-01T00:00:00+02:00',
  'category==Park;tags=="red","blue"',
  'config[level]>2;config[mode]~="e.o"',
  'a.b[c]==1e3',
  'name=="with \\"quotes\\" and ; | ( )"',
]

export function randomHostile(): string {
  const n = 1 + rnd(12)
  let s = ''
  for (let i = 0; i < n; i++) s += pick(HOSTILE)
  return s
}

export function mutate(q: string): string {
  let s = q
  const edits = 1 + rnd(4)
  for (let k = 0; k < edits; k++) {
    const i = rnd(s.length + 1)
    switch (rnd(5)) {
      case 0:
        s = s.slice(0, i) + pick(HOSTILE) + s.slice(i)
        break
      case 1:
        s = s.slice(0, i) + s.slice(i + 1 + rnd(3))
        break
      case 2:
        s = s.slice(0, i) + String.fromCharCode(rnd(0x3000)) + s.slice(i + 1)
        break
      case 3:
        s = s.slice(0, i) + s.slice(rnd(s.length), rnd(s.length + 1)) + s.slice(i)
        break
      default:
        s = s.slice(0, i) + pick([';', '|', '(', ')', ',', '..', '"']) + s.slice(i)
    }
  }
  return s
}

/** Random but mostly valid queries from the grammar. */
export function generated(depth = 0): string {
  if (depth < 3 && rnd(3) === 0) {
    const parts = Array.from({ length: 2 + rnd(3) }, () => generated(depth + 1))
    const joined = parts.join(pick([';', '|']))
    return rnd(2) ? `(${joined})` : joined
  }
  const attr = pick([
    'temperature',
    'name',
    'status',
    'address[addressLocality]',
    'temperature.observedAt',
    'tags',
    'refDevice',
    'temperature.accuracy',
    'config[level]',
    'category',
    'createdAt',
    'x.y.z',
    'a[b][c]',
  ])
  const value = pick([
    '21',
    '-3.5',
    '1e2',
    '"Alpha"',
    '"x\\"y"',
    'true',
    'urn:a:b',
    '2024-03-01T10:00:00Z',
    '2024-03-01',
    '10:00:00',
    'open',
    '1..30',
    '"a".."z"',
    '1,2,3',
    '"a","b"',
  ])
  const op = pick(['==', '!=', '>', '>=', '<', '<=', '~=', '!~=', ''])
  if (op === '') return rnd(4) ? attr : `!${attr}`
  if (op.includes('~')) return `${attr}${op}${pick(['"^A"', '"(?i)x|y"', '[a-z]+', '"a{2,3}"', '"\\\\d"'])}`
  return `${attr}${op}${value}`
}
