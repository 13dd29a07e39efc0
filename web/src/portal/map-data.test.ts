import { describe, expect, it } from 'vitest'
import type { Category, PortalEntity } from '../types'
import { bbox, pointOf, toFeatures } from './map-data'
import { findTenant, tenantSlug } from './tenant'

const cat: Category = {
  id: 'air',
  label: { it: 'Aria', en: 'Air' },
  types: ['AirQualityObserved'],
  primary: { attr: 'no2', label: { it: 'NO2', en: 'NO2' }, scale: [[0, '#000000']] },
}

describe('map data', () => {
  it('turns entities into point features with the primary value', () => {
    const e: PortalEntity = {
      id: 'urn:a',
      type: 'AirQualityObserved',
      category: 'air',
      name: 'A',
      location: { type: 'Point', coordinates: [10.5, 43.8] },
      observedAt: null,
      values: { no2: { value: 30 } },
    }
    const none = { ...e, id: 'urn:b', location: null }
    expect(toFeatures([e, none], cat)).toEqual([
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [10.5, 43.8] },
        properties: { id: 'urn:a', name: 'A', v: 30 },
      },
    ])
  })
  it('finds a point of polygons and the bounding box', () => {
    expect(
      pointOf({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [2, 0],
            [2, 2],
            [0, 2],
          ],
        ],
      }),
    ).toEqual([1, 1])
    expect(
      bbox({
        type: 'Feature',
        geometry: {
          type: 'MultiPolygon',
          coordinates: [
            [
              [
                [1, 2],
                [3, 4],
              ],
            ],
          ],
        },
      }),
    ).toEqual([
      [1, 2],
      [3, 4],
    ])
    expect(bbox(null)).toBeNull()
  })
  it('resolves Comuni by slug or ISTAT code', () => {
    const list = [
      { id: '046017', name: 'Lucca' },
      { id: '015170', name: 'Pero' },
    ]
    expect(tenantSlug({ name: 'Forlì Cesena' })).toBe('forli-cesena')
    expect(findTenant(list, 'lucca')?.id).toBe('046017')
    expect(findTenant(list, '015170')?.name).toBe('Pero')
    expect(findTenant(list, 'milano')).toBeUndefined()
  })
})
