/**
 * GeoJSON geometry validation (IETF RFC 7946, as restricted by NGSI-LD clause 4.7: no GeometryCollection).
 */
import { fail, isPlainObject } from './validation.js'

export const GEOMETRY_TYPES: ReadonlySet<string> = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
])

export type Geometry = { type: string; coordinates: unknown; [member: string]: unknown }

/** An object whose `type` names a GeoJSON geometry: how a concise GeoProperty is recognized (clause 4.7.3). */
export function looksLikeGeometry(v: unknown): v is Record<string, unknown> {
  return (
    isPlainObject(v) && typeof v.type === 'string' && (GEOMETRY_TYPES.has(v.type) || v.type === 'GeometryCollection')
  )
}

function checkPosition(p: unknown, path: string): number[] {
  if (!Array.isArray(p)) fail(path, 'a position must be an array of numbers')
  for (const n of p) {
    if (typeof n !== 'number' || !Number.isFinite(n)) fail(path, 'a position must contain only numbers')
  }
  if (p.length < 2 || p.length > 3) fail(path, `a position must have 2 or 3 numbers, not ${p.length}`)
  const [lon, lat] = p as [number, number]
  if (lon < -180 || lon > 180) fail(path, `longitude ${lon} is out of range [-180, 180]`)
  if (lat < -90 || lat > 90) fail(path, `latitude ${lat} is out of range [-90, 90]`)
  return p as number[]
}

function checkArray(v: unknown, path: string, what: string, min: number): unknown[] {
  if (!Array.isArray(v)) fail(path, `${what} must be an array`)
  if (v.length < min) fail(path, `${what} must have at least ${min} element${min === 1 ? '' : 's'}`)
  return v
}

function checkLineString(v: unknown, path: string): void {
  checkArray(v, path, 'a LineString', 2).forEach((p, i) => {
    checkPosition(p, `${path}[${i}]`)
  })
}

function checkPolygon(v: unknown, path: string): void {
  checkArray(v, path, 'a Polygon', 1).forEach((ring, r) => {
    const rp = `${path}[${r}]`
    const positions = checkArray(ring, rp, 'a linear ring', 4).map((p, i) => checkPosition(p, `${rp}[${i}]`))
    const first = positions[0]!
    const last = positions[positions.length - 1]!
    if (first.length !== last.length || first.some((n, i) => n !== last[i])) {
      fail(rp, 'a linear ring must be closed (its first and last positions must be equal)')
    }
  })
}

/**
 * Validates a geometry and returns it. A string is accepted if it parses to a geometry (clause 4.7.2); the parsed
 * object is returned. Throws BadRequestData naming `path` otherwise.
 */
export function validateGeometry(v: unknown, path: string): Geometry {
  let g = v
  if (typeof g === 'string') {
    try {
      g = JSON.parse(g)
    } catch {
      fail(path, 'a GeoProperty value must be a GeoJSON geometry (or a string holding one)')
    }
  }
  if (!isPlainObject(g)) fail(path, 'a GeoProperty value must be a GeoJSON geometry object')
  if (g.type === 'GeometryCollection') fail(path, 'GeometryCollection is not supported by NGSI-LD')
  if (typeof g.type !== 'string' || !GEOMETRY_TYPES.has(g.type)) {
    fail(path, `unknown GeoJSON geometry type ${JSON.stringify(g.type)}`)
  }
  const c = g.coordinates
  const cp = `${path}.coordinates`
  if (c === undefined) fail(path, `a ${g.type} must have coordinates`)
  switch (g.type) {
    case 'Point':
      checkPosition(c, cp)
      break
    case 'MultiPoint':
      checkArray(c, cp, 'a MultiPoint', 1).forEach((p, i) => {
        checkPosition(p, `${cp}[${i}]`)
      })
      break
    case 'LineString':
      checkLineString(c, cp)
      break
    case 'MultiLineString':
      checkArray(c, cp, 'a MultiLineString', 1).forEach((l, i) => {
        checkLineString(l, `${cp}[${i}]`)
      })
      break
    case 'Polygon':
      checkPolygon(c, cp)
      break
    default:
      checkArray(c, cp, 'a MultiPolygon', 1).forEach((p, i) => {
        checkPolygon(p, `${cp}[${i}]`)
      })
  }
  if (g.bbox !== undefined) {
    const b = g.bbox
    if (!Array.isArray(b) || (b.length !== 4 && b.length !== 6) || b.some((n) => typeof n !== 'number')) {
      fail(`${path}.bbox`, 'bbox must be an array of 4 or 6 numbers')
    }
  }
  return g as Geometry
}

/** True if the value is a valid geometry (no exception). */
export function isValidGeometry(v: unknown): v is Geometry {
  if (!looksLikeGeometry(v)) return false
  try {
    validateGeometry(v, '')
    return true
  } catch {
    return false
  }
}
