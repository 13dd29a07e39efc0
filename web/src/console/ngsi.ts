/** NGSI-LD helpers for the console: the tenant header and the Smart Data Models @context of each entity type. */
import { request } from '../api'

export const SDM = (domain: string) =>
  `https://raw.githubusercontent.com/smart-data-models/dataModel.${domain}/master/context.jsonld`

/** The Smart Data Models domain each public type is written with (the simulator's and the device gateway's). */
export const TYPE_DOMAIN: Record<string, string> = {
  AirQualityObserved: 'Environment',
  WeatherObserved: 'Weather',
  TrafficFlowObserved: 'Transportation',
  OffStreetParking: 'Parking',
  WasteContainer: 'WasteManagement',
  Streetlight: 'Streetlighting',
  ThreePhaseAcMeasurement: 'Energy',
  DeviceMeasurement: 'Device',
  IndoorEnvironmentObserved: 'Environment',
  CrowdFlowObserved: 'Transportation',
}

export const TYPES = Object.keys(TYPE_DOMAIN)

export function contextFor(type: string | undefined): string {
  return SDM(TYPE_DOMAIN[type ?? ''] ?? 'Environment')
}

export function ngsiHeaders(tenant: string, type?: string, context?: string): Record<string, string> {
  return {
    'NGSILD-Tenant': tenant,
    Link: `<${context ?? contextFor(type)}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
  }
}

export interface NgsiEntity {
  id: string
  type: string
  [attr: string]: unknown
}

export interface NgsiAttr {
  type: string
  value?: unknown
  object?: unknown
  observedAt?: string
  unitCode?: string
  [k: string]: unknown
}

export interface QueryParams {
  type?: string
  q?: string
  polygon?: [number, number][] | null
  limit: number
  offset: number
}

export function entitiesUrl(p: QueryParams): string {
  const s = new URLSearchParams()
  if (p.type) s.set('type', p.type)
  if (p.q) s.set('q', p.q)
  if (p.polygon && p.polygon.length >= 4) {
    s.set('georel', 'within')
    s.set('geometry', 'Polygon')
    s.set('coordinates', JSON.stringify([p.polygon]))
  }
  s.set('limit', String(p.limit))
  s.set('offset', String(p.offset))
  s.set('count', 'true')
  return `/ngsi-ld/v1/entities?${s}`
}

export async function queryEntities(tenant: string, p: QueryParams): Promise<{ items: NgsiEntity[]; total: number }> {
  const r = await request<NgsiEntity[]>(entitiesUrl(p), { headers: ngsiHeaders(tenant, p.type) })
  const total = Number(r.headers.get('NGSILD-Results-Count') ?? r.data.length)
  return { items: r.data, total }
}

/** Rectangle corners -> a closed polygon ring (lon, lat). */
export function rectangle(a: [number, number], b: [number, number]): [number, number][] {
  const [x1, x2] = [Math.min(a[0], b[0]), Math.max(a[0], b[0])]
  const [y1, y2] = [Math.min(a[1], b[1]), Math.max(a[1], b[1])]
  const r = (n: number) => Math.round(n * 1e6) / 1e6
  return [
    [r(x1), r(y1)],
    [r(x2), r(y1)],
    [r(x2), r(y2)],
    [r(x1), r(y2)],
    [r(x1), r(y1)],
  ]
}

/** Parses what the user typed for an attribute, keeping the kind of the current value. */
export function parseAttrInput(
  current: unknown,
  text: string,
): { ok: true; value: unknown } | { ok: false; kind: 'number' | 'json' } {
  if (typeof current === 'number') {
    const n = Number(text.trim().replace(',', '.'))
    return text.trim() !== '' && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, kind: 'number' }
  }
  if (typeof current === 'boolean') {
    const s = text.trim().toLowerCase()
    if (['true', 'sì', 'si', 'yes'].includes(s)) return { ok: true, value: true }
    if (['false', 'no'].includes(s)) return { ok: true, value: false }
    return { ok: false, kind: 'json' }
  }
  if (current !== null && typeof current === 'object') {
    try {
      return { ok: true, value: JSON.parse(text) }
    } catch {
      return { ok: false, kind: 'json' }
    }
  }
  return { ok: true, value: text }
}

/** The value shown for an attribute in tables. */
export function attrValue(a: unknown): unknown {
  if (Array.isArray(a)) return attrValue(a[0])
  if (a && typeof a === 'object') {
    const o = a as NgsiAttr
    if ('value' in o) return o.value
    if ('object' in o) return o.object
  }
  return a
}
