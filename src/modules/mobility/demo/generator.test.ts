/** Tests of the synthetic mobility data: zones, presence rows, flows, events, determinism and performance. */
import { describe, expect, it } from 'vitest'
import { boundaryOf, DEMO_COMUNI } from '../../../demo/comuni.js'
import { contains } from '../../simulator/geo.js'
import { type FlowRow, generateFlows } from './flows.js'
import { generatePresence, type PresenceRow } from './generator.js'
import { PROFILES } from './profiles.js'
import { type DemoZone, demoZones } from './zones.js'

const LUCCA = '046017'
const PERO = '015170'
const MANTOVA = '020030'

const boundaries = new Map(DEMO_COMUNI.map((c) => [c.id, boundaryOf(c.id, c.boundaryFile)]))
const zonesOf = new Map(DEMO_COMUNI.map((c) => [c.id, demoZones(c.id, boundaries.get(c.id))]))
const zones = (istat: string): DemoZone[] => zonesOf.get(istat) ?? []
const profile = (istat: string) => {
  const p = PROFILES[istat]
  if (!p) throw new Error(istat)
  return p
}

const presence = (istat: string, from: string, to: string, seed = 1) => [
  ...generatePresence(profile(istat), zones(istat), from, to, seed),
]
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

/** Sum over the hours and the given zones of the class totals of a day. */
function total(rows: PresenceRow[], day: string, classes: string[], zone?: string): number {
  return sum(
    rows
      .filter((r) => r.day === day && r.origin === '' && classes.includes(r.class) && (!zone || r.zone === zone))
      .map((r) => sum(r.counts)),
  )
}

const VISITORS = ['italian_visitor', 'foreign_visitor']

describe('demoZones', () => {
  it('gives each Comune 15-80 named grid zones with centroids inside the boundary', () => {
    for (const c of DEMO_COMUNI) {
      const list = zones(c.id)
      expect(list.length).toBeGreaterThanOrEqual(15)
      expect(list.length).toBeLessThanOrEqual(80)
      expect(new Set(list.map((z) => z.zone)).size).toBe(list.length)
      expect(new Set(list.map((z) => z.name)).size).toBe(list.length)
      for (const z of list) {
        expect(z.zone).toMatch(/^G-\d{2}-\d{2}$/)
        expect(z.geometry.type).toBe('Polygon')
        if (!(c.id === PERO && z.name === 'Polo fieristico')) {
          expect(contains(boundaries.get(c.id), z.centroid), `${c.name} ${z.zone}`).toBe(true)
        }
      }
      for (const k of ['resident', 'commuter', 'visitor'] as const) {
        expect(sum(list.map((z) => z.weight[k]))).toBeCloseTo(1, 6)
      }
      const centre = list.find((z) => z.name === 'Centro storico')
      expect(centre).toBeDefined()
      // visitors concentrate on the centre
      expect(centre?.weight.visitor).toBe(Math.max(...list.map((z) => z.weight.visitor)))
    }
    expect(zones(PERO).some((z) => z.name === 'Polo fieristico' && z.kind === 'fair')).toBe(true)
  })

  it('works with a MultiPolygon boundary', () => {
    const b = boundaries.get(MANTOVA) as { type: string; coordinates: unknown }
    const multi = b.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [b.coordinates] } : b
    expect(demoZones(MANTOVA, multi)).toEqual(zones(MANTOVA))
  })
})

describe('generatePresence', () => {
  it('is deterministic: the same seed gives the same rows, another seed others', () => {
    const a = presence(MANTOVA, '2025-06-01', '2025-06-03', 7)
    const b = presence(MANTOVA, '2025-06-01', '2025-06-03', 7)
    const c = presence(MANTOVA, '2025-06-01', '2025-06-03', 8)
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
    // a day does not depend on the range it was generated in
    expect(presence(MANTOVA, '2025-06-02', '2025-06-02', 7)).toEqual(a.filter((r) => r.day === '2025-06-02'))
  })

  it('gives 24 non-negative integers per row, and origin rows never above their class total', () => {
    for (const istat of [LUCCA, PERO, MANTOVA]) {
      const rows = presence(istat, '2025-07-31', '2025-08-03')
      const totals = new Map<string, number[]>()
      for (const r of rows) {
        expect(r.counts).toHaveLength(24)
        for (const v of r.counts) expect(Number.isInteger(v) && v >= 0).toBe(true)
        if (r.origin === '') totals.set(`${r.zone}|${r.day}|${r.class}`, r.counts)
      }
      const breakdown = new Map<string, number[]>()
      for (const r of rows.filter((x) => x.origin !== '')) {
        expect(VISITORS).toContain(r.class)
        expect(r.origin).toMatch(r.class === 'foreign_visitor' ? /^c:\d{3}$/ : /^p:\d{3}$/)
        expect(r.origin).not.toBe('c:222')
        const key = `${r.zone}|${r.day}|${r.class}`
        const acc = breakdown.get(key) ?? new Array<number>(24).fill(0)
        r.counts.forEach((v, h) => {
          acc[h] = (acc[h] ?? 0) + v
        })
        breakdown.set(key, acc)
      }
      expect(breakdown.size).toBeGreaterThan(0)
      for (const [key, acc] of breakdown) {
        const t = totals.get(key)
        expect(t).toBeDefined()
        for (let h = 0; h < 24; h++) expect(acc[h] ?? 0).toBeLessThanOrEqual(t?.[h] ?? 0)
      }
      // at most 8 zones carry breakdowns
      expect(new Set(rows.filter((x) => x.origin !== '').map((x) => x.zone)).size).toBeLessThanOrEqual(8)
    }
    // a Comune's own province is not an origin of its Italian visitors
    const lucca = presence(LUCCA, '2025-08-01', '2025-08-01')
    expect(lucca.some((r) => r.origin === 'p:046')).toBe(false)
  })

  it('has residents at home at night and fewer in the centre by day', () => {
    const rows = presence(LUCCA, '2025-03-11', '2025-03-11')
    const all = rows.filter((r) => r.class === 'resident' && r.origin === '')
    const at = (h: number) => sum(all.map((r) => r.counts[h] ?? 0))
    expect(at(3)).toBeGreaterThan(0.9 * 89_000)
    expect(at(3)).toBeLessThan(89_000)
    expect(at(11)).toBeLessThan(at(3))
    const centre = zones(LUCCA).find((z) => z.name === 'Centro storico')?.zone
    const c = all.find((r) => r.zone === centre)?.counts ?? []
    expect(c[11] ?? 0).toBeLessThan(c[3] ?? 0)
  })

  it('shows the Lucca Comics & Games surge', () => {
    // 2025: 29 October - 2 November; the Saturday before is a normal late-October Saturday
    const rows = presence(LUCCA, '2025-10-25', '2025-11-01')
    const comics = total(rows, '2025-11-01', VISITORS)
    const normal = total(rows, '2025-10-25', VISITORS)
    expect(comics).toBeGreaterThan(2 * normal)
  })

  it('has Pero dominated by weekday commuters and surges at the fairground', () => {
    // Salone del Mobile 2025 starts on Tuesday 15 April; 1 April is an ordinary Tuesday, 6 April a Sunday
    const rows = presence(PERO, '2025-04-01', '2025-04-17')
    const weekdayCommuters = total(rows, '2025-04-01', ['commuter'])
    const sundayCommuters = total(rows, '2025-04-06', ['commuter'])
    expect(weekdayCommuters).toBeGreaterThan(3 * sundayCommuters)
    const fairZone = zones(PERO).find((z) => z.kind === 'fair')?.zone
    const all = ['commuter', ...VISITORS]
    expect(total(rows, '2025-04-17', all, fairZone)).toBeGreaterThan(3 * total(rows, '2025-04-03', all, fairZone))
  })

  it('treats Italian public holidays like Sundays', () => {
    // Liberation Day 2025 is a Friday
    const rows = presence(PERO, '2025-04-18', '2025-04-27')
    const holiday = total(rows, '2025-04-25', ['commuter'])
    expect(holiday).toBeLessThan(0.4 * total(rows, '2025-04-24', ['commuter']))
  })

  it('shows Festivaletteratura in Mantova', () => {
    // 2025: 3-7 September; 30 August is the Saturday before
    const rows = presence(MANTOVA, '2025-08-30', '2025-09-06')
    const centre = zones(MANTOVA).find((z) => z.name === 'Centro storico')?.zone
    expect(total(rows, '2025-09-06', VISITORS, centre)).toBeGreaterThan(
      1.5 * total(rows, '2025-08-30', VISITORS, centre),
    )
  })

  it('has more foreign visitors in Lucca in summer than in winter', () => {
    const share = (day: string) => {
      const rows = presence(LUCCA, day, day)
      return total(rows, day, ['foreign_visitor']) / total(rows, day, VISITORS)
    }
    expect(share('2025-07-16')).toBeGreaterThan(1.8 * share('2025-01-15'))
  })
})

describe('generateFlows', () => {
  it('gives a moderate number of positive flows, commuters in by morning and out by evening', () => {
    for (const istat of [LUCCA, PERO, MANTOVA]) {
      const rows: FlowRow[] = [...generateFlows(profile(istat), zones(istat), '2025-05-05', '2025-05-11', 3)]
      const byDay = new Map<string, number>()
      for (const r of rows) {
        byDay.set(r.day, (byDay.get(r.day) ?? 0) + 1)
        expect(Number.isInteger(r.count) && r.count > 0).toBe(true)
        expect([0, 6, 10, 16, 20]).toContain(r.band)
        expect(r.bandEnd).toBeGreaterThan(r.band)
        expect(r.origin).not.toBe(r.destination)
      }
      for (const n of byDay.values()) expect(n).toBeLessThanOrEqual(300)
      const monday = rows.filter((r) => r.day === '2025-05-05' && r.class === 'commuter')
      const inflow = sum(monday.filter((r) => r.origin.startsWith('m:') && r.band === 6).map((r) => r.count))
      const outflow = sum(monday.filter((r) => r.destination.startsWith('m:') && r.band === 16).map((r) => r.count))
      expect(inflow).toBeGreaterThan(0)
      expect(outflow).toBeGreaterThan(0.5 * inflow)
      expect(sum(monday.filter((r) => r.destination.startsWith('m:') && r.band === 6).map((r) => r.count))).toBe(0)
    }
    const a = [...generateFlows(profile(PERO), zones(PERO), '2025-05-05', '2025-05-06', 3)]
    expect([...generateFlows(profile(PERO), zones(PERO), '2025-05-05', '2025-05-06', 3)]).toEqual(a)
  })
})

describe('performance', () => {
  it('generates 400 days for the three Comuni in < 5 s and at most ~250,000 presence rows', () => {
    const t = performance.now()
    let rows = 0
    for (const c of DEMO_COMUNI) {
      for (const _ of generatePresence(profile(c.id), zones(c.id), '2025-01-01', '2026-02-04', 42)) rows++
    }
    const seconds = (performance.now() - t) / 1000
    let flows = 0
    for (const c of DEMO_COMUNI) {
      for (const _ of generateFlows(profile(c.id), zones(c.id), '2025-01-01', '2026-02-04', 42)) flows++
    }
    const flowSeconds = (performance.now() - t) / 1000 - seconds
    console.log(
      `400 days x 3 Comuni: ${rows} presence rows in ${seconds.toFixed(2)} s, ${flows} flow rows in ${flowSeconds.toFixed(2)} s`,
    )
    expect(seconds + flowSeconds).toBeLessThan(5)
    expect(rows).toBeLessThanOrEqual(250_000)
    expect(flows).toBeLessThanOrEqual(400 * 3 * 300)
  })
})
