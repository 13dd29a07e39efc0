import { describe, expect, it } from 'vitest'
import {
  addDays,
  cellNumber,
  classOf,
  colourOf,
  formatCell,
  formatChange,
  formatPercent,
  lastDays,
  legendOf,
  mobUrl,
  NODATA_COLOUR,
  nice,
  niceCeil,
  PALETTE,
  quantileBreaks,
  SUPPRESSED_COLOUR,
} from './cells'
import { flowLines } from './FlowMap'
import { forecastColumns } from './ForecastPage'
import { axisRange, linePath } from './SvgLines'
import { asIndex } from './TrafficSection'
import type { Forecast } from './types'

describe('cells', () => {
  it('formats numbers, no data and suppressed cells (never as 0)', () => {
    expect(formatCell(1234, 'it', 30)).toBe('1234')
    expect(formatCell(12345, 'it', 30)).toBe('12.345')
    expect(formatCell(12345, 'en', 30)).toBe('12,345')
    expect(formatCell(null, 'it', 30)).toBe('—')
    expect(formatCell('suppressed', 'it', 30)).toBe('< 30')
    expect(formatCell('suppressed', 'en', 10)).toBe('< 10')
    expect(cellNumber('suppressed')).toBeNull()
    expect(cellNumber(0)).toBe(0)
  })
  it('formats shares and changes', () => {
    expect(formatPercent(0.237, 'it')).toBe('23,7 %')
    expect(formatPercent(null, 'it')).toBe('—')
    expect(formatChange(0.125, 'it')).toBe('+12,5 %')
    expect(formatChange(-0.05, 'en')).toBe('−5 %')
  })
  it('does calendar arithmetic on local days', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01')
    expect(lastDays('2026-11-20', 14)).toEqual({ from: '2026-11-07', to: '2026-11-20' })
    expect(lastDays('2026-11-20', 30, '2026-11-10')).toEqual({ from: '2026-11-10', to: '2026-11-20' })
  })
  it('builds nice quantile breaks and colours', () => {
    expect(niceCeil(1.74)).toBe(2)
    expect(niceCeil(4100)).toBe(5000)
    expect(nice(180)).toBe(200)
    expect(nice(3100)).toBe(3000)
    expect(nice(0.3)).toBe(1)
    const values = Array.from({ length: 100 }, (_, i) => i * 10)
    const b = quantileBreaks(values)
    expect(b.length).toBe(4)
    expect([...b].sort((x, y) => x - y)).toEqual(b)
    expect(new Set(b).size).toBe(b.length)
    expect(quantileBreaks([])).toEqual([])
    expect(quantileBreaks([5, 5, 5])).toEqual([])
    expect(classOf(0, [10, 20])).toBe(0)
    expect(classOf(10, [10, 20])).toBe(1)
    expect(classOf(99, [10, 20])).toBe(2)
    expect(colourOf('suppressed', [10])).toBe(SUPPRESSED_COLOUR)
    expect(colourOf(null, [10])).toBe(NODATA_COLOUR)
    expect(colourOf(50, [10])).toBe(PALETTE[1])
    expect(legendOf([10, 20])).toEqual([
      { colour: PALETTE[0], from: null, to: 10 },
      { colour: PALETTE[1], from: 10, to: 20 },
      { colour: PALETTE[2], from: 20, to: null },
    ])
  })
  it('builds API URLs with the parameters that are set', () => {
    expect(mobUrl('046017', '/heatmap', { day: '2026-11-20', class: 'all', zone: undefined })).toBe(
      '/api/mobility/046017/heatmap?day=2026-11-20&class=all',
    )
    expect(mobUrl('046017', '/meta')).toBe('/api/mobility/046017/meta')
  })
})

describe('charts and maps data', () => {
  it('draws only flows with both ends, width by count', () => {
    const fc = flowLines([
      {
        origin: 'a',
        originName: 'A',
        destination: 'b',
        destinationName: 'B',
        count: 100,
        from: [10, 43],
        to: [10.1, 43],
      },
      {
        origin: 'a',
        originName: 'A',
        destination: 'c',
        destinationName: 'C',
        count: 50,
        from: [10, 43],
        to: [10.2, 43],
      },
      { origin: 'x', originName: 'X', destination: 'b', destinationName: 'B', count: 80, from: null, to: [10.1, 43] },
      {
        origin: 'a',
        originName: 'A',
        destination: 'a',
        destinationName: 'A',
        count: 900,
        from: [10, 43],
        to: [10, 43],
      },
      {
        origin: 'b',
        originName: 'B',
        destination: 'c',
        destinationName: 'C',
        count: 'suppressed',
        from: [10.1, 43],
        to: [10.2, 43],
      },
    ])
    const props = fc.features.map((f) => f.properties as { name: string; w: number; s: number })
    expect(props.map((p) => p.name)).toEqual(['A → B', 'A → C', 'B → C'])
    expect(props[0]!.w).toBeCloseTo(2, 5)
    expect(props[2]!.s).toBe(1)
    // with the zones' box, the outside end is drawn from a point on a ring around it
    const withExt = flowLines(
      [
        {
          origin: 'm:046007',
          originName: 'Capannori',
          destination: 'b',
          destinationName: 'B',
          count: 80,
          from: null,
          to: [10.5, 43.8],
        },
      ],
      [
        [10.4, 43.7],
        [10.6, 43.9],
      ],
    )
    const line = withExt.features.find((f) => f.geometry.type === 'LineString')!
    const [x, y] = line.geometry.coordinates[0] as [number, number]
    expect(x > 10.6 || x < 10.4 || y > 43.9 || y < 43.7).toBe(true)
    expect(withExt.features.filter((f) => f.geometry.type === 'Point').length).toBe(1)
  })
  it('joins history and forecast on one axis', () => {
    const f = {
      history: { times: ['2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z'], values: [10, 'suppressed'] },
      times: ['2026-01-01T02:00:00Z', '2026-01-01T03:00:00Z'],
      forecast: [12, 13],
      lower: [8, 9],
      upper: [16, 17],
    } as unknown as Forecast
    const c = forecastColumns(f)
    expect(c.x.length).toBe(4)
    expect(c.history).toEqual([10, null, null, null])
    expect(c.forecast).toEqual([null, null, 12, 13])
    expect(c.upper).toEqual([null, null, 16, 17])
  })
  it('an SVG path with gaps for missing values', () => {
    const d = linePath([1, null, 2, 3], 4)
    expect(d.match(/M/g)?.length).toBe(2)
    expect(d.match(/L/g)?.length).toBe(1)
  })
  it('an index of a series: 100 = its maximum', () => {
    expect(asIndex([50, null, 200, 0])).toEqual([25, null, 100, 0])
    expect(asIndex([null, 0])).toEqual([null, null])
  })
  it('an axis from 0, or from below the data when they all lie high', () => {
    expect(axisRange([0, 40, 90])).toEqual({ lo: 0, max: 100 })
    expect(axisRange([86_000, 99_000])).toEqual({ lo: 80_000, max: 100_000 })
    expect(axisRange([null])).toEqual({ lo: 0, max: 1 })
  })
})
