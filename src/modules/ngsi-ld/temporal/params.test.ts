import { describe, expect, it } from 'vitest'
import { coreActiveContext } from '../context/index.js'
import { parseTemporalFormat, parseTemporalParams, parseTimeWindow } from './params.js'

const ctx = coreActiveContext()

describe('temporal parameters', () => {
  it('reads the time window', () => {
    expect(parseTimeWindow({})).toEqual({ timeproperty: 'observedAt' })
    expect(
      parseTimeWindow({
        timerel: 'between',
        timeAt: '2026-01-01T00:00:00Z',
        endTimeAt: '2026-01-02T01:00:00+01:00',
        timeproperty: 'modifiedAt',
        lastN: '5',
      }),
    ).toEqual({
      timerel: 'between',
      timeAt: '2026-01-01T00:00:00.000Z',
      endTimeAt: '2026-01-02T00:00:00.000Z',
      timeproperty: 'modifiedAt',
      lastN: 5,
    })
  })

  it.each([
    [{ timerel: 'before' }, /timerel=before needs timeAt/],
    [{ timeAt: '2026-01-01T00:00:00Z' }, /timeAt needs timerel/],
    [{ timerel: 'after', timeAt: '2026-01-01T00:00:00Z', endTimeAt: '2026-01-02T00:00:00Z' }, /only allowed with/],
    [{ timerel: 'between', timeAt: '2026-01-01T00:00:00Z' }, /needs endTimeAt/],
    [{ timerel: 'between', timeAt: '2026-01-02T00:00:00Z', endTimeAt: '2026-01-01T00:00:00Z' }, /after timeAt/],
    [{ timerel: 'around', timeAt: '2026-01-01T00:00:00Z' }, /timerel must be one of/],
    [{ timerel: 'after', timeAt: 'yesterday' }, /not a date-time/],
    [{ timerel: 'after', timeAt: '2026-02-30T00:00:00Z' }, /not a date-time/],
    [{ timerel: 'after', timeAt: '2026-01-01T00:00:00 01:00' }, /%2B/],
    [{ timeproperty: 'seenAt' }, /timeproperty must be one of/],
    [{ lastN: '0' }, /lastN must be a positive integer/],
    [{ lastN: '-3' }, /lastN/],
    [{ lastN: 'ten' }, /lastN/],
    [{ timerel: ['after', 'before'], timeAt: '2026-01-01T00:00:00Z' }, /more than once/],
  ])('refuses %j', (q, message) => {
    expect(() => parseTimeWindow(q)).toThrow(message)
  })

  it('reads the representation', () => {
    expect(parseTemporalFormat({})).toEqual({ format: 'normalized', sysAttrs: false })
    expect(parseTemporalFormat({ options: 'temporalValues,sysAttrs' })).toEqual({
      format: 'temporalValues',
      sysAttrs: true,
    })
    expect(parseTemporalFormat({ format: 'aggregatedValues' }).format).toBe('aggregatedValues')
    expect(() => parseTemporalFormat({ options: 'temporalValues,aggregatedValues' })).toThrow(/Conflicting/)
    expect(() => parseTemporalFormat({ options: 'sideways' })).toThrow(/options/)
    expect(() => parseTemporalFormat({ options: 'concise' })).toThrow(/concise/)
    expect(() => parseTemporalFormat({ format: 'pretty' })).toThrow(/format must be/)
  })

  it('reads aggregation methods and periods, only with aggregatedValues', () => {
    const p = parseTemporalParams(
      { options: 'aggregatedValues', aggrMethods: 'avg,max,avg', aggrPeriodDuration: 'PT1H', attrs: 'temperature' },
      ctx,
    )
    expect(p.render.aggrMethods).toEqual(['avg', 'max'])
    expect(p.render.period).toEqual({ kind: 'fixed', ms: 3_600_000 })
    expect(p.render.attrs).toEqual(['https://uri.etsi.org/ngsi-ld/default-context/temperature'])
    expect(() => parseTemporalParams({ options: 'aggregatedValues' }, ctx)).toThrow(/needs aggrMethods/)
    expect(() => parseTemporalParams({ options: 'aggregatedValues', aggrMethods: 'median' }, ctx)).toThrow(/median/)
    expect(() => parseTemporalParams({ aggrMethods: 'avg' }, ctx)).toThrow(/need options=aggregatedValues/)
    expect(() =>
      parseTemporalParams({ options: 'aggregatedValues', aggrMethods: 'avg', aggrPeriodDuration: 'X' }, ctx),
    ).toThrow(/ISO 8601/)
    expect(() =>
      parseTemporalParams({ options: 'aggregatedValues', aggrMethods: 'avg', timeproperty: 'deletedAt' }, ctx),
    ).toThrow(/deletedAt/)
  })
})
