import { describe, expect, it } from 'vitest'
import { attrValue, entitiesUrl, ngsiHeaders, parseAttrInput, rectangle } from './ngsi'

describe('NGSI-LD helpers', () => {
  it('builds the query with count, q and a drawn rectangle', () => {
    const poly = rectangle([10.5, 43.85], [10.49, 43.84])
    expect(poly).toEqual([
      [10.49, 43.84],
      [10.5, 43.84],
      [10.5, 43.85],
      [10.49, 43.85],
      [10.49, 43.84],
    ])
    const url = new URL(
      entitiesUrl({ type: 'AirQualityObserved', q: 'no2>40', polygon: poly, limit: 20, offset: 40 }),
      'http://x',
    )
    expect(url.searchParams.get('georel')).toBe('within')
    expect(url.searchParams.get('geometry')).toBe('Polygon')
    expect(JSON.parse(url.searchParams.get('coordinates')!)).toEqual([poly])
    expect(url.searchParams.get('count')).toBe('true')
    expect(url.searchParams.get('offset')).toBe('40')
    expect(url.searchParams.get('q')).toBe('no2>40')
  })
  it('sends the tenant and the Smart Data Models context of the type', () => {
    const h = ngsiHeaders('046017', 'WeatherObserved')
    expect(h['NGSILD-Tenant']).toBe('046017')
    expect(h.Link).toContain('dataModel.Weather/master/context.jsonld')
  })
  it('validates edited values by the kind of the current one', () => {
    expect(parseAttrInput(12, '13,5')).toEqual({ ok: true, value: 13.5 })
    expect(parseAttrInput(12, 'abc')).toEqual({ ok: false, kind: 'number' })
    expect(parseAttrInput(12, '')).toEqual({ ok: false, kind: 'number' })
    expect(parseAttrInput({ a: 1 }, '{"a":2}')).toEqual({ ok: true, value: { a: 2 } })
    expect(parseAttrInput({ a: 1 }, '{a')).toEqual({ ok: false, kind: 'json' })
    expect(parseAttrInput('x', 'y')).toEqual({ ok: true, value: 'y' })
    expect(parseAttrInput(true, 'no')).toEqual({ ok: true, value: false })
  })
  it('reads attribute values', () => {
    expect(attrValue({ type: 'Property', value: 3 })).toBe(3)
    expect(attrValue({ type: 'Relationship', object: 'urn:x' })).toBe('urn:x')
    expect(attrValue([{ type: 'Property', value: 1 }])).toBe(1)
  })
})
