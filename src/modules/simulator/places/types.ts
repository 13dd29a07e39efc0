/** The places of a demo Comune where the simulated sensors stand (real names, coordinates inside its boundary). */

/** [longitude, latitude] (WGS84). */
export type LonLat = [number, number]

export interface Place {
  name: string
  at: LonLat
}

export interface ComunePlan {
  istat: string
  /** Used in device ids: `lucca-aq-01`. */
  slug: string
  name: string
  /** Climate: yearly mean and half-range of the daily mean temperature (°C), for the weather model. */
  climate: { mean: number; amplitude: number }
  /** Heating season (DPR 412/93 climate zone): D from 1 Nov, E from 15 Oct, both to 15 Apr. */
  heatingZone: 'D' | 'E'
  /** Weekly council session: day (0 = Sunday), start hour, hours. */
  council: { weekday: number; start: number; hours: number; members: number }
  /** Extra visitors in these days of the year (1-based, inclusive): e.g. Lucca Comics & Games. */
  events?: { from: number; to: number; factor: number }[]
  air: (Place & { station: 'traffic' | 'background' })[]
  weather: Place[]
  traffic: (Place & { capacity: number; freeSpeed: number })[]
  parking: (Place & { spots: number })[]
  waste: (Place & { waste: 'organic' | 'paper' | 'plastic' | 'glass' | 'residual' })[]
  lights: (Place & { watts: number })[]
  buildings: (Place & { kind: 'townhall' | 'school' })[]
  rooms: (Place & { kind: 'chamber' | 'meeting'; seats: number })[]
  counters: (Place & { popularity: number })[]
  hotspots: (Place & { popularity: number })[]
}
