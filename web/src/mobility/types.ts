/**
 * Shapes of the mobility API (`/api/mobility/{tenant}/...`, docs/mobility.md "HTTP API"). Kept here rather than
 * imported from src/modules/mobility so that the web app does not depend on server code.
 */

/** A published count: a number, null (no data) or "suppressed" (below the tenant's k-threshold). */
export type Cell = number | null | 'suppressed'
export const SUPPRESSED = 'suppressed' as const

export const PEOPLE_CLASSES = ['resident', 'commuter', 'italian_visitor', 'foreign_visitor'] as const
export type PeopleClass = (typeof PEOPLE_CLASSES)[number]
export type ClassFilter = PeopleClass | 'activity' | 'all'
export type DayType = 'weekday' | 'saturday' | 'sunday_holiday'
export const DAY_TYPES: DayType[] = ['weekday', 'saturday', 'sunday_holiday']

export interface Meta {
  tenant: string
  /** In the contract; the server does not send it yet. */
  name?: string
  k: number
  synthetic: boolean
  classes: string[]
  range: { from: string; to: string } | null
  zones: number
  layers: { layer: string; count: number }[]
  flows: { from: string; to: string } | null
  origins: boolean
  timezone: string
}

export interface ZoneFeature {
  type: 'Feature'
  id?: string | number
  geometry: { type: string; coordinates: unknown }
  properties: { zone: string; name: string; layer: string; [k: string]: unknown }
}
export interface Zones {
  type: 'FeatureCollection'
  features: ZoneFeature[]
}

export interface Heatmap {
  day: string
  class: string
  k: number
  zones: { zone: string; name: string; values: Cell[] }[]
}

export interface Series {
  zone: string
  name: string
  resolution: 'hour' | 'day'
  times: string[]
  classes: Record<PeopleClass, Cell[]>
  total: Cell[]
}

export interface Profiles {
  zone: string
  class: string
  profiles: Record<DayType, Cell[]>
  days: Record<DayType, number>
  holidays: { date: string; name: string }[]
}

export interface OriginItem {
  origin: string
  code: string
  name: string
  value: Cell
  share: number | null
}
export interface Origins {
  kind: 'country' | 'province' | 'municipality'
  class: string
  items: OriginItem[]
  other: Cell
  total: Cell
}

export interface Flow {
  origin: string
  originName: string
  destination: string
  destinationName: string
  count: Cell
  from: [number, number] | null
  to: [number, number] | null
}
export interface Flows {
  class: string
  items: Flow[]
}

export interface Od {
  zones: { zone: string; name: string }[]
  cells: Cell[][]
}

export interface Commuters {
  hours: number[]
  inflow: Cell[]
  outflow: Cell[]
  days: number
  /** The departure bands the counts come in (the hourly arrays hold a band's count at its first hour). */
  bands?: { from: number; to: number; inflow: Cell; outflow: Cell }[]
}

export interface TourismDay {
  date: string
  visitors: Cell
  italian: Cell
  foreign: Cell
  overnight: Cell
  lastYear: Cell
}
export interface TourismTotals {
  /** Days with data in the period. */
  days?: number
  visitors: Cell
  italian: Cell
  foreign: Cell
  foreignShare: number | null
  overnight: Cell
  lastYearVisitors: Cell
  change: number | null
}
export interface Tourism {
  days: TourismDay[]
  totals: TourismTotals
}

export interface EventDay {
  date: string
  value: Cell
  usual: Cell
  ratio: number | null
  dayType: DayType
  holiday: string | null
}
export interface Events {
  items: EventDay[]
}

export interface Forecast {
  zone: string
  class: string
  model: string
  issued: string
  times: string[]
  forecast: number[]
  lower: number[]
  upper: number[]
  history: { times: string[]; values: Cell[] }
  accuracy: { model: { mape: number | null }; seasonalNaive: { mape: number | null }; weeks: number }
}

export interface Alert {
  id: string
  zone: string
  zoneName: string
  class: string
  observedAt: string
  observed: number | null
  forecast: number | null
  lower: number | null
  upper: number | null
  severity: string
  description: string
}
export interface Alerts {
  items: Alert[]
}

export interface ImportProblem {
  line: number
  reason: string
}
export interface ImportSummary {
  id: string | number
  rows: number
  imported: number
  rejected: number
  problems: ImportProblem[]
  days: { from: string; to: string } | null
  seconds: number
}
export interface ImportRecord {
  id: number
  kind: string
  format: string
  filename: string | null
  actor: string | null
  startedAt: string
  finishedAt: string | null
  status: string
  rows: number
  imported: number
  rejected: number
  firstDay: string | null
  lastDay: string | null
  problems: ImportProblem[]
}
export interface ImportProgress {
  rows: number
  imported: number
  rejected: number
}

/** `GET /report`: everything the printable report shows (src/modules/mobility/report.ts). */
export interface Report {
  tenant: string
  name: string
  from: string
  to: string
  generated: string
  k: number
  synthetic: boolean
  source: string
  figures: TourismTotals & { peakDay: { date: string; visitors: Cell } | null }
  tourism: TourismDay[]
  profiles: Record<DayType, Cell[]>
  /** Foreign visitors by country. */
  countries: OriginItem[]
  /** Italian visitors by province. */
  provinces: OriginItem[]
  flows: Flow[]
  events: EventDay[]
  accuracy: Forecast['accuracy'] | null
}
