import { describe, expect, it } from 'vitest'
import type { StoredEntity } from '../model.js'
import { DEFAULT_VOCAB as V, fakeContext } from './fake-context.js'
import { formatFeature, formatFeatureCollection } from './format-feature.js'

const LOCATION = 'https://uri.etsi.org/ngsi-ld/location'
const OBSERVATION_SPACE = 'https://uri.etsi.org/ngsi-ld/observationSpace'
const ctx = fakeContext()
const here = { type: 'Point', coordinates: [13.3986, 52.5547] }
const there = { type: 'Point', coordinates: [11.1111, 11.1111] }

const building: StoredEntity = {
  id: 'urn:ngsi-ld:Building:1',
  types: [`${V}Building`],
  attrs: {
    [`${V}name`]: [{ type: 'Property', value: 'Eiffel Tower' }],
    [LOCATION]: [{ type: 'GeoProperty', value: here, [`${V}precision`]: { type: 'Property', value: 5 } }],
    [OBSERVATION_SPACE]: [
      { type: 'GeoProperty', value: there },
      { type: 'GeoProperty', value: here, datasetId: 'urn:ngsi-ld:Dataset:gps' },
    ],
  },
  createdAt: '2024-01-01T00:00:00.000Z',
  modifiedAt: '2024-01-01T00:00:00.000Z',
}

describe('formatFeature (clause 4.5.16)', () => {
  it('puts the chosen GeoProperty in geometry (without sub-attributes) and type and attributes in properties', () => {
    expect(formatFeature(building, ctx, { format: 'normalized', geoproperty: LOCATION })).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Feature',
      geometry: here,
      properties: {
        type: 'Building',
        name: { type: 'Property', value: 'Eiffel Tower' },
        location: { type: 'GeoProperty', value: here, precision: { type: 'Property', value: 5 } },
        observationSpace: [
          { type: 'GeoProperty', value: there },
          { type: 'GeoProperty', value: here, datasetId: 'urn:ngsi-ld:Dataset:gps' },
        ],
      },
    })
  })

  it('gives the simplified GeoJSON representation with keyValues (clause 4.5.17)', () => {
    expect(formatFeature(building, ctx, { format: 'keyValues', geoproperty: OBSERVATION_SPACE })).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Feature',
      geometry: there,
      properties: {
        type: 'Building',
        name: 'Eiffel Tower',
        location: here,
        observationSpace: { dataset: { '@none': there, 'urn:ngsi-ld:Dataset:gps': here } },
      },
    })
  })

  it('selects the instance with the requested datasetId', () => {
    const f = formatFeature(building, ctx, {
      format: 'keyValues',
      geoproperty: OBSERVATION_SPACE,
      datasetId: ['urn:ngsi-ld:Dataset:gps'],
    })
    expect(f.geometry).toEqual(here)
    expect(f.properties).toEqual({ type: 'Building', observationSpace: here })
  })

  it('has a null geometry when the GeoProperty is missing, not a GeoProperty, or has no default instance', () => {
    const e: StoredEntity = {
      ...building,
      attrs: {
        [`${V}area`]: [{ type: 'Property', value: here }],
        [OBSERVATION_SPACE]: [{ type: 'GeoProperty', value: here, datasetId: 'urn:ngsi-ld:Dataset:gps' }],
      },
    }
    expect(formatFeature(e, ctx, { format: 'keyValues', geoproperty: LOCATION }).geometry).toBeNull()
    expect(formatFeature(e, ctx, { format: 'keyValues', geoproperty: `${V}area` }).geometry).toBeNull()
    expect(formatFeature(e, ctx, { format: 'keyValues', geoproperty: OBSERVATION_SPACE }).geometry).toBeNull()
  })

  it('keeps the Feature id even when pick leaves out the entity id', () => {
    const f = formatFeature(building, ctx, { format: 'keyValues', geoproperty: LOCATION, pick: ['name'] })
    expect(f).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Feature',
      geometry: here,
      properties: { name: 'Eiffel Tower' },
    })
  })
})

describe('formatFeatureCollection (clause 4.5.16.3)', () => {
  it('wraps the features', () => {
    const other: StoredEntity = { ...building, id: 'urn:ngsi-ld:Building:2', attrs: {} }
    expect(
      formatFeatureCollection([building, other], ctx, { format: 'keyValues', geoproperty: LOCATION, attrs: [] }),
    ).toEqual({
      type: 'FeatureCollection',
      features: [
        { id: 'urn:ngsi-ld:Building:1', type: 'Feature', geometry: here, properties: { type: 'Building' } },
        { id: 'urn:ngsi-ld:Building:2', type: 'Feature', geometry: null, properties: { type: 'Building' } },
      ],
    })
  })
})
