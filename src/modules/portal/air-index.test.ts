import { describe, expect, it } from 'vitest'
import { AIR_BANDS, airIndex, pollutantIndex } from './air-index.js'

describe('European Air Quality Index', () => {
  it('puts each upper bound in its band and anything above it in the next', () => {
    for (const [p, bounds] of Object.entries(AIR_BANDS) as [keyof typeof AIR_BANDS, number[]][]) {
      bounds.forEach((b, i) => {
        expect(pollutantIndex(p, b), `${p} ${b}`).toBe(i + 1)
        expect(pollutantIndex(p, b + 0.1), `${p} ${b + 0.1}`).toBe(i + 2)
      })
      expect(pollutantIndex(p, 0)).toBe(1)
    }
    expect(pollutantIndex('pm25', 75)).toBe(5)
    expect(pollutantIndex('pm25', 75.1)).toBe(6)
    expect(pollutantIndex('no2', 340)).toBe(5)
    expect(pollutantIndex('no2', 341)).toBe(6)
  })

  it('takes the worst pollutant and ignores missing ones', () => {
    expect(airIndex({ no2: 40, pm10: 20, pm25: 10, o3: 50 })).toEqual({ index: 1, level: 'good' })
    expect(airIndex({ no2: 40, pm10: 41 })).toEqual({ index: 3, level: 'moderate' })
    expect(airIndex({ no2: 10, o3: 241, pm25: null })).toEqual({ index: 5, level: 'veryPoor' })
    expect(airIndex({ pm10: 151 })).toEqual({ index: 6, level: 'extremelyPoor' })
    expect(airIndex({ no2: 91 })).toEqual({ index: 3, level: 'moderate' })
    expect(airIndex({ pm25: 50 })).toEqual({ index: 4, level: 'poor' })
    expect(airIndex({})).toBeUndefined()
    expect(airIndex({ no2: null, o3: Number.NaN })).toBeUndefined()
  })
})
