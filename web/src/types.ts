/** Shapes of the public portal API (/api/portal/...) and of /api/tenants. */
import type { Localized } from './i18n'

export interface Tenant {
  id: string
  name: string
  province?: string
  region?: string
  population?: number
  boundary?: GeoJSON | null
  center?: [number, number] | null
}

/** GeoJSON, passed through to MapLibre as-is. */
export type GeoJSON = any

export interface Category {
  id: string
  label: Localized
  types: string[]
  primary: { attr: string; unit?: string; label: Localized; scale: [number, string][] }
}

export interface AttrValue {
  value: unknown
  unitCode?: string
  observedAt?: string
}

export interface PortalEntity {
  id: string
  type: string
  category: string
  name: string
  location: { type: string; coordinates: unknown } | null
  observedAt: string | null
  values: Record<string, AttrValue>
  /** The attribute the map colours this entity by (gas meters: numValue rather than the category's primary). */
  primaryAttr?: string
}

export interface SeriesPoint {
  t: string
  avg: number | null
  min: number | null
  max: number | null
}

export interface Series {
  attr: string
  unitCode?: string
  period: string
  bucket: string
  points: SeriesPoint[]
}

export interface CityNow {
  at: string
  air: {
    index: number
    level: string
    stations: number
    no2?: number
    pm10?: number
    pm25?: number
    o3?: number
  } | null
  weather: { temperature?: number; relativeHumidity?: number; precipitation?: number; windSpeed?: number } | null
  traffic: { intensity?: number; averageVehicleSpeed?: number; congested?: number; roads?: number } | null
  parking: { free: number; total: number; carParks: number } | null
  energy: { todayKWh: number; powerKW?: number; buildings: number } | null
}
