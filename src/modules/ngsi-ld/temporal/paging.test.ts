import { describe, expect, it } from 'vitest'
import { contentRange, cutSeries, fetchPlan, headerTime } from './paging.js'

const t = (h: number) => Date.UTC(2026, 0, 1, h)

describe('pagination of instances', () => {
  it('fetches one more than the limit, or exactly lastN when it is within the limit', () => {
    expect(fetchPlan({ timeproperty: 'observedAt' }, 10)).toEqual({ perSeries: 11, descending: false, limit: 10 })
    expect(fetchPlan({ timeproperty: 'observedAt', lastN: 3 }, 10)).toEqual({
      perSeries: 3,
      descending: true,
      limit: Number.POSITIVE_INFINITY,
    })
    expect(fetchPlan({ timeproperty: 'observedAt', lastN: 30 }, 10)).toEqual({
      perSeries: 11,
      descending: true,
      limit: 10,
    })
  })

  it('does not cut when every attribute is within the limit', () => {
    expect(cutSeries([[t(1), t(2)], [t(3)]], 2, false)).toBeUndefined()
  })

  it('cuts all attributes at the earliest first-not-returned time (ascending)', () => {
    // attribute A: 0..3 (limit 3 -> 3 is the first left out); attribute B: 0, 2, 4 (not cut)
    const cut = cutSeries(
      [
        [t(0), t(1), t(2), t(3)],
        [t(0), t(2)],
      ],
      3,
      false,
    )!
    expect(cut.bound).toBe(t(3))
    expect([t(0), t(2), t(3), t(4)].filter(cut.keep)).toEqual([t(0), t(2)])
    expect(contentRange(cut, [t(0), t(1), t(2)], { timeproperty: 'observedAt' }, false)).toBe(
      'date-time 2026-01-01T00:00:00Z-2026-01-01T03:00:00Z/*',
    )
    expect(
      contentRange(
        cut,
        [t(1)],
        { timeproperty: 'observedAt', timerel: 'after', timeAt: '2025-12-31T00:00:00.000Z' },
        false,
      ),
    ).toBe('date-time 2025-12-31T00:00:00Z-2026-01-01T03:00:00Z/*')
  })

  it('cuts descending (lastN above the limit) at the latest last-not-returned time', () => {
    const cut = cutSeries(
      [
        [t(9), t(8), t(7)],
        [t(9), t(6), t(5)],
      ],
      2,
      true,
    )!
    expect(cut.bound).toBe(t(7))
    expect([t(9), t(8), t(7), t(6)].filter(cut.keep)).toEqual([t(9), t(8)])
    expect(contentRange(cut, [t(9), t(8), t(9)], { timeproperty: 'observedAt', lastN: 50 }, true)).toBe(
      'date-time 2026-01-01T09:00:00Z-2026-01-01T08:00:00Z/50',
    )
  })

  it('still returns instances when more than the limit share one time', () => {
    const cut = cutSeries([[t(1), t(1), t(1)]], 2, false)!
    expect([t(1), t(1)].filter(cut.keep)).toHaveLength(2)
  })

  it('writes header times without zero milliseconds', () => {
    expect(headerTime(Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00Z')
    expect(headerTime(Date.UTC(2026, 0, 1, 0, 0, 0, 5))).toBe('2026-01-01T00:00:00.005Z')
  })
})
