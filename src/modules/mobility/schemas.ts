/** Validation of the mobility API's inputs: parameters, settings, column mappings, JSON records and zone layers. */
import { AppError } from '../../errors.js'
import { FLOW_FIELDS } from './import/flows.js'
import { PRESENCE_FIELDS } from './import/presence.js'
import type { Mapping } from './import/mapping.js'
import { CLASSES, ZONE_RE } from './model.js'

export const TAG = ['mobility']
const NAME_RE = /^[A-Za-z0-9_-]{1,40}$/

export function zoneParam(v: unknown): string {
  const z = v === undefined || v === '' ? 'all' : String(v)
  if (!ZONE_RE.test(z))
    throw new AppError('BadRequestData', 'zone must be all or a zone id (1-64 letters, digits, _.:-/)')
  return z
}

export function layerParam(v: unknown): string {
  const l = v === undefined || v === '' ? 'zones' : String(v)
  if (!NAME_RE.test(l)) throw new AppError('BadRequestData', 'layer must be 1-40 letters, digits, _ or -')
  return l
}

const FIELDS = new Set<string>([...PRESENCE_FIELDS, ...FLOW_FIELDS])

/** A column mapping as sent by a client (see docs/mobility.md); throws BadRequestData on anything else. */
export function checkMapping(m: unknown): Mapping {
  const bad = (why: string) => new AppError('BadRequestData', `mapping: ${why}`)
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw bad('must be an object')
  const o = m as Record<string, unknown>
  for (const key of Object.keys(o)) {
    if (!['columns', 'classes', 'originKind', 'delimiter'].includes(key)) throw bad(`unknown key ${key}`)
  }
  const out: Mapping = {}
  if (o.columns !== undefined) {
    if (typeof o.columns !== 'object' || o.columns === null) throw bad('columns must be an object')
    const cols: Record<string, string> = {}
    for (const [f, c] of Object.entries(o.columns as Record<string, unknown>)) {
      if (!FIELDS.has(f)) throw bad(`columns: unknown field ${f}`)
      if (typeof c !== 'string' || c.length === 0 || c.length > 100) throw bad(`columns.${f} must be a column name`)
      cols[f] = c
    }
    out.columns = cols
  }
  if (o.classes !== undefined) {
    if (typeof o.classes !== 'object' || o.classes === null) throw bad('classes must be an object')
    const cls: Record<string, (typeof CLASSES)[number]> = {}
    for (const [v, c] of Object.entries(o.classes as Record<string, unknown>)) {
      if (typeof c !== 'string' || !(CLASSES as readonly string[]).includes(c))
        throw bad(`classes.${v} must be one of ${CLASSES.join(', ')}`)
      if (v.length > 100) throw bad('a class value is longer than 100 characters')
      cls[v] = c as (typeof CLASSES)[number]
    }
    out.classes = cls
  }
  if (o.originKind !== undefined) {
    if (!['country', 'province', 'municipality'].includes(String(o.originKind)))
      throw bad('originKind must be country, province or municipality')
    out.originKind = o.originKind as Mapping['originKind']
  }
  if (o.delimiter !== undefined) {
    if (![',', ';', '\t', '|'].includes(String(o.delimiter))) throw bad('delimiter must be one of , ; tab |')
    out.delimiter = String(o.delimiter)
  }
  return out
}

export const settingsBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    k: { type: 'integer', minimum: 3, maximum: 1000, description: 'counts below k are suppressed (default 30)' },
    mapping: { type: 'object' },
  },
} as const

export const recordsBody = {
  type: 'array',
  maxItems: 10_000,
  items: { type: 'object' },
} as const

const MAX_ZONES = 50_000

/** Zones of a GeoJSON FeatureCollection: id from `idProperty` (else the feature id), name from `nameProperty`. */
export function zonesFromGeoJson(body: unknown, idProperty?: string, nameProperty?: string) {
  const bad = (why: string) => new AppError('BadRequestData', why)
  const fc = body as { type?: unknown; features?: unknown }
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw bad('send a GeoJSON FeatureCollection')
  if (fc.features.length === 0) throw bad('the FeatureCollection has no features')
  if (fc.features.length > MAX_ZONES) throw bad(`at most ${MAX_ZONES} zones per layer`)
  const seen = new Set<string>()
  return fc.features.map((f: unknown, i: number) => {
    const feat = f as {
      id?: unknown
      properties?: Record<string, unknown> | null
      geometry?: { type?: unknown } | null
    }
    const rawId = idProperty ? feat.properties?.[idProperty] : (feat.id ?? feat.properties?.zone ?? feat.properties?.id)
    if (rawId === undefined || rawId === null)
      throw bad(`feature ${i}: no zone id (${idProperty ? `property ${idProperty}` : 'feature id'})`)
    const zone = String(rawId)
    if (!ZONE_RE.test(zone)) throw bad(`feature ${i}: zone id "${zone.slice(0, 40)}" is not accepted`)
    if (seen.has(zone)) throw bad(`feature ${i}: zone id ${zone} appears twice`)
    seen.add(zone)
    const t = feat.geometry?.type
    if (!['Polygon', 'MultiPolygon', 'Point'].includes(String(t)))
      throw bad(`feature ${i}: geometry must be a Polygon, MultiPolygon or Point`)
    const why = geometryProblem(feat.geometry as { type: string; coordinates?: unknown })
    if (why) throw bad(`feature ${i} (${zone}): ${why}`)
    const name = feat.properties?.[nameProperty ?? 'name']
    return {
      zone,
      name: name === undefined || name === null ? null : String(name).slice(0, 200),
      geometry: feat.geometry,
    }
  })
}

const isPos = (p: unknown) =>
  Array.isArray(p) &&
  p.length >= 2 &&
  typeof p[0] === 'number' &&
  typeof p[1] === 'number' &&
  Math.abs(p[0]) <= 180 &&
  Math.abs(p[1]) <= 90

function ringProblem(ring: unknown): string | undefined {
  if (!Array.isArray(ring) || ring.length < 4) return 'a ring needs at least 4 positions'
  if (!ring.every(isPos)) return 'a position is not [longitude, latitude] in WGS84'
  const a = ring[0] as number[]
  const b = ring[ring.length - 1] as number[]
  if (a[0] !== b[0] || a[1] !== b[1]) return 'a ring is not closed'
  return undefined
}

/** Why a zone geometry is not a usable WGS84 Point, Polygon or MultiPolygon (PostGIS checks validity after). */
function geometryProblem(g: { type: string; coordinates?: unknown }): string | undefined {
  const c = g.coordinates
  if (g.type === 'Point') return isPos(c) ? undefined : 'the point is not [longitude, latitude]'
  const polygons = g.type === 'Polygon' ? [c] : c
  if (!Array.isArray(polygons) || polygons.length === 0) return 'no coordinates'
  for (const poly of polygons) {
    if (!Array.isArray(poly) || poly.length === 0) return 'a polygon has no rings'
    for (const ring of poly) {
      const why = ringProblem(ring)
      if (why) return why
    }
  }
  return undefined
}
