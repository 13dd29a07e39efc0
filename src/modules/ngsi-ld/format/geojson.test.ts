import { describe, expect, it } from 'vitest'
import { isValidGeometry, looksLikeGeometry, validateGeometry } from './geojson.js'

const square = [
  [10, 43],
  [10.1, 43],
  [10.1, 43.1],
  [10, 43.1],
  [10, 43],
]

describe('validateGeometry', () => {
  it.each([
    ['Point', { type: 'Point', coordinates: [10.5, 43.84] }],
    ['Point with altitude', { type: 'Point', coordinates: [10.5, 43.84, 12] }],
    [
      'MultiPoint',
      {
        type: 'MultiPoint',
        coordinates: [
          [10, 43],
          [11, 44],
        ],
      },
    ],
    [
      'LineString',
      {
        type: 'LineString',
        coordinates: [
          [10, 43],
          [11, 44],
        ],
      },
    ],
    [
      'MultiLineString',
      {
        type: 'MultiLineString',
        coordinates: [
          [
            [10, 43],
            [11, 44],
          ],
          [
            [12, 45],
            [13, 46],
          ],
        ],
      },
    ],
    ['Polygon', { type: 'Polygon', coordinates: [square] }],
    [
      'Polygon with a hole',
      {
        type: 'Polygon',
        coordinates: [
          square,
          [
            [10.02, 43.02],
            [10.05, 43.02],
            [10.05, 43.05],
            [10.02, 43.02],
          ],
        ],
      },
    ],
    ['MultiPolygon', { type: 'MultiPolygon', coordinates: [[square], [square]] }],
    ['a bbox', { type: 'Point', coordinates: [1, 2], bbox: [1, 2, 1, 2] }],
    ['extreme coordinates', { type: 'Point', coordinates: [-180, -90] }],
  ])('accepts a %s', (_what, g) => {
    expect(validateGeometry(g, 'g')).toEqual(g)
    expect(isValidGeometry(g)).toBe(true)
  })

  it('parses a geometry given as a JSON string (clause 4.7.2)', () => {
    expect(validateGeometry('{"type":"Point","coordinates":[1,2]}', 'g')).toEqual({
      type: 'Point',
      coordinates: [1, 2],
    })
  })

  it.each([
    ['not an object', 5, 'g: a GeoProperty value must be a GeoJSON geometry object'],
    ['an unparsable string', '{"type":', 'g: a GeoProperty value must be a GeoJSON geometry (or a string holding one)'],
    ['no coordinates', { type: 'Point' }, 'g: a Point must have coordinates'],
    ['a Feature', { type: 'Feature', geometry: null }, 'g: unknown GeoJSON geometry type "Feature"'],
    ['a GeometryCollection', { type: 'GeometryCollection', geometries: [] }, 'g: GeometryCollection is not supported'],
    [
      'a Point with 4 numbers',
      { type: 'Point', coordinates: [1, 2, 3, 4] },
      'g.coordinates: a position must have 2 or 3',
    ],
    [
      'a NaN-like coordinate',
      { type: 'Point', coordinates: [1, null] },
      'g.coordinates: a position must contain only numbers',
    ],
    [
      'a longitude out of range',
      { type: 'Point', coordinates: [181, 0] },
      'g.coordinates: longitude 181 is out of range',
    ],
    [
      'an empty MultiPoint',
      { type: 'MultiPoint', coordinates: [] },
      'g.coordinates: a MultiPoint must have at least 1',
    ],
    [
      'a MultiLineString of positions',
      {
        type: 'MultiLineString',
        coordinates: [
          [1, 2],
          [3, 4],
        ],
      },
      'g.coordinates[0][0]: a position must be an array of numbers',
    ],
    [
      'a Polygon given as a ring',
      { type: 'Polygon', coordinates: square },
      'g.coordinates[0]: a linear ring must have at least 4 elements',
    ],
    [
      'an unclosed ring in a MultiPolygon',
      { type: 'MultiPolygon', coordinates: [[square], [square.slice(0, 4)]] },
      'g.coordinates[1][0]: a linear ring must be closed',
    ],
    [
      'a bad bbox',
      { type: 'Point', coordinates: [1, 2], bbox: [1, 2] },
      'g.bbox: bbox must be an array of 4 or 6 numbers',
    ],
  ])('rejects %s', (_what, g, message) => {
    expect(() => validateGeometry(g, 'g')).toThrow(message)
    expect(isValidGeometry(g)).toBe(false)
  })

  it('recognizes geometry-like objects for concise inference', () => {
    expect(looksLikeGeometry({ type: 'Point', coordinates: [] })).toBe(true)
    expect(looksLikeGeometry({ type: 'GeometryCollection' })).toBe(true)
    expect(looksLikeGeometry({ type: 'PostalAddress' })).toBe(false)
    expect(looksLikeGeometry([1, 2])).toBe(false)
  })
})
