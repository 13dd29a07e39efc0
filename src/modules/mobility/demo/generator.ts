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

/** An event adding people to the zones of one kind (with some spill-over to the other visited zones). */
export interface DemoEvent {
  name: string
  /** First day, YYYY-MM-DD. */
  start: string
  /** Extra visitor-days on each day of the event. */
  visitors: number[]
  /** Extra commuters (staff, exhibitors) on each day. */
  commuters: number
  at: ZoneKind
  /** Hourly shape of the extra visitors (max 1) and the share of a day's visitors present at the peak hour. */
  shape: readonly number[]
  peak: number
  /** Share of foreign visitors among the extra ones. */
  foreign: number
}

export interface DemoProfile {
  istat: string
  name: string
  population: number
  /** Commuters coming in on an ordinary weekday. */
  commuters: number
  /** Visitor-days on an ordinary Monday-Thursday, mean over the year (before seasonality). */
  visitors: number
  /** Monthly factors of the visitors (January..December). */
  season: readonly number[]
  /** Monthly share of foreign visitors. */
  foreignShare: readonly number[]
  /** Visitor factors by weekday, Sunday..Saturday (holidays use Sunday's). */
  week: readonly number[]
  /** Share of the peak-hour visitors staying overnight. */
  overnight: number
  italianOrigins: readonly (readonly [string, number])[]
  foreignOrigins: readonly (readonly [string, number])[]
  /** Neighbouring municipalities (`m:` codes) with their share of the commuters and visitors coming in. */
  neighbours: readonly (readonly [string, number])[]
  events: (year: number) => DemoEvent[]
}

// ---------------------------------------------------------------------------------------------------------------
// Calendar helpers

const ymd = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`

/** The first date on or after y-m-d falling on weekday `wd` (0 = Sunday). */
function onOrAfter(y: number, m: number, d: number, wd: number): string {
  const date = ymd(y, m, d)
  return addDays(date, (wd - weekday(date) + 7) % 7)
}

/** The Sunday nearest to y-m-d. */
function nearestSunday(y: number, m: number, d: number): string {
  const date = ymd(y, m, d)
  const w = weekday(date)
  return addDays(date, w <= 3 ? -w : 7 - w)
}

const dayMs = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8)))

/** A monthly table interpolated linearly between the middles of the months. */
function monthly(table: readonly number[], date: string): number {
  const m = Number(date.slice(5, 7)) - 1
  const t = (Number(date.slice(8)) - 15) / 30.5
  const other = t >= 0 ? (m + 1) % 12 : (m + 11) % 12
  return (table[m] ?? 1) * (1 - Math.abs(t)) + (table[other] ?? 1) * Math.abs(t)
}

// ---------------------------------------------------------------------------------------------------------------
// Hourly shapes (local hours 0..23, max 1)

const COMMUTER = [
  0.04, 0.03, 0.03, 0.03, 0.04, 0.07, 0.2, 0.5, 0.85, 0.97, 1, 1, 0.9, 0.88, 0.96, 0.95, 0.88, 0.66, 0.38, 0.2, 0.11,
  0.08, 0.06, 0.05,
]
const COMMUTER_WEEKEND = [
  0.05, 0.04, 0.04, 0.04, 0.05, 0.08, 0.2, 0.45, 0.8, 0.95, 1, 1, 0.92, 0.75, 0.6, 0.55, 0.5, 0.42, 0.3, 0.2, 0.12,
  0.09, 0.07, 0.06,
]
/** Visitors by day, without the overnight stays (added per Comune). */
const VISITOR = [
  0, 0, 0, 0, 0, 0.01, 0.03, 0.08, 0.2, 0.4, 0.6, 0.72, 0.76, 0.74, 0.8, 0.9, 0.97, 1, 0.98, 0.94, 0.86, 0.7, 0.45, 0.2,
]
const RES_PRESENT: Record<DayType, readonly number[]> = {
  weekday: [
    0.97, 0.97, 0.97, 0.97, 0.97, 0.96, 0.93, 0.86, 0.79, 0.77, 0.77, 0.77, 0.79, 0.8, 0.78, 0.78, 0.8, 0.84, 0.89,
    0.92, 0.94, 0.95, 0.96, 0.97,
  ],
  saturday: [
    0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.95, 0.93, 0.9, 0.87, 0.85, 0.85, 0.87, 0.88, 0.86, 0.85, 0.85, 0.86, 0.88,
    0.9, 0.91, 0.92, 0.93, 0.95,
  ],
  sunday_holiday: [
    0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.94, 0.92, 0.89, 0.86, 0.85, 0.87, 0.88, 0.86, 0.84, 0.84, 0.85, 0.88,
    0.9, 0.92, 0.93, 0.94, 0.95,
  ],
}
/** Share of the residents away from home (somewhere else in the Comune) by hour. */
const RES_MOBILE = [
  0, 0, 0, 0, 0, 0.02, 0.08, 0.25, 0.45, 0.55, 0.58, 0.58, 0.5, 0.45, 0.55, 0.55, 0.5, 0.42, 0.3, 0.2, 0.12, 0.06, 0.02,
  0,
]
export const SHAPES = {
  comics: [
    0.1, 0.08, 0.07, 0.07, 0.07, 0.09, 0.15, 0.3, 0.55, 0.85, 1, 1, 1, 1, 1, 1, 0.97, 0.9, 0.78, 0.62, 0.5, 0.4, 0.3,
    0.18,
  ],
  evening: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.03, 0.08, 0.15, 0.35, 0.65, 0.9, 1, 0.95, 0.55],
  fair: [
    0.01, 0.01, 0.01, 0.01, 0.01, 0.02, 0.06, 0.2, 0.55, 0.9, 1, 1, 1, 1, 1, 0.95, 0.85, 0.6, 0.3, 0.12, 0.06, 0.03,
    0.02, 0.01,
  ],
  festival: [
    0.12, 0.1, 0.1, 0.1, 0.1, 0.1, 0.12, 0.18, 0.3, 0.55, 0.85, 1, 1, 0.95, 0.95, 1, 1, 1, 1, 0.95, 0.9, 0.85, 0.6, 0.3,
  ],
} as const

const COMMUTER_PEAK = 0.85
const VISITOR_PEAK = 0.55

// ---------------------------------------------------------------------------------------------------------------
// Profiles

const fair = (name: string, start: string, visitors: number[], commuters: number, foreign: number): DemoEvent => ({
  name,
  start,
  visitors,
  commuters,
  at: 'fair',
  shape: SHAPES.fair,
  peak: 0.6,
  foreign,
})

export const PROFILES: Record<string, DemoProfile> = {
  '046017': {
    istat: '046017',
    name: 'Lucca',
    population: 89_000,
    commuters: 24_000,
    visitors: 9_000,
    season: [0.45, 0.5, 0.72, 1.0, 1.1, 1.15, 1.3, 1.3, 1.1, 0.85, 0.62, 0.62],
    foreignShare: [0.16, 0.17, 0.24, 0.34, 0.4, 0.46, 0.52, 0.5, 0.45, 0.33, 0.2, 0.17],
    week: [1.5, 0.95, 0.92, 0.95, 1, 1.12, 1.4],
    overnight: 0.32,
    italianOrigins: [
      ['p:048', 0.2],
      ['p:050', 0.13],
      ['p:015', 0.1],
      ['p:058', 0.08],
      ['p:049', 0.07],
      ['p:047', 0.07],
      ['p:037', 0.06],
    ],
    foreignOrigins: [
      ['c:262', 0.16],
      ['c:310', 0.12],
      ['c:234', 0.1],
      ['c:208', 0.1],
      ['c:204', 0.07],
      ['c:228', 0.05],
      ['c:214', 0.05],
      ['c:460', 0.03],
    ],
    neighbours: [
      ['m:046007', 0.24],
      ['m:046026', 0.08],
      ['m:050026', 0.1],
      ['m:046033', 0.07],
    ],
    events: (y) => {
      const end = nearestSunday(y, 11, 1)
      const out: DemoEvent[] = [
        {
          name: 'Lucca Comics & Games',
          start: addDays(end, -4),
          visitors: [0.13, 0.17, 0.2, 0.27, 0.23].map((s) => s * 250_000),
          commuters: 3_000,
          at: 'centre',
          shape: SHAPES.comics,
          peak: 0.5,
          foreign: 0.1,
        },
      ]
      // Lucca Summer Festival: about eight evening concerts in the first three weeks of July
      for (let d = 3; d <= 24; d += 3) {
        out.push({
          name: 'Lucca Summer Festival',
          start: ymd(y, 7, d),
          visitors: [12_000],
          commuters: 400,
          at: 'centre',
          shape: SHAPES.evening,
          peak: 0.85,
          foreign: 0.3,
        })
      }
      return out
    },
  },
  '015170': {
    istat: '015170',
    name: 'Pero',
    population: 11_000,
    commuters: 8_500,
    visitors: 1_800,
    season: [0.9, 1, 1.02, 1.02, 1.02, 0.98, 0.9, 0.55, 1, 1.02, 1, 0.8],
    foreignShare: [0.1, 0.11, 0.12, 0.13, 0.13, 0.13, 0.14, 0.14, 0.13, 0.12, 0.11, 0.1],
    week: [0.6, 1, 1, 1, 1, 0.95, 0.7],
    overnight: 0.35,
    italianOrigins: [
      ['p:016', 0.09],
      ['p:012', 0.08],
      ['p:013', 0.07],
      ['p:017', 0.07],
      ['p:001', 0.08],
      ['p:058', 0.08],
      ['p:097', 0.05],
    ],
    foreignOrigins: [
      ['c:262', 0.12],
      ['c:208', 0.1],
      ['c:460', 0.1],
      ['c:214', 0.08],
      ['c:228', 0.08],
      ['c:310', 0.07],
      ['c:234', 0.07],
    ],
    neighbours: [
      ['m:015146', 0.38],
      ['m:015182', 0.12],
      ['m:015179', 0.04],
      ['m:015210', 0.06],
    ],
    events: (y) => {
      const out = [
        fair('Salone del Mobile', onOrAfter(y, 4, 14, 2), [16e3, 18e3, 19e3, 20e3, 24e3, 20e3], 4_500, 0.35),
        fair('TUTTOFOOD', onOrAfter(y, 5, 5, 1), [7e3, 8e3, 7e3, 5e3], 2_000, 0.2),
        fair('MICAM - MIPEL (inverno)', onOrAfter(y, 2, 16, 0), [6e3, 7e3, 6e3, 4e3], 2_000, 0.35),
        fair('MICAM - MIPEL (autunno)', onOrAfter(y, 9, 14, 0), [6e3, 7e3, 6e3, 4e3], 2_000, 0.35),
        fair('EICMA', onOrAfter(y, 11, 4, 2), [5e3, 12e3, 14e3, 16e3, 22e3, 20e3], 3_500, 0.25),
        fair(
          'Artigiano in Fiera',
          onOrAfter(y, 11, 29, 6),
          [16e3, 20e3, 9e3, 9e3, 10e3, 12e3, 14e3, 18e3, 20e3],
          2_500,
          0.08,
        ),
      ]
      if (y % 2 === 1) out.push(fair('HOST', onOrAfter(y, 10, 13, 5), [9e3, 11e3, 12e3, 11e3, 8e3], 3_000, 0.4))
      return out
    },
  },
  '020030': {
    istat: '020030',
    name: 'Mantova',
    population: 49_000,
    commuters: 20_000,
    visitors: 5_000,
    season: [0.5, 0.55, 0.78, 0.95, 1.05, 1.05, 1.12, 1.15, 1.15, 0.9, 0.65, 0.68],
    foreignShare: [0.09, 0.1, 0.14, 0.2, 0.24, 0.3, 0.36, 0.36, 0.3, 0.2, 0.12, 0.1],
    week: [1.55, 0.95, 0.92, 0.95, 1, 1.1, 1.4],
    overnight: 0.25,
    italianOrigins: [
      ['p:023', 0.15],
      ['p:015', 0.14],
      ['p:017', 0.1],
      ['p:037', 0.08],
      ['p:035', 0.07],
      ['p:036', 0.07],
      ['p:019', 0.06],
    ],
    foreignOrigins: [
      ['c:262', 0.2],
      ['c:208', 0.1],
      ['c:232', 0.07],
      ['c:204', 0.07],
      ['c:234', 0.07],
      ['c:228', 0.06],
      ['c:310', 0.06],
    ],
    neighbours: [
      ['m:020042', 0.1],
      ['m:020021', 0.1],
      ['m:020071', 0.09],
      ['m:020055', 0.07],
    ],
    events: (y) => [
      {
        name: 'Festivaletteratura',
        start: onOrAfter(y, 9, 3, 3),
        visitors: [8e3, 11e3, 13e3, 16e3, 14e3],
        commuters: 600,
        at: 'centre',
        shape: SHAPES.festival,
        peak: 0.55,
        foreign: 0.08,
      },
    ],
  },
}

// ---------------------------------------------------------------------------------------------------------------
// Randomness

function gauss(r: () => number): number {
  const u = 1 - r()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r())
}

/** A count with mean `l`: Poisson for small means, normal approximation above. */
function draw(l: number, r: () => number): number {
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

interface Prepared {
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

function prepare(profile: DemoProfile, zones: DemoZone[], fromDay: string, toDay: string): Prepared {
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

interface DayModel {
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

function dayModel(p: Prepared, day: string, seed: number): DayModel {
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
