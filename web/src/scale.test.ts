import { describe, expect, it } from 'vitest'
import { colourFor, legendRows, stepExpression, textOn } from './scale'

const scale: [number, string][] = [
  [0, '#50f0e6'],
  [40, '#50ccaa'],
  [90, '#f0e641'],
]

describe('colour scale', () => {
  it('takes the colour of the highest threshold reached', () => {
    expect(colourFor(scale, -5)).toBe('#50f0e6')
    expect(colourFor(scale, 0)).toBe('#50f0e6')
    expect(colourFor(scale, 39.9)).toBe('#50f0e6')
    expect(colourFor(scale, 40)).toBe('#50ccaa')
    expect(colourFor(scale, 1000)).toBe('#f0e641')
  })
  it('uses the fallback without a value', () => {
    expect(colourFor(scale, null)).toBe('#5c6f82')
    expect(colourFor(scale, Number.NaN, '#000')).toBe('#000')
    expect(colourFor([], 3, '#111')).toBe('#111')
  })
  it('builds the equivalent MapLibre step expression', () => {
    expect(stepExpression(scale, 'v')).toEqual([
      'case',
      ['has', 'v'],
      ['step', ['to-number', ['get', 'v'], -1e12], '#50f0e6', 40, '#50ccaa', 90, '#f0e641'],
      '#5c6f82',
    ])
  })
  it('gives legend rows and a readable text colour', () => {
    expect(legendRows(scale)).toEqual([
      { colour: '#50f0e6', from: null, to: 40 },
      { colour: '#50ccaa', from: 40, to: 90 },
      { colour: '#f0e641', from: 90, to: null },
    ])
    expect(textOn('#ffffff')).toBe('#000000')
    expect(textOn('#17324d')).toBe('#ffffff')
  })
})
