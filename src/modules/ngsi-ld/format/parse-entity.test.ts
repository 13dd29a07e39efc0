import { describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB as V, fakeContext } from './fake-context.js'
import { parseEntity } from './parse-entity.js'

const NOW = '2024-05-01T10:00:00.000Z'
const TS = { createdAt: NOW, modifiedAt: NOW }
const LOCATION = 'https://uri.etsi.org/ngsi-ld/location'
const ctx = fakeContext(
  { Building: 'https://example.org/Building', name: 'https://schema.org/name' },
  { schema: 'https://schema.org/' },
)
const parse = (body: unknown) => parseEntity(body, ctx, { now: NOW })

describe('parseEntity: normalized representation', () => {
  it('parses every attribute kind, expands names, types, objectType and vocab', () => {
    const entity = parse({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      '@context': 'https://example.org/ctx.jsonld',
      scope: '/Italy/Lucca',
      name: { type: 'Property', value: 'Palazzo Pretorio' },
      temperature: { type: 'Property', value: 21.5, unitCode: 'CEL', observedAt: '2024-04-30T08:00:00Z' },
      owner: { type: 'Relationship', object: 'urn:ngsi-ld:Person:1', objectType: 'Person' },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [10.5, 43.84] } },
      street: { type: 'LanguageProperty', languageMap: { it: 'Via Roma', en: ['Rome Street', 'Roma St.'] } },
      config: { type: 'JsonProperty', json: { id: 'x', value: 1, note: null } },
      floors: { type: 'ListProperty', valueList: [0, 1, 2] },
      route: { type: 'ListRelationship', objectList: [{ object: 'urn:ngsi-ld:Stop:1' }, 'urn:ngsi-ld:Stop:2'] },
      category: { type: 'VocabProperty', vocab: 'office' },
      createdAt: '2000-01-01T00:00:00Z',
      modifiedAt: '2000-01-01T00:00:00Z',
    })
    expect(entity).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      types: ['https://example.org/Building'],
      scopes: ['/Italy/Lucca'],
      attrs: {
        'https://schema.org/name': [{ type: 'Property', value: 'Palazzo Pretorio', ...TS }],
        [`${V}temperature`]: [
          { type: 'Property', value: 21.5, unitCode: 'CEL', observedAt: '2024-04-30T08:00:00.000Z', ...TS },
        ],
        [`${V}owner`]: [{ type: 'Relationship', object: 'urn:ngsi-ld:Person:1', objectType: `${V}Person`, ...TS }],
        [LOCATION]: [{ type: 'GeoProperty', value: { type: 'Point', coordinates: [10.5, 43.84] }, ...TS }],
        [`${V}street`]: [
          { type: 'LanguageProperty', languageMap: { it: 'Via Roma', en: ['Rome Street', 'Roma St.'] }, ...TS },
        ],
        [`${V}config`]: [{ type: 'JsonProperty', json: { id: 'x', value: 1, note: null }, ...TS }],
        [`${V}floors`]: [{ type: 'ListProperty', valueList: [0, 1, 2], ...TS }],
        [`${V}route`]: [{ type: 'ListRelationship', objectList: ['urn:ngsi-ld:Stop:1', 'urn:ngsi-ld:Stop:2'], ...TS }],
        [`${V}category`]: [{ type: 'VocabProperty', vocab: `${V}office`, ...TS }],
      },
      ...TS,
    })
  })

  it('accepts @id/@type, several types, several scopes, and a geometry encoded as a string', () => {
    const entity = parse({
      '@id': 'urn:ngsi-ld:Building:2',
      '@type': ['Building', 'schema:Place', 'Building'],
      scope: ['/Italy/Lucca', '/Italy/Pisa'],
      location: { type: 'GeoProperty', value: '{"type":"Point","coordinates":[10.4,43.7]}' },
    })
    expect(entity.types).toEqual(['https://example.org/Building', 'https://schema.org/Place'])
    expect(entity.scopes).toEqual(['/Italy/Lucca', '/Italy/Pisa'])
    expect(entity.attrs[LOCATION]).toEqual([
      { type: 'GeoProperty', value: { type: 'Point', coordinates: [10.4, 43.7] }, ...TS },
    ])
  })

  it('normalizes observedAt to toISOString() (offsets, comma fractions)', () => {
    const entity = parse({
      id: 'urn:ngsi-ld:T:1',
      type: 'T',
      a: { type: 'Property', value: 1, observedAt: '2024-04-30T10:00:00+02:00' },
      b: { type: 'Property', value: 2, observedAt: '2024-04-30T08:00:00,5Z' },
    })
    expect(entity.attrs[`${V}a`]?.[0]?.observedAt).toBe('2024-04-30T08:00:00.000Z')
    expect(entity.attrs[`${V}b`]?.[0]?.observedAt).toBe('2024-04-30T08:00:00.500Z')
  })

  it('makes type optional with requireType: false and ignores system members everywhere', () => {
    const entity = parseEntity(
      {
        id: 'urn:ngsi-ld:T:1',
        deletedAt: 'x',
        a: { type: 'Property', value: 1, createdAt: 'x', modifiedAt: 'y', instanceId: 'urn:i:1', lang: 'it' },
      },
      ctx,
      { now: NOW, requireType: false },
    )
    expect(entity).toEqual({
      id: 'urn:ngsi-ld:T:1',
      types: [],
      attrs: { [`${V}a`]: [{ type: 'Property', value: 1, ...TS }] },
      ...TS,
    })
  })
})

describe('parseEntity: concise representation (clause 4.5.3 type inference)', () => {
  it('infers every attribute type', () => {
    const entity = parse({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      temperature: 21.5,
      humidity: { value: 40, unitCode: 'P1' },
      owner: { object: ['urn:ngsi-ld:Person:1', 'urn:ngsi-ld:Person:2'] },
      location: { type: 'Point', coordinates: [10.5, 43.84] },
      observationSpace: {
        value: {
          type: 'LineString',
          coordinates: [
            [10, 43],
            [10.1, 43.1],
          ],
        },
        observedAt: '2024-01-01T00:00:00Z',
      },
      street: { languageMap: { it: 'Via Roma' } },
      config: { json: [{ a: 1 }] },
      floors: { valueList: ['ground', 'first'] },
      route: { objectList: ['urn:ngsi-ld:Stop:1'] },
      category: { vocab: ['office', 'retail'] },
      address: { streetAddress: 'Via Roma 1', addressLocality: 'Lucca' },
      tags: ['a', 'b'],
      openingHours: [{ dayOfWeek: 'Monday', opens: '09:00' }],
      dateBuilt: { '@type': 'DateTime', '@value': '1300-01-01T00:00:00Z' },
      open: false,
    })
    expect(entity.attrs).toEqual({
      [`${V}temperature`]: [{ type: 'Property', value: 21.5, ...TS }],
      [`${V}humidity`]: [{ type: 'Property', value: 40, unitCode: 'P1', ...TS }],
      [`${V}owner`]: [{ type: 'Relationship', object: ['urn:ngsi-ld:Person:1', 'urn:ngsi-ld:Person:2'], ...TS }],
      [LOCATION]: [{ type: 'GeoProperty', value: { type: 'Point', coordinates: [10.5, 43.84] }, ...TS }],
      'https://uri.etsi.org/ngsi-ld/observationSpace': [
        {
          type: 'GeoProperty',
          value: {
            type: 'LineString',
            coordinates: [
              [10, 43],
              [10.1, 43.1],
            ],
          },
          observedAt: '2024-01-01T00:00:00.000Z',
          ...TS,
        },
      ],
      [`${V}street`]: [{ type: 'LanguageProperty', languageMap: { it: 'Via Roma' }, ...TS }],
      [`${V}config`]: [{ type: 'JsonProperty', json: [{ a: 1 }], ...TS }],
      [`${V}floors`]: [{ type: 'ListProperty', valueList: ['ground', 'first'], ...TS }],
      [`${V}route`]: [{ type: 'ListRelationship', objectList: ['urn:ngsi-ld:Stop:1'], ...TS }],
      [`${V}category`]: [{ type: 'VocabProperty', vocab: [`${V}office`, `${V}retail`], ...TS }],
      [`${V}address`]: [{ type: 'Property', value: { streetAddress: 'Via Roma 1', addressLocality: 'Lucca' }, ...TS }],
      [`${V}tags`]: [{ type: 'Property', value: ['a', 'b'], ...TS }],
      [`${V}openingHours`]: [{ type: 'Property', value: [{ dayOfWeek: 'Monday', opens: '09:00' }], ...TS }],
      [`${V}dateBuilt`]: [
        { type: 'Property', value: { '@type': 'DateTime', '@value': '1300-01-01T00:00:00Z' }, ...TS },
      ],
      [`${V}open`]: [{ type: 'Property', value: false, ...TS }],
    })
  })

  it('keeps an explicit Property whose value is a geometry a Property', () => {
    const polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    }
    const entity = parse({ id: 'urn:ngsi-ld:T:1', type: 'T', containedInPlace: { type: 'Property', value: polygon } })
    expect(entity.attrs[`${V}containedInPlace`]).toEqual([{ type: 'Property', value: polygon, ...TS }])
  })

  it('takes a bare value of location as a GeoProperty (a string holding a geometry too)', () => {
    const entity = parse({ id: 'urn:ngsi-ld:T:1', type: 'T', location: '{"type":"Point","coordinates":[1,2]}' })
    expect(entity.attrs[LOCATION]).toEqual([
      { type: 'GeoProperty', value: { type: 'Point', coordinates: [1, 2] }, ...TS },
    ])
  })
})

describe('parseEntity: sub-attributes and multi-attributes', () => {
  it('parses sub-attributes at depth 3, normalized and concise, with expanded names and timestamps', () => {
    const entity = parse({
      id: 'urn:ngsi-ld:T:1',
      type: 'T',
      temperature: {
        type: 'Property',
        value: 21,
        accuracy: {
          type: 'Property',
          value: 0.5,
          method: {
            value: 'calibrated',
            calibratedBy: { type: 'Relationship', object: 'urn:ngsi-ld:Person:2', observedAt: '2024-01-01T00:00:00Z' },
          },
        },
        sensor: { object: 'urn:ngsi-ld:Device:1' },
        'schema:name': 'probe A',
      },
    })
    expect(entity.attrs[`${V}temperature`]).toEqual([
      {
        type: 'Property',
        value: 21,
        [`${V}accuracy`]: {
          type: 'Property',
          value: 0.5,
          [`${V}method`]: {
            type: 'Property',
            value: 'calibrated',
            [`${V}calibratedBy`]: {
              type: 'Relationship',
              object: 'urn:ngsi-ld:Person:2',
              observedAt: '2024-01-01T00:00:00.000Z',
              ...TS,
            },
            ...TS,
          },
          ...TS,
        },
        [`${V}sensor`]: { type: 'Relationship', object: 'urn:ngsi-ld:Device:1', ...TS },
        'https://schema.org/name': { type: 'Property', value: 'probe A', ...TS },
        ...TS,
      },
    ])
  })

  it('parses instances with distinct datasetIds ("@none" is the default instance)', () => {
    const entity = parse({
      id: 'urn:ngsi-ld:Car:1',
      type: 'Car',
      speed: [
        { type: 'Property', value: 55, datasetId: 'urn:ngsi-ld:Dataset:gps' },
        { type: 'Property', value: 54, datasetId: '@none' },
        { value: 56, datasetId: 'urn:ngsi-ld:Dataset:radar' },
      ],
    })
    expect(entity.attrs[`${V}speed`]).toEqual([
      { type: 'Property', value: 55, datasetId: 'urn:ngsi-ld:Dataset:gps', ...TS },
      { type: 'Property', value: 54, ...TS },
      { type: 'Property', value: 56, datasetId: 'urn:ngsi-ld:Dataset:radar', ...TS },
    ])
  })
})
