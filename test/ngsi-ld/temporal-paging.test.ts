/** Pagination of attribute instances (clause 6.3.10): 206 with Content-Range, and pages that chain without gaps. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, createTestApp, type TestApp } from '../support/app.js'

const T = '/ngsi-ld/v1/temporal/entities'
const h = (n: number) => `2026-04-01T${String(n).padStart(2, '0')}:00:00.000Z`
const hh = (n: number) => h(n).replace('.000Z', 'Z')
const inst = (value: number, n: number) => ({ type: 'Property', value, observedAt: h(n) })
type Pair = [number, string]

describe('NGSI-LD temporal pagination (URBE_TEMPORAL_INSTANCE_LIMIT=5)', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({ URBE_TEMPORAL_INSTANCE_LIMIT: '5' })
    for (const id of ['urn:ngsi-ld:P:1', 'urn:ngsi-ld:P:2']) {
      const r = await t.call({
        method: 'POST',
        url: T,
        key: t.keys[A]!.operator,
        payload: {
          id,
          type: 'P',
          a: Array.from({ length: 12 }, (_, i) => inst(i, i)), // hours 0..11
          b: [inst(100, 0), inst(105, 5), inst(110, 10)],
        },
      })
      expect(r.statusCode).toBe(201)
    }
  })
  afterAll(() => t?.close())

  const get = (url: string) => t.call({ method: 'GET', url, key: t.keys[A]!.viewer })
  const vals = (e: Record<string, { values: Pair[] } | undefined>, attr: string) =>
    (e[attr]?.values ?? []).map((p) => p[0])

  it('answers 206 with a Content-Range and one common range, then chains pages with timerel=after', async () => {
    const first = await get(`${T}/urn:ngsi-ld:P:1?options=temporalValues`)
    expect(first.statusCode).toBe(206)
    expect(first.headers['content-range']).toBe(`date-time ${hh(0)}-${hh(5)}/*`)
    expect(vals(first.json(), 'a')).toEqual([0, 1, 2, 3, 4])
    expect(vals(first.json(), 'b')).toEqual([100])

    const seen: Record<string, number[]> = { a: [], b: [] }
    let url = `${T}/urn:ngsi-ld:P:1?options=temporalValues`
    const ranges: string[] = []
    for (let page = 0; page < 10; page++) {
      const r = await get(url)
      for (const k of ['a', 'b']) seen[k]!.push(...vals(r.json(), k))
      if (r.statusCode === 200) break
      expect(r.statusCode).toBe(206)
      const range = r.headers['content-range'] as string
      ranges.push(range)
      const end = /^date-time .+-(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\/\*$/.exec(range)![1]!
      url = `${T}/urn:ngsi-ld:P:1?options=temporalValues&timerel=after&timeAt=${end}`
    }
    expect(ranges).toEqual([`date-time ${hh(0)}-${hh(5)}/*`, `date-time ${hh(5)}-${hh(10)}/*`])
    expect(seen.a).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(seen.b).toEqual([100, 105, 110])
  })

  it('starts the range at timeAt for after and between', async () => {
    const r = await get(`${T}/urn:ngsi-ld:P:1?timerel=between&timeAt=${h(1)}&endTimeAt=${h(11)}`)
    expect(r.statusCode).toBe(206)
    expect(r.headers['content-range']).toBe(`date-time ${hh(1)}-${hh(6)}/*`)
    expect(r.json().a.map((i: { value: number }) => i.value)).toEqual([1, 2, 3, 4, 5])
  })

  it('returns lastN within the limit whole (200), in ascending order', async () => {
    const r = await get(`${T}/urn:ngsi-ld:P:1?options=temporalValues&lastN=3`)
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-range']).toBeUndefined()
    expect(vals(r.json(), 'a')).toEqual([9, 10, 11])
    expect(vals(r.json(), 'b')).toEqual([100, 105, 110])
  })

  it('pages lastN above the limit from the newest, chaining with timerel=before', async () => {
    const r = await get(`${T}/urn:ngsi-ld:P:1?options=temporalValues&lastN=8`)
    expect(r.statusCode).toBe(206)
    expect(r.headers['content-range']).toBe(`date-time ${hh(11)}-${hh(7)}/8`)
    expect(vals(r.json(), 'a')).toEqual([7, 8, 9, 10, 11])
    expect(vals(r.json(), 'b')).toEqual([110])
    const next = await get(`${T}/urn:ngsi-ld:P:1?options=temporalValues&lastN=8&timerel=before&timeAt=${h(7)}`)
    expect(next.statusCode).toBe(206)
    expect(next.headers['content-range']).toBe(`date-time ${hh(7)}-${hh(2)}/8`)
    expect(vals(next.json(), 'a')).toEqual([2, 3, 4, 5, 6])
    expect(vals(next.json(), 'b')).toEqual([105])
  })

  it('pages a query over several entities and aggregated periods alike', async () => {
    const q = await get(`${T}?type=P&attrs=a`)
    expect(q.statusCode).toBe(206)
    expect(q.headers['content-range']).toBe(`date-time ${hh(0)}-${hh(5)}/*`)
    expect(q.json().map((e: { a: unknown[] }) => e.a.length)).toEqual([5, 5])
    const agg = await get(
      `${T}/urn:ngsi-ld:P:1?attrs=a&options=aggregatedValues&aggrMethods=max&aggrPeriodDuration=PT1H`,
    )
    expect(agg.statusCode).toBe(206)
    expect(agg.headers['content-range']).toBe(`date-time ${hh(0)}-${hh(5)}/*`)
    expect(agg.json().a.max.map((p: Pair) => p[0])).toEqual([0, 1, 2, 3, 4])
    const whole = await get(`${T}/urn:ngsi-ld:P:1?attrs=a&options=aggregatedValues&aggrMethods=max`)
    expect(whole.statusCode).toBe(200)
  })
})
