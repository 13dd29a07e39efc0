import { describe, expect, it } from 'vitest'
import { parseBand } from './flows.js'

describe('time bands of flows', () => {
  it('reads the forms providers write', () => {
    expect(parseBand('7')).toEqual({ band: 7, end: 8 })
    expect(parseBand('07-09')).toEqual({ band: 7, end: 9 })
    expect(parseBand('07:00-09:00')).toEqual({ band: 7, end: 9 })
    expect(parseBand('6', '10')).toEqual({ band: 6, end: 10 })
    expect(parseBand('06:00', '10:00')).toEqual({ band: 6, end: 10 })
    expect(parseBand('')).toEqual({ band: 0, end: 24 })
  })
  it('refuses bands outside the day or ending before they start', () => {
    for (const [b, e] of [['25'], ['9-7'], ['x'], ['6', '30'], ['6', 'ten']] as [string, string?][]) {
      expect(parseBand(b, e)).toBeInstanceOf(Error)
    }
  })
})
