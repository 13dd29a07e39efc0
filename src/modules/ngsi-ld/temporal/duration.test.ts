import { describe, expect, it } from 'vitest'
import { parseDuration, periodEnd } from './duration.js'

describe('aggrPeriodDuration', () => {
  it('reads fixed lengths, calendar months and the whole window', () => {
    expect(parseDuration('PT1H')).toEqual({ kind: 'fixed', ms: 3_600_000 })
    expect(parseDuration('P1D')).toEqual({ kind: 'fixed', ms: 86_400_000 })
    expect(parseDuration('P1W')).toEqual({ kind: 'fixed', ms: 7 * 86_400_000 })
    expect(parseDuration('P1DT2H30M15.5S')).toEqual({ kind: 'fixed', ms: ((26 * 60 + 30) * 60 + 15.5) * 1000 })
    expect(parseDuration('PT15M')).toEqual({ kind: 'fixed', ms: 900_000 })
    expect(parseDuration('P1M')).toEqual({ kind: 'months', months: 1 })
    expect(parseDuration('P1Y6M')).toEqual({ kind: 'months', months: 18 })
    expect(parseDuration('PT0S')).toEqual({ kind: 'whole' })
    expect(parseDuration('P0D')).toEqual({ kind: 'whole' })
  })

  it('refuses what is not a duration, or not one we can bucket', () => {
    for (const bad of [
      '',
      'P',
      'PT',
      '1H',
      'PT1',
      'P1H',
      'PT-1H',
      'P1.5D',
      'pt1h',
      'P1DT',
      'PT0.5S',
      'P1M1D',
      'P2000Y',
    ]) {
      expect(() => parseDuration(bad), bad).toThrow(/aggrPeriodDuration/)
    }
  })

  it('ends a period', () => {
    const start = new Date('2026-01-01T00:00:00Z')
    expect(periodEnd({ kind: 'fixed', ms: 3_600_000 }, start).toISOString()).toBe('2026-01-01T01:00:00.000Z')
    expect(periodEnd({ kind: 'months', months: 1 }, start).toISOString()).toBe('2026-02-01T00:00:00.000Z')
    expect(periodEnd({ kind: 'months', months: 12 }, start).toISOString()).toBe('2027-01-01T00:00:00.000Z')
  })
})
