import { describe, expect, it } from 'vitest'
import { AppError } from '../../../errors.js'
import { fakeContext } from './fake-context.js'
import { parseEntity } from './parse-entity.js'

const NOW = '2024-05-01T10:00:00.000Z'
const ctx = fakeContext()

/** The error thrown by parsing `body`, which must be a BadRequestData AppError. */
function errorOf(body: unknown): AppError {
  try {
    parseEntity(body, ctx, { now: NOW })
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    expect((e as AppError).code).toBe('BadRequestData')
    return e as AppError
  }
  throw new Error('expected a BadRequestData error')
}

const base = { id: 'urn:ngsi-ld:T:1', type: 'T' }
const withAttr = (name: string, attr: unknown) => ({ ...base, [name]: attr })
const ring = (...ps: number[][]) => ({ type: 'Polygon', coordinates: [ps] })
const deep = (n: number): unknown => (n === 0 ? 1 : { a: deep(n - 1) })

const cases: [string, unknown, string][] = [
  ['a payload that is an array', [base], 'the payload must be a JSON object'],
  ['a missing id', { type: 'T' }, 'id: the entity id is missing'],
  ['an id that is not a string', { id: 5, type: 'T' }, 'id: the entity id must be a URI'],
  ['an id without a scheme', { id: 'Building-1', type: 'T' }, 'id: the entity id must be a URI'],
  ['an id with whitespace', { id: 'urn:ngsi-ld:T:a b', type: 'T' }, 'id: the entity id must be a URI'],
  ['an id whose "scheme" has an underscore', { id: 'Spain_1:x', type: 'T' }, 'id: the entity id must be a URI'],
  ['a missing type', { id: 'urn:ngsi-ld:T:1' }, 'type: the entity type is missing'],
  ['an empty type array', { id: 'urn:ngsi-ld:T:1', type: [] }, 'type: type must be an entity type name'],
  [
    'an invalid type name',
    { id: 'urn:ngsi-ld:T:1', type: 'Bad Type' },
    'type: "Bad Type" is not a valid entity type name',
  ],
  ['a non-string type', { id: 'urn:ngsi-ld:T:1', type: ['T', 5] }, 'type: 5 is not a valid entity type name'],
  ['a scope without a leading slash', { ...base, scope: 'Italy' }, 'scope: scope must be a scope'],
  ['a scope array with a number', { ...base, scope: ['/Italy', 5] }, 'scope: scope must be a scope'],
  ['an attribute name with a space', withAttr('bad name', 1), 'bad name: "bad name" is not a valid attribute name'],
  ['an attribute name with <', withAttr('a<b', 1), '"a<b" is not a valid attribute name'],
  ['an attribute name with =', withAttr('x=y', 1), '"x=y" is not a valid attribute name'],
  ['an attribute name with parentheses', withAttr('f(x)', 1), '"f(x)" is not a valid attribute name'],
  ['an attribute name starting with a digit', withAttr('1abc', 1), '"1abc" is not a valid attribute name'],
  ['an attribute named object', withAttr('object', 1), 'object: "object" is a reserved name'],
  ['an attribute named observedAt', withAttr('observedAt', 1), '"observedAt" is a reserved name'],
  ['an attribute named with @', withAttr('@graph', 1), '"@graph" is a reserved name'],
  [
    'the same attribute twice (term and IRI)',
    { ...base, a: 1, 'https://uri.etsi.org/ngsi-ld/default-context/a': 2 },
    'the same attribute as "a"',
  ],
  [
    'a Relationship without object',
    withAttr('r', { type: 'Relationship' }),
    'r: has no value (expected "object" in a Relationship)',
  ],
  [
    'a Relationship whose object is not a URI',
    withAttr('r', { type: 'Relationship', object: 'not a uri' }),
    'r.object: a Relationship object must be a URI',
  ],
  [
    'a Relationship with an empty object array',
    withAttr('r', { type: 'Relationship', object: [] }),
    'r.object: a Relationship object must be a URI',
  ],
  [
    'a Relationship with a value',
    withAttr('r', { type: 'Relationship', value: 'x', object: 'urn:a:b' }),
    'r.value: "value" is not allowed in a Relationship',
  ],
  [
    'a Property with an object',
    withAttr('p', { type: 'Property', value: 1, object: 'urn:a:b' }),
    'p.object: "object" is not allowed in a Property',
  ],
  [
    'two value members in a concise attribute',
    withAttr('p', { value: 1, object: 'urn:a:b' }),
    'p: has more than one value member (value, object)',
  ],
  [
    'a Property without value',
    withAttr('p', { type: 'Property', unitCode: 'CEL' }),
    'p: has no value (expected "value" in a Property)',
  ],
  [
    'a concise attribute without value',
    withAttr('p', { observedAt: '2024-01-01T00:00:00Z' }),
    'p: has no value (expected one of "value"',
  ],
  ['an unknown attribute type', withAttr('p', { type: 'Foo', value: 1 }), 'p: unknown attribute type "Foo"'],
  [
    'a smart-data-models "string" type',
    withAttr('p', { type: 'string', value: 'x' }),
    'p: unknown attribute type "string"',
  ],
  [
    'a non-string attribute type',
    withAttr('p', { type: ['Property'], value: 1 }),
    'p: unknown attribute type ["Property"]',
  ],
  [
    'a GeoProperty with an unknown geometry',
    withAttr('g', { type: 'GeoProperty', value: { type: 'Circle', coordinates: [1, 2] } }),
    'g.value: unknown GeoJSON geometry type "Circle"',
  ],
  [
    'a GeoProperty that is not a geometry',
    withAttr('g', { type: 'GeoProperty', value: 'Lucca' }),
    'g.value: a GeoProperty value must be a GeoJSON geometry',
  ],
  [
    'a Point with nested coordinates',
    withAttr('location', { type: 'Point', coordinates: [[1, 2]] }),
    'location.coordinates: a position must contain only numbers',
  ],
  [
    'a Point with a string coordinate',
    withAttr('location', { type: 'Point', coordinates: [1, '2'] }),
    'a position must contain only numbers',
  ],
  [
    'a Point with one coordinate',
    withAttr('location', { type: 'Point', coordinates: [1] }),
    'a position must have 2 or 3 numbers, not 1',
  ],
  [
    'a latitude out of range',
    withAttr('location', { type: 'Point', coordinates: [10, 91] }),
    'latitude 91 is out of range',
  ],
  [
    'a LineString with one position',
    withAttr('location', { type: 'LineString', coordinates: [[1, 2]] }),
    'a LineString must have at least 2 elements',
  ],
  [
    'an unclosed polygon ring',
    withAttr('location', ring([0, 0], [1, 0], [1, 1], [0, 1])),
    'location.coordinates[0]: a linear ring must be closed',
  ],
  [
    'a ring of three positions',
    withAttr('location', ring([0, 0], [1, 0], [0, 0])),
    'a linear ring must have at least 4 elements',
  ],
  [
    'a GeometryCollection',
    withAttr('location', { type: 'GeometryCollection', geometries: [] }),
    'GeometryCollection is not supported',
  ],
  [
    'location as a Relationship',
    withAttr('location', { type: 'Relationship', object: 'urn:x:1' }),
    'location: must be a GeoProperty, not a Relationship',
  ],
  [
    'a languageMap that is a string',
    withAttr('l', { type: 'LanguageProperty', languageMap: 'ciao' }),
    'l.languageMap: a languageMap must be an object',
  ],
  [
    'a languageMap with a number',
    withAttr('l', { languageMap: { it: 5 } }),
    'l.languageMap.it: a languageMap entry must be a string',
  ],
  [
    'a languageMap with a bad tag',
    withAttr('l', { languageMap: { 'it IT': 'x' } }),
    '"it IT" is not a valid language tag',
  ],
  ['an empty languageMap', withAttr('l', { languageMap: {} }), 'a languageMap must not be empty'],
  [
    'duplicate datasetIds',
    withAttr('s', [
      { value: 1, datasetId: 'urn:d:1' },
      { value: 2, datasetId: 'urn:d:1' },
    ]),
    's: duplicate datasetId "urn:d:1"',
  ],
  [
    'two default instances',
    withAttr('s', [{ value: 1 }, { value: 2, datasetId: '@none' }]),
    's: more than one default instance',
  ],
  [
    'a datasetId that is not a URI',
    withAttr('s', { value: 1, datasetId: 'gps' }),
    's.datasetId: datasetId must be a URI',
  ],
  [
    'a datasetId on a sub-attribute',
    withAttr('s', { value: 1, q: { value: 1, datasetId: 'urn:d:1' } }),
    's.q.datasetId: datasetId is only allowed on attributes',
  ],
  [
    'a datasetId that is the NGSI-LD Null',
    withAttr('s', { value: 1, datasetId: 'urn:ngsi-ld:null' }),
    's.datasetId: a datasetId cannot be "urn:ngsi-ld:null"',
  ],
  ['a null attribute', withAttr('p', null), 'p: null is not a valid attribute'],
  ['a null value', withAttr('p', { type: 'Property', value: null }), 'p.value: null is not a valid value'],
  ['a null inside a value', withAttr('p', { value: { a: [1, null] } }), 'p.value: null is not a valid value (at a[1])'],
  ['a null sub-attribute', withAttr('p', { value: 1, q: null }), 'p.q: null is not a valid value'],
  ['a null json', withAttr('p', { json: null }), 'p.json: null is not a valid value'],
  ['an attribute that is an empty array', withAttr('p', []), 'p: an attribute cannot be an empty array'],
  ['a value nesting deeper than 64 levels', withAttr('p', { value: deep(70) }), 'p: nests deeper than 64 levels'],
  [
    'an invalid month in observedAt',
    withAttr('p', { value: 1, observedAt: '2024-13-01T00:00:00Z' }),
    'p.observedAt: observedAt must be an ISO 8601 date-time',
  ],
  [
    'February 30th in observedAt',
    withAttr('p', { value: 1, observedAt: '2024-02-30T00:00:00Z' }),
    'observedAt must be an ISO 8601',
  ],
  [
    'observedAt without a time zone',
    withAttr('p', { value: 1, observedAt: '2024-02-01T00:00:00' }),
    'observedAt must be an ISO 8601',
  ],
  ['observedAt that is a word', withAttr('p', { value: 1, observedAt: 'yesterday' }), 'observedAt must be an ISO 8601'],
  [
    'a unitCode on a Relationship',
    withAttr('r', { object: 'urn:a:b', unitCode: 'MTR' }),
    'r.unitCode: a Relationship cannot have a unitCode',
  ],
  [
    'a unitCode that is a number',
    withAttr('p', { value: 1, unitCode: 5 }),
    'p.unitCode: unitCode must be a non-empty string',
  ],
  [
    'an objectType on a Property',
    withAttr('p', { value: 1, objectType: 'Person' }),
    'p.objectType: objectType is only allowed on relationships',
  ],
  ['a valueList that is not an array', withAttr('p', { valueList: 'a' }), 'p.valueList: a valueList must be an array'],
  [
    'an objectList of non-URIs',
    withAttr('p', { objectList: ['a b'] }),
    'p.objectList[0]: an objectList entry must be a URI',
  ],
  [
    'a vocab that is a number',
    withAttr('p', { vocab: 5 }),
    'p.vocab: a vocab must be a string or a non-empty array of strings',
  ],
  [
    'an NGSI-LD Null attribute at creation',
    withAttr('p', 'urn:ngsi-ld:null'),
    'p: "urn:ngsi-ld:null" is not allowed here',
  ],
  [
    'an NGSI-LD Null object at creation',
    withAttr('r', { object: 'urn:ngsi-ld:null' }),
    'r.object: "urn:ngsi-ld:null" is not allowed here',
  ],
  [
    'an NGSI-LD Null inside a value at creation',
    withAttr('p', { value: { a: 'urn:ngsi-ld:null' } }),
    '"urn:ngsi-ld:null" is not allowed inside a value',
  ],
  [
    'sub-attribute instances',
    withAttr('p', { value: 1, q: [{ value: 1 }, { value: 2, datasetId: 'urn:d:1' }] }),
    'p.q: a sub-attribute cannot have multiple instances',
  ],
  ['a sub-attribute named id', withAttr('p', { value: 1, id: 'urn:a:b' }), 'p.id: "id" is a reserved name'],
  ['an invalid sub-attribute name', withAttr('p', { value: 1, 'a;b': 1 }), 'p.a;b: "a;b" is not a valid name'],
]

describe('parseEntity validation errors (BadRequestData naming the attribute path)', () => {
  it.each(cases)('rejects %s', (_what, body, message) => {
    expect(errorOf(body).message).toContain(message)
  })

  it('names the path of a deeply nested sub-attribute', () => {
    const body = withAttr('temperature', {
      value: 21,
      accuracy: { value: 0.5, method: { value: 'x', calibratedBy: { type: 'Relationship', object: 'nope' } } },
    })
    expect(errorOf(body).message).toBe(
      'temperature.accuracy.method.calibratedBy.object: a Relationship object must be a URI or a non-empty array of URIs',
    )
    expect(errorOf(body).details).toEqual({ path: 'temperature.accuracy.method.calibratedBy.object' })
  })

  it('names the instance of a multi-attribute', () => {
    const body = withAttr('speed', [{ value: 1 }, { value: 2, datasetId: 'urn:d:1', observedAt: 'x' }])
    expect(errorOf(body).message).toContain('speed[1].observedAt: observedAt must be an ISO 8601 date-time')
  })
})

describe('leniencies kept for FIWARE Smart Data Models', () => {
  it('accepts an attribute named value (Device model) and keeps it apart from the Property value', () => {
    const e = parseEntity(withAttr('value', { type: 'Property', value: 7 }), ctx, { now: '2024-01-01T00:00:00.000Z' })
    const [iri, instances] = Object.entries(e.attrs).find(([, v]) => v[0]?.value === 7)!
    expect(iri).toMatch(/value|hasValue/)
    expect(instances).toHaveLength(1)
  })

  it('keeps a location explicitly typed as Property (DeviceMeasurement) as a Property', () => {
    const e = parseEntity(
      withAttr('location', { type: 'Property', value: { type: 'Point', coordinates: [1, 2] } }),
      ctx,
      {
        now: '2024-01-01T00:00:00.000Z',
      },
    )
    expect(Object.values(e.attrs)[0]![0]!.type).toBe('Property')
  })
})
