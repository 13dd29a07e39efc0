/**
 * The demo Comuni as the synthetic generator sees them: population, commuters, visitors, seasons, origins,
 * neighbours and their events (Lucca Comics & Games, the fairs at Fiera Milano Rho-Pero, Festivaletteratura...),
 * with the calendar rules that date the events each year.
 */
import { addDays, weekday } from '../calendar/holidays.js'
import { SHAPES } from './shapes.js'
import type { ZoneKind } from './zones.js'

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
