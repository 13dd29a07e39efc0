import { describe, expect, it } from 'vitest'
import type { StoredEntity } from '../model.js'
import { DEFAULT_VOCAB as V, fakeContext } from './fake-context.js'
import { formatEntity } from './format-entity.js'

const C = '2024-01-01T00:00:00.000Z'
const M = '2024-02-01T00:00:00.000Z'
const T = { createdAt: C, modifiedAt: M }
const LOCATION = 'https://uri.etsi.org/ngsi-ld/location'
const point = { type: 'Point', coordinates: [10.5, 43.84] }
const ctx = fakeContext({ Building: 'https://example.org/Building', name: 'https://schema.org/name' })

const entity: StoredEntity = {
  id: 'urn:ngsi-ld:Building:1',
  types: ['https://example.org/Building'],
  scopes: ['/Italy/Lucca'],
  attrs: {
    'https://schema.org/name': [{ type: 'Property', value: 'Palazzo', ...T }],
    [`${V}temperature`]: [
      {
        type: 'Property',
        value: 21.5,
        unitCode: 'CEL',
        observedAt: '2024-01-31T08:00:00.000Z',
        [`${V}accuracy`]: { type: 'Property', value: 0.5, ...T },
        ...T,
      },
    ],
    [`${V}owner`]: [{ type: 'Relationship', object: 'urn:ngsi-ld:Person:1', objectType: `${V}Person`, ...T }],
    [LOCATION]: [{ type: 'GeoProperty', value: point, ...T }],
    [`${V}street`]: [{ type: 'LanguageProperty', languageMap: { it: 'Via Roma', en: 'Rome Street' }, ...T }],
    [`${V}config`]: [{ type: 'JsonProperty', json: { id: 'x' }, ...T }],
    [`${V}floors`]: [{ type: 'ListProperty', valueList: [0, 1], ...T }],
    [`${V}route`]: [{ type: 'ListRelationship', objectList: ['urn:ngsi-ld:Stop:1', 'urn:ngsi-ld:Stop:2'], ...T }],
    [`${V}category`]: [{ type: 'VocabProperty', vocab: `${V}office`, ...T }],
    [`${V}speed`]: [
      { type: 'Property', value: 55, datasetId: 'urn:ngsi-ld:Dataset:gps', ...T },
      { type: 'Property', value: 54, ...T },
    ],
    [`${V}address`]: [{ type: 'Property', value: { streetAddress: 'Via Roma 1' }, ...T }],
  },
  ...T,
}

describe('formatEntity: normalized', () => {
  it('compacts names, types, objectType and vocab; objectList as {object} entries; arrays for multi-attributes', () => {
    expect(formatEntity(entity, ctx, { format: 'normalized' })).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      scope: '/Italy/Lucca',
      name: { type: 'Property', value: 'Palazzo' },
      temperature: {
        type: 'Property',
        value: 21.5,
        unitCode: 'CEL',
        observedAt: '2024-01-31T08:00:00.000Z',
        accuracy: { type: 'Property', value: 0.5 },
      },
      owner: { type: 'Relationship', object: 'urn:ngsi-ld:Person:1', objectType: 'Person' },
      location: { type: 'GeoProperty', value: point },
      street: { type: 'LanguageProperty', languageMap: { it: 'Via Roma', en: 'Rome Street' } },
      config: { type: 'JsonProperty', json: { id: 'x' } },
      floors: { type: 'ListProperty', valueList: [0, 1] },
      route: {
        type: 'ListRelationship',
        objectList: [{ object: 'urn:ngsi-ld:Stop:1' }, { object: 'urn:ngsi-ld:Stop:2' }],
      },
      category: { type: 'VocabProperty', vocab: 'office' },
      speed: [
        { type: 'Property', value: 55, datasetId: 'urn:ngsi-ld:Dataset:gps' },
        { type: 'Property', value: 54 },
      ],
      address: { type: 'Property', value: { streetAddress: 'Via Roma 1' } },
    })
  })

  it('adds createdAt/modifiedAt to the entity, attributes and sub-attributes with sysAttrs', () => {
    const out = formatEntity(entity, ctx, { format: 'normalized', sysAttrs: true, attrs: [`${V}temperature`] })
    expect(out).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      scope: '/Italy/Lucca',
      temperature: {
        type: 'Property',
        value: 21.5,
        unitCode: 'CEL',
        observedAt: '2024-01-31T08:00:00.000Z',
        createdAt: C,
        modifiedAt: M,
        accuracy: { type: 'Property', value: 0.5, createdAt: C, modifiedAt: M },
      },
      createdAt: C,
      modifiedAt: M,
    })
  })

  it('returns several types as an array and several scopes as an array', () => {
    const e: StoredEntity = {
      ...entity,
      types: ['https://example.org/Building', `${V}Museum`],
      scopes: ['/a', '/b'],
      attrs: {},
    }
    expect(formatEntity(e, ctx, { format: 'normalized' })).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: ['Building', 'Museum'],
      scope: ['/a', '/b'],
    })
  })
})

describe('formatEntity: keyValues (simplified, clause 4.5.4)', () => {
  it('gives values, objects, languageMap/json/vocab wrappers and a dataset map for multi-attributes', () => {
    expect(formatEntity(entity, ctx, { format: 'keyValues' })).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      scope: '/Italy/Lucca',
      name: 'Palazzo',
      temperature: 21.5,
      owner: 'urn:ngsi-ld:Person:1',
      location: point,
      street: { languageMap: { it: 'Via Roma', en: 'Rome Street' } },
      config: { json: { id: 'x' } },
      floors: [0, 1],
      route: ['urn:ngsi-ld:Stop:1', 'urn:ngsi-ld:Stop:2'],
      category: { vocab: 'office' },
      speed: { dataset: { 'urn:ngsi-ld:Dataset:gps': 55, '@none': 54 } },
      address: { streetAddress: 'Via Roma 1' },
    })
  })

  it('adds only the entity timestamps with sysAttrs', () => {
    const out = formatEntity(entity, ctx, { format: 'keyValues', sysAttrs: true, attrs: ['https://schema.org/name'] })
    expect(out).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      scope: '/Italy/Lucca',
      name: 'Palazzo',
      createdAt: C,
      modifiedAt: M,
    })
  })
})

describe('formatEntity: concise (clause 4.5.2.3 and following)', () => {
  it('drops inferable types and gives bare values where lossless', () => {
    expect(formatEntity(entity, ctx, { format: 'concise' })).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      scope: '/Italy/Lucca',
      name: 'Palazzo',
      temperature: { value: 21.5, unitCode: 'CEL', observedAt: '2024-01-31T08:00:00.000Z', accuracy: 0.5 },
      owner: { object: 'urn:ngsi-ld:Person:1', objectType: 'Person' },
      location: point,
      street: { languageMap: { it: 'Via Roma', en: 'Rome Street' } },
      config: { json: { id: 'x' } },
      floors: { valueList: [0, 1] },
      route: { objectList: [{ object: 'urn:ngsi-ld:Stop:1' }, { object: 'urn:ngsi-ld:Stop:2' }] },
      category: { vocab: 'office' },
      speed: [{ value: 55, datasetId: 'urn:ngsi-ld:Dataset:gps' }, { value: 54 }],
      address: { streetAddress: 'Via Roma 1' },
    })
  })

  it('keeps "value" (and "type" for geometries) where a bare value would be read back differently', () => {
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
    const e: StoredEntity = {
      ...entity,
      attrs: {
        [`${V}containedInPlace`]: [{ type: 'Property', value: polygon }],
        [`${V}postal`]: [{ type: 'Property', value: { type: 'PostalAddress', streetAddress: 'x' } }],
        [`${V}empty`]: [{ type: 'Property', value: [] }],
        [`${V}looksMulti`]: [{ type: 'Property', value: [{ value: 1 }] }],
        [`${V}list`]: [{ type: 'Property', value: [1, 2] }],
        [LOCATION]: [{ type: 'GeoProperty', value: point, observedAt: C }],
      },
    }
    const out = formatEntity(e, ctx, { format: 'concise', attrs: Object.keys(e.attrs) })
    expect(out).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      scope: '/Italy/Lucca',
      containedInPlace: { type: 'Property', value: polygon },
      postal: { value: { type: 'PostalAddress', streetAddress: 'x' } },
      empty: { value: [] },
      looksMulti: { value: [{ value: 1 }] },
      list: [1, 2],
      location: { value: point, observedAt: C },
    })
  })

  it('keeps objects for Properties with sysAttrs', () => {
    const out = formatEntity(entity, ctx, { format: 'concise', sysAttrs: true, attrs: ['https://schema.org/name'] })
    expect(out.name).toEqual({ value: 'Palazzo', createdAt: C, modifiedAt: M })
  })
})

describe('formatEntity: projection and datasetId selection', () => {
  const kv = (opts: object) => formatEntity(entity, ctx, { format: 'keyValues', ...opts })

  it('pick keeps only the named members, id and type included', () => {
    expect(kv({ pick: ['id', 'name'] })).toEqual({ id: 'urn:ngsi-ld:Building:1', name: 'Palazzo' })
    expect(kv({ pick: ['name', 'owner'] })).toEqual({ name: 'Palazzo', owner: 'urn:ngsi-ld:Person:1' })
    expect(kv({ pick: ['type', 'scope'] })).toEqual({ type: 'Building', scope: '/Italy/Lucca' })
  })

  it('omit removes the named members, id and type included', () => {
    const out = kv({ omit: ['id', 'type', 'scope', 'temperature', 'street', 'config', 'floors', 'route', 'category'] })
    expect(out).toEqual({
      name: 'Palazzo',
      owner: 'urn:ngsi-ld:Person:1',
      location: point,
      speed: { dataset: { 'urn:ngsi-ld:Dataset:gps': 55, '@none': 54 } },
      address: { streetAddress: 'Via Roma 1' },
    })
  })

  it('attrs (expanded) restricts attributes but keeps id, type and scope', () => {
    expect(kv({ attrs: [`${V}owner`, `${V}missing`] })).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      scope: '/Italy/Lucca',
      owner: 'urn:ngsi-ld:Person:1',
    })
  })

  it('datasetId keeps matching instances only ("@none" = default) and drops attributes without one', () => {
    expect(formatEntity(entity, ctx, { format: 'normalized', datasetId: ['urn:ngsi-ld:Dataset:gps'] })).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      scope: '/Italy/Lucca',
      speed: { type: 'Property', value: 55, datasetId: 'urn:ngsi-ld:Dataset:gps' },
    })
    expect(kv({ datasetId: ['@none'], attrs: [`${V}speed`] })).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      scope: '/Italy/Lucca',
      speed: 54,
    })
  })
})
