/**
 * Synthetic daily origin-destination trips by time band for the demo Comuni, from the same day model as the
 * presence (generator.ts): commuters in from the neighbouring municipalities in the morning and out in the evening,
 * visitors, residents between home, centre and work zones.
 */
import { hash, prng } from '../../simulator/random.js'
import { daysBetween } from '../calendar/holidays.js'
import type { PresenceClass } from '../model.js'
import { dayModel, draw, prepare } from './generator.js'
import type { DemoProfile } from './profiles.js'
import type { DemoZone } from './zones.js'

export interface FlowRow {
  day: string
  /** A zone id or `m:<ISTAT>` for a neighbouring municipality. */
  origin: string
  destination: string
  /** Start hour of the time band (0, 6, 10, 16, 20). */
  band: number
  bandEnd: number
  class: PresenceClass
  count: number
}

// ---------------------------------------------------------------------------------------------------------------
// Flows

const BANDS = [
  [0, 6],
  [6, 10],
  [10, 16],
  [16, 20],
  [20, 24],
] as const

const topIndexes = (values: number[], k: number, exclude?: Set<number>) =>
  values
    .map((v, i) => [v, i] as const)
    .filter(([, i]) => !exclude?.has(i))
    .sort((a, b) => b[0] - a[0])
    .slice(0, k)
    .map(([, i]) => i)

/**
 * Daily origin-destination trips by time band: commuters in from the neighbouring municipalities in the morning and
 * out in the evening, visitors in and out and between the most visited zones, residents between home zones and the
 * centre and work zones and out to the neighbours. Only pairs with a count > 0 after drawing, at most ~270 a day.
 */
export function* generateFlows(
  profile: DemoProfile,
  zones: DemoZone[],
  fromDay: string,
  toDay: string,
  seed: number,
): Generator<FlowRow> {
  const p = prepare(profile, zones, fromDay, toDay)
  const ext = [...profile.neighbours].sort((a, b) => b[1] - a[1])
  const homeTop = topIndexes(p.home, 8)
  for (const day of daysBetween(fromDay, toDay)) {
    const m = dayModel(p, day, seed)
    const r = prng(hash(seed, profile.istat, day, 'flows'))
    const rows: FlowRow[] = []
    const add = (origin: string, destination: string, band: number, cls: PresenceClass, l: number) => {
      const count = draw(l, r)
      const b = BANDS[band] ?? BANDS[0]
      if (count > 0) rows.push({ day, origin, destination, band: b[0], bandEnd: b[1], class: cls, count })
    }
    const id = (i: number) => zones[i]?.zone ?? ''
    // commuters
    const cTop = topIndexes(m.commuters, 8)
    const commuterBands: [number, boolean, number, number, number][] = [
      // band, inbound, share of the day's commuters, externals, zones
      [1, true, 0.7, 4, 8],
      [2, true, 0.15, 4, 3],
      [0, true, 0.05, 2, 2],
      [3, false, 0.7, 4, 8],
      [4, false, 0.2, 4, 3],
    ]
    for (const [band, inbound, share, ne, nz] of commuterBands) {
      for (const [code, es] of ext.slice(0, ne)) {
        for (const z of cTop.slice(0, nz)) {
          const l = (m.commuters[z] ?? 0) * es * share
          if (inbound) add(code, id(z), band, 'commuter', l)
          else add(id(z), code, band, 'commuter', l)
        }
      }
    }
    // visitors: Italian ones come also from the neighbours, foreign ones mostly through the two main ones
    const iTop = topIndexes(m.italian, 6)
    const fTop = topIndexes(m.foreign, 4)
    const visitorBands: [number, boolean, number, number, number][] = [
      [1, true, 0.2, 2, 3],
      [2, true, 0.6, 4, 6],
      [3, false, 0.55, 4, 6],
      [4, false, 0.35, 2, 3],
    ]
    for (const [band, inbound, share, ne, nz] of visitorBands) {
      for (const [code, es] of ext.slice(0, ne)) {
        for (const z of iTop.slice(0, nz)) {
          const l = (m.italian[z] ?? 0) * es * share
          if (inbound) add(code, id(z), band, 'italian_visitor', l)
          else add(id(z), code, band, 'italian_visitor', l)
        }
      }
    }
    for (const [code, es] of ext.slice(0, 2)) {
      for (const z of fTop) {
        add(code, id(z), 2, 'foreign_visitor', (m.foreign[z] ?? 0) * es * 0.6)
        add(id(z), code, 3, 'foreign_visitor', (m.foreign[z] ?? 0) * es * 0.55)
      }
    }
    // visitors walking between the most visited zones
    const walk = iTop.slice(0, 5)
    const walkSum = walk.reduce((s, i) => s + (m.italian[i] ?? 0), 0) || 1
    for (const a of walk) {
      for (const b of walk) {
        if (a !== b)
          add(id(a), id(b), 2, 'italian_visitor', ((m.italian[a] ?? 0) * 0.25 * (m.italian[b] ?? 0)) / walkSum)
      }
    }
    // residents: to work and the centre in the morning, back in the evening, and out to the neighbours
    const dest = topIndexes(p.away, 3)
    const destSum = dest.reduce((s, i) => s + (p.away[i] ?? 0), 0) || 1
    const moving = profile.population * 0.3 * m.residentsMoving
    for (const o of homeTop) {
      for (const d of dest) {
        if (d === o) continue
        const l = moving * (p.home[o] ?? 0) * ((p.away[d] ?? 0) / destSum)
        add(id(o), id(d), 1, 'resident', l * 0.45)
        add(id(o), id(d), 2, 'resident', l * 0.2)
        add(id(d), id(o), 3, 'resident', l * 0.5)
      }
    }
    const out = profile.population * 0.15 * (m.type === 'weekday' ? 1 : 0.3)
    for (const o of homeTop.slice(0, 6)) {
      for (const [code, es] of ext.slice(0, 2)) {
        add(id(o), code, 1, 'resident', out * (p.home[o] ?? 0) * es * 0.7)
        add(code, id(o), 3, 'resident', out * (p.home[o] ?? 0) * es * 0.7)
      }
    }
    yield* rows
  }
}
