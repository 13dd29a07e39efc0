/**
 * Synthetic mobile-network presence and flow counts for the demo Comuni, realistic enough to demo the mobility module:
 * residents at home at night, weekday commuters, visitors in the afternoons and at weekends, tourist seasons, Italian
 * public holidays behaving like Sundays, and the big events (Lucca Comics & Games, the trade fairs at Fiera Milano
 * Rho-Pero, Festivaletteratura in Mantova).
 *
 * Model: for every local day the Comune-wide daily numbers of commuters and visitors (visitor-days) and the resident
 * population are spread over the zones with their weights and over the hours with a profile per class and day type;
 * a person present at the busiest hour counts once, so the hourly presence is daily people x the class's peak share
 * x the hourly shape (max 1). Counts are then drawn (Poisson, normal for large means) with a seeded generator, so the
 * same seed always gives the same rows, and a row does not depend on which other days or zones were generated.
 */
import { hash, noise, prng } from '../../simulator/random.js'
import { addDays, daysBetween, dayType, holidaySet, PATRONS, weekday } from '../calendar/holidays.js'
import type { DayType, PresenceClass } from '../model.js'
import type { DemoEvent, DemoProfile } from './profiles.js'
import { COMMUTER, COMMUTER_PEAK, COMMUTER_WEEKEND, RES_MOBILE, RES_PRESENT, VISITOR, VISITOR_PEAK } from './shapes.js'
import type { DemoZone, ZoneKind } from './zones.js'

export interface PresenceRow {
  zone: string
  /** Local day, YYYY-MM-DD. */
  day: string
  class: PresenceClass
  /** '' = all origins; `c:<MCC>` or `p:<province>` for the visitor breakdowns. */
  origin: string
  /** 24 integers >= 0, people present per local hour. */
  counts: number[]
}

// ---------------------------------------------------------------------------------------------------------------
// Calendar

const dayMs = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8)))

/** A monthly table interpolated linearly between the middles of the months. */
function monthly(table: readonly number[], date: string): number {
  const m = Number(date.slice(5, 7)) - 1
  const t = (Number(date.slice(8)) - 15) / 30.5
  const other = t >= 0 ? (m + 1) % 12 : (m + 11) % 12
  return (table[m] ?? 1) * (1 - Math.abs(t)) + (table[other] ?? 1) * Math.abs(t)
}

// ---------------------------------------------------------------------------------------------------------------
// Randomness

function gauss(r: () => number): number {
  const u = 1 - r()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r())
}

/** A count with mean `l`: Poisson for small means, normal approximation above. */
export function draw(l: number, r: () => number): number {
  if (!(l > 0)) return 0
  if (l < 20) {
    const u = r()
    let k = 0
    let p = Math.exp(-l)
    let c = p
    while (u > c && k < 200) {
      k++
      p *= l / k
      c += p
    }
    return k
  }
  return Math.max(0, Math.round(l + Math.sqrt(l) * gauss(r)))
}

// ---------------------------------------------------------------------------------------------------------------
// The day model: expected presence per zone, class and hour

const PEOPLE: readonly PresenceClass[] = ['resident', 'commuter', 'italian_visitor', 'foreign_visitor']

export interface Prepared {
  profile: DemoProfile
  zones: DemoZone[]
  home: number[]
  away: number[]
  commuter: number[]
  visitor: number[]
  /** Zones with the origin breakdowns: the most visited ones. */
  top: Set<number>
  events: Map<string, { event: DemoEvent; index: number }[]>
  holidays: Set<string>
  /** Index of the zones taking each kind of event's people, with their shares. */
  eventZones: Map<ZoneKind, [number, number][]>
}

function normalize(v: number[]): number[] {
  const s = v.reduce((a, b) => a + b, 0)
  return s > 0 ? v.map((x) => x / s) : v.map(() => 1 / v.length)
}

export function prepare(profile: DemoProfile, zones: DemoZone[], fromDay: string, toDay: string): Prepared {
  const home = normalize(zones.map((z) => z.weight.resident))
  const commuter = normalize(zones.map((z) => z.weight.commuter))
  const visitor = normalize(zones.map((z) => z.weight.visitor))
  // by day residents leave the centre's homes a little and go to work places elsewhere in the Comune
  const away = normalize(
    zones.map(
      (z, i) =>
        (home[i] ?? 0) * (z.kind === 'centre' ? 0.55 : 0.8) + (z.kind === 'centre' ? 0 : 0.25) * (commuter[i] ?? 0),
    ),
  )
  const order = zones.map((_, i) => i).sort((a, b) => (visitor[b] ?? 0) - (visitor[a] ?? 0))
  const top = new Set(order.slice(0, 8))
  const y0 = Number(fromDay.slice(0, 4))
  const y1 = Number(toDay.slice(0, 4))
  const years: number[] = []
  for (let y = y0 - 1; y <= y1; y++) years.push(y)
  const events = new Map<string, { event: DemoEvent; index: number }[]>()
  for (const y of years) {
    for (const event of profile.events(y)) {
      event.visitors.forEach((_, index) => {
        const d = addDays(event.start, index)
        events.set(d, [...(events.get(d) ?? []), { event, index }])
      })
    }
  }
  const eventZones = new Map<ZoneKind, [number, number][]>()
  for (const kind of ['centre', 'fair', 'industrial', 'attraction', 'ordinary'] as const) {
    let target = zones.findIndex((z) => z.kind === kind)
    if (target < 0) target = order[0] ?? 0
    const spill = kind === 'fair' ? 0.1 : 0.2
    const list: [number, number][] = [[target, 1 - spill]]
    const rest = order.filter((i) => i !== target).slice(0, 6)
    const sum = rest.reduce((s, i) => s + (visitor[i] ?? 0), 0)
    for (const i of rest) list.push([i, (spill * (visitor[i] ?? 0)) / (sum || 1)])
    eventZones.set(kind, list)
  }
  return {
    profile,
    zones,
    home,
    away,
    commuter,
    visitor,
    top,
    events,
    holidays: holidaySet(years, PATRONS[profile.istat]),
    eventZones,
  }
}

export interface DayModel {
  day: string
  type: DayType
  /** Expected hourly presence, [zone][class] -> 24 values. */
  lambda: Float64Array[][]
  /** Daily commuters and visitors (italian, foreign) arriving in each zone. */
  commuters: number[]
  italian: number[]
  foreign: number[]
  /** Share of the residents moving around the Comune today. */
  residentsMoving: number
  foreignShare: number
}

function inPeriod(day: string, from: string, to: string): boolean {
  const md = day.slice(5)
  return from <= to ? md >= from && md <= to : md >= from || md <= to
}

export function dayModel(p: Prepared, day: string, seed: number): DayModel {
  const { profile } = p
  const type = dayType(day, p.holidays)
  const wd = weekday(day)
  const r = prng(hash(seed, profile.istat, day, 'day'))
  const august = inPeriod(day, '08-06', '08-24')
  const christmas = inPeriod(day, '12-24', '01-06')
  // residents away on holiday
  const presentFactor = august ? 0.8 : christmas ? 0.93 : inPeriod(day, '07-01', '08-31') ? 0.92 : 1
  let nc =
    profile.commuters *
    (type === 'weekday' ? (wd === 5 ? 0.95 : 1) : type === 'saturday' ? 0.28 : 0.09) *
    (august ? 0.55 : christmas ? 0.72 : inPeriod(day, '07-15', '08-31') ? 0.88 : 1) *
    Math.exp(0.04 * gauss(r))
  const weather = 1 + 0.15 * noise(seed, `wx-${profile.istat}`, dayMs(day), 4 * 86_400_000)
  const visitorsWeek = type === 'sunday_holiday' ? (profile.week[0] ?? 1) : (profile.week[wd] ?? 1)
  const nv = profile.visitors * monthly(profile.season, day) * visitorsWeek * weather * Math.exp(0.07 * gauss(r))
  const f = Math.min(0.8, monthly(profile.foreignShare, day) * Math.exp(0.06 * gauss(r)))
  const n = p.zones.length
  const commuters = p.commuter.map((w) => nc * w)
  const italian = p.visitor.map((w) => nv * (1 - f) * w)
  const foreign = p.visitor.map((w) => nv * f * w)
  const extraC = new Float64Array(n)
  const extraI: { zone: number; daily: number; shape: readonly number[]; peak: number }[] = []
  const extraF: typeof extraI = []
  for (const { event, index } of p.events.get(day) ?? []) {
    const v = (event.visitors[index] ?? 0) * Math.exp(0.05 * gauss(r))
    for (const [zone, share] of p.eventZones.get(event.at) ?? []) {
      extraC[zone] = (extraC[zone] ?? 0) + event.commuters * share
      commuters[zone] = (commuters[zone] ?? 0) + event.commuters * share
      italian[zone] = (italian[zone] ?? 0) + v * share * (1 - event.foreign)
      foreign[zone] = (foreign[zone] ?? 0) + v * share * event.foreign
      extraI.push({ zone, daily: v * share * (1 - event.foreign), shape: event.shape, peak: event.peak })
      extraF.push({ zone, daily: v * share * event.foreign, shape: event.shape, peak: event.peak })
    }
  }
  nc = nc * COMMUTER_PEAK
  const cShape = type === 'weekday' ? COMMUTER : COMMUTER_WEEKEND
  const present = RES_PRESENT[type]
  const moving = type === 'weekday' ? 1 : type === 'saturday' ? 0.6 : 0.45
  const pop = profile.population * presentFactor
  const on = profile.overnight
  const lambda: Float64Array[][] = []
  for (let z = 0; z < n; z++) {
    const res = new Float64Array(24)
    const com = new Float64Array(24)
    const ita = new Float64Array(24)
    const fgn = new Float64Array(24)
    const home = p.home[z] ?? 0
    const away = p.away[z] ?? 0
    const cw = nc * (p.commuter[z] ?? 0) + (extraC[z] ?? 0) * COMMUTER_PEAK
    const vi = nv * (1 - f) * (p.visitor[z] ?? 0) * VISITOR_PEAK
    const vf = nv * f * (p.visitor[z] ?? 0) * VISITOR_PEAK
    for (let h = 0; h < 24; h++) {
      const m = (RES_MOBILE[h] ?? 0) * moving
      res[h] = pop * (present[h] ?? 1) * ((1 - m) * home + m * away)
      com[h] = cw * (cShape[h] ?? 0)
      const vs = on + (1 - on) * (VISITOR[h] ?? 0)
      ita[h] = vi * vs
      fgn[h] = vf * vs
    }
    lambda.push([res, com, ita, fgn])
  }
  for (const [list, c] of [
    [extraI, 2],
    [extraF, 3],
  ] as const) {
    for (const e of list) {
      const arr = lambda[e.zone]?.[c]
      if (!arr) continue
      for (let h = 0; h < 24; h++) arr[h] = (arr[h] ?? 0) + e.daily * e.peak * (e.shape[h] ?? 0)
    }
  }
  return { day, type, lambda, commuters, italian, foreign, residentsMoving: moving, foreignShare: f }
}

// ---------------------------------------------------------------------------------------------------------------
// Presence

/** Origins whose busiest hour is below this are not broken out (the provider folds them into the total). */
const MIN_ORIGIN_PEAK = 8

/**
 * Hourly presence rows for the days from `fromDay` to `toDay` (both included): per day and zone one row per people
 * class (origin ''), and in the 8 most visited zones the breakdowns of the visitor classes by country (`c:`) and
 * province (`p:`), which never add up to more than the class total of the hour.
 */
export function* generatePresence(
  profile: DemoProfile,
  zones: DemoZone[],
  fromDay: string,
  toDay: string,
  seed: number,
): Generator<PresenceRow> {
  const p = prepare(profile, zones, fromDay, toDay)
  for (const day of daysBetween(fromDay, toDay)) {
    const model = dayModel(p, day, seed)
    for (let z = 0; z < zones.length; z++) {
      const zone = zones[z]
      const lambdas = model.lambda[z]
      if (!zone || !lambdas) continue
      const r = prng(hash(seed, profile.istat, day, zone.zone))
      const zoneFactor = Math.exp(0.06 * gauss(r))
      for (let c = 0; c < PEOPLE.length; c++) {
        const cls = PEOPLE[c] as PresenceClass
        const l = lambdas[c] as Float64Array
        const counts = new Array<number>(24)
        for (let h = 0; h < 24; h++) counts[h] = draw((l[h] ?? 0) * zoneFactor, r)
        yield { zone: zone.zone, day, class: cls, origin: '', counts }
        if (c < 2 || !p.top.has(z)) continue
        const origins = c === 2 ? profile.italianOrigins : profile.foreignOrigins
        const remaining = counts.slice()
        for (const [origin, share] of origins) {
          const s = share * Math.exp(0.15 * gauss(r))
          const oc = new Array<number>(24)
          let peak = 0
          for (let h = 0; h < 24; h++) {
            const left = remaining[h] ?? 0
            const v = Math.min(left, draw((counts[h] ?? 0) * s, r))
            oc[h] = v
            remaining[h] = left - v
            if (v > peak) peak = v
          }
          if (peak >= MIN_ORIGIN_PEAK) yield { zone: zone.zone, day, class: cls, origin, counts: oc }
        }
      }
    }
  }
}
