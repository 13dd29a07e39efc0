import { describe, expect, it } from 'vitest'
import type { AttrInstance } from '../model.js'
import { type AttrChange, movesGeometry } from './change-set.js'

const T = { createdAt: '2026-01-01T00:00:00Z', modifiedAt: '2026-01-01T00:00:00Z' }
const point = (x: number): AttrInstance => ({
  type: 'GeoProperty',
  value: { type: 'Point', coordinates: [x, 43] },
  ...T,
})
const num = (v: number): AttrInstance => ({ type: 'Property', value: v, ...T })
const ch = (previous?: AttrInstance, current?: AttrInstance, extra: Partial<AttrChange> = {}): AttrChange => ({
  attr: 'location',
  kind: previous && current ? 'updated' : current ? 'created' : 'deleted',
  ...(previous ? { previous } : {}),
  ...(current ? { current } : {}),
  ...extra,
})

describe('movesGeometry', () => {
  it('is true when a geometry appears, disappears or moves', () => {
    expect(movesGeometry([ch(undefined, point(10))])).toBe(true)
    expect(movesGeometry([ch(point(10), undefined)])).toBe(true)
    expect(movesGeometry([ch(point(10), point(11))])).toBe(true)
    expect(movesGeometry([ch(num(1), point(10))])).toBe(true)
  })

  it('is false for the same geometry written again, other attributes and late observations', () => {
    expect(movesGeometry([ch(point(10), { ...point(10), modifiedAt: '2026-02-01T00:00:00Z' })])).toBe(false)
    expect(movesGeometry([ch(num(1), num(2), { attr: 'NO2' })])).toBe(false)
    expect(movesGeometry([ch(point(10), point(11), { late: true })])).toBe(false)
    expect(movesGeometry([])).toBe(false)
  })
})
