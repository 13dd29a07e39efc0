/** Aggregated temporal representation (clause 4.5.19): every method against numbers computed by hand. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, createTestApp, type TestApp } from '../support/app.js'

const T = '/ngsi-ld/v1/temporal/entities'
const D = '2026-03-01'
const at = (hm: string) => `${D}T${hm}:00.000Z`
const P = (value: unknown, hm: string, extra: Record<string, unknown> = {}) => ({
  type: 'Property',
  value,
  observedAt: at(hm),
  ...extra,
})
const ALL = 'totalCount,distinctCount,sum,avg,min,max,stddev,sumsq'

describe('NGSI-LD aggregated temporal representation', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
    const r = await t.call({
      method: 'POST',
      url: T,
      key: t.keys[A]!.operator,
      payload: {
        id: 'urn:ngsi-ld:Agg:1',
        type: 'Agg',
        // hour 0: 10, 20, 30; hour 1: 5, 5; hour 2: none; hour 3: 7
        temperature: [P(10, '00:00'), P(20, '00:20'), P(30, '00:40'), P(5, '01:00'), P(5, '01:30'), P(7, '03:15')],
        status: [P('ok', '00:05'), P('ok', '00:10'), P('fail', '00:15')],
        owner: [
          { type: 'Relationship', object: 'urn:p:1', observedAt: at('00:00') },
          { type: 'Relationship', object: 'urn:p:2', observedAt: at('00:30') },
          { type: 'Relationship', object: 'urn:p:1', observedAt: at('00:50') },
        ],
        flow: [P(1, '00:00'), P(3, '00:10'), P(100, '00:00', { datasetId: 'urn:ds:x' })],
      },
    })
    expect(r.statusCode, r.body).toBe(201)
    for (const [n, values] of [
      [2, [2, 4]],
      [3, [9]],
    ] as const) {
      const e = await t.call({
        method: 'POST',
        url: T,
        key: t.keys[A]!.operator,
        payload: { id: `urn:ngsi-ld:Agg:${n}`, type: 'Agg', temperature: values.map((v, i) => P(v, `0${i}:00`)) },
      })
      expect(e.statusCode).toBe(201)
    }
  })
  afterAll(() => t?.close())

  const agg = async (query: string, id = 'urn:ngsi-ld:Agg:1') => {
    const r = await t.call({
      method: 'GET',
      url: `${T}/${id}?options=aggregatedValues&${query}`,
      key: t.keys[A]!.viewer,
    })
    expect(r.statusCode, r.body).toBe(200)
    return r.json()
  }

  it('aggregates numbers per hour: every method', async () => {
    const e = await agg(`attrs=temperature&aggrMethods=${ALL}&aggrPeriodDuration=PT1H`)
    const h = (hh: number) => [at(`0${hh}:00`), at(`0${hh + 1}:00`)]
    expect(e.temperature).toEqual({
      type: 'Property',
      totalCount: [
        [3, ...h(0)],
        [2, ...h(1)],
        [1, ...h(3)],
      ],
      distinctCount: [
        [3, ...h(0)],
        [1, ...h(1)],
        [1, ...h(3)],
      ],
      sum: [
        [60, ...h(0)],
        [10, ...h(1)],
        [7, ...h(3)],
      ],
      avg: [
        [20, ...h(0)],
        [5, ...h(1)],
        [7, ...h(3)],
      ],
      min: [
        [10, ...h(0)],
        [5, ...h(1)],
        [7, ...h(3)],
      ],
      max: [
        [30, ...h(0)],
        [5, ...h(1)],
        [7, ...h(3)],
      ],
      // sample standard deviation: sqrt(((10-20)^2 + 0 + (30-20)^2) / 2) = 10; one value: null
      stddev: [
        [10, ...h(0)],
        [0, ...h(1)],
        [null, ...h(3)],
      ],
      sumsq: [
        [1400, ...h(0)],
        [50, ...h(1)],
        [49, ...h(3)],
      ],
    })
  })

  it('aggregates the whole window by default (PT0S), bounded by the query', async () => {
    const e = await agg(
      `attrs=temperature&aggrMethods=${ALL}&timerel=between&timeAt=${at('00:00')}&endTimeAt=${at('04:00')}`,
    )
    const w = [at('00:00'), at('04:00')]
    const mean = 77 / 6
    const stddev = Math.sqrt((1499 - 6 * mean * mean) / 5)
    expect(e.temperature.totalCount).toEqual([[6, ...w]])
    expect(e.temperature.distinctCount).toEqual([[5, ...w]])
    expect(e.temperature.sum).toEqual([[77, ...w]])
    expect(e.temperature.avg[0][0]).toBeCloseTo(mean, 10)
    expect(e.temperature.min).toEqual([[5, ...w]])
    expect(e.temperature.max).toEqual([[30, ...w]])
    expect(e.temperature.stddev[0][0]).toBeCloseTo(stddev, 10)
    expect(e.temperature.sumsq).toEqual([[1499, ...w]])
    // without bounds: the first and last instance times
    const open = await agg('attrs=temperature&aggrMethods=totalCount')
    expect(open.temperature.totalCount).toEqual([[6, at('00:00'), at('03:15')]])
  })

  it('starts periods at timeAt, and counts an instance on a period boundary in the later period', async () => {
    const e = await agg(
      `attrs=temperature&aggrMethods=avg,totalCount&aggrPeriodDuration=PT1H&timerel=between&timeAt=${at('00:30')}&endTimeAt=${at('04:00')}`,
    )
    expect(e.temperature.avg).toEqual([
      [17.5, at('00:30'), at('01:30')],
      [5, at('01:30'), at('02:30')],
      [7, at('02:30'), at('03:30')],
    ])
  })

  it('uses days and calendar months', async () => {
    const day = await agg('attrs=temperature&aggrMethods=sum&aggrPeriodDuration=P1D')
    expect(day.temperature.sum).toEqual([[77, `${D}T00:00:00.000Z`, '2026-03-02T00:00:00.000Z']])
    const month = await agg('attrs=temperature&aggrMethods=max&aggrPeriodDuration=P1M')
    expect(month.temperature.max).toEqual([[30, '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']])
    const quarter = await agg('attrs=temperature&aggrMethods=max&aggrPeriodDuration=P3M')
    expect(quarter.temperature.max).toEqual([[30, '2026-01-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']])
  })

  it('returns the last N periods in ascending order', async () => {
    const e = await agg('attrs=temperature&aggrMethods=avg&aggrPeriodDuration=PT1H&lastN=2')
    expect(e.temperature.avg).toEqual([
      [5, at('01:00'), at('02:00')],
      [7, at('03:00'), at('04:00')],
    ])
  })

  it('counts strings and relationships, with min and max of strings and null for numeric methods', async () => {
    const e = await agg('attrs=status,owner&aggrMethods=totalCount,distinctCount,min,max,avg')
    expect(e.status).toEqual({
      type: 'Property',
      totalCount: [[3, at('00:05'), at('00:15')]],
      distinctCount: [[2, at('00:05'), at('00:15')]],
      min: [['fail', at('00:05'), at('00:15')]],
      max: [['ok', at('00:05'), at('00:15')]],
      avg: [[null, at('00:05'), at('00:15')]],
    })
    expect(e.owner.type).toBe('Relationship')
    expect(e.owner.totalCount).toEqual([[3, at('00:00'), at('00:50')]])
    expect(e.owner.distinctCount).toEqual([[2, at('00:00'), at('00:50')]])
  })

  it('aggregates each datasetId apart', async () => {
    const e = await agg('attrs=flow&aggrMethods=sum')
    expect(e.flow).toEqual([
      { type: 'Property', sum: [[4, at('00:00'), at('00:10')]] },
      { type: 'Property', sum: [[100, at('00:00'), at('00:00')]], datasetId: 'urn:ds:x' },
    ])
    const only = await agg('attrs=flow&aggrMethods=sum&datasetId=urn:ds:x')
    expect(only.flow.datasetId).toBe('urn:ds:x')
  })

  it('aggregates per entity over a type (daily average of each)', async () => {
    const r = await t.call({
      method: 'GET',
      url: `${T}?type=Agg&attrs=temperature&options=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=P1D&timerel=between&timeAt=${D}T00:00:00Z&endTimeAt=2026-03-02T00:00:00Z`,
      key: t.keys[A]!.viewer,
    })
    expect(r.statusCode, r.body).toBe(200)
    const day = [`${D}T00:00:00.000Z`, '2026-03-02T00:00:00.000Z']
    expect(r.json().map((e: { id: string; temperature: { avg: unknown } }) => [e.id, e.temperature.avg])).toEqual([
      ['urn:ngsi-ld:Agg:1', [[77 / 6, ...day]]],
      ['urn:ngsi-ld:Agg:2', [[3, ...day]]],
      ['urn:ngsi-ld:Agg:3', [[9, ...day]]],
    ])
  })
})
