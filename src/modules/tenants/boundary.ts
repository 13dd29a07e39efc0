/** Shape checks of a boundary (GeoJSON Polygon or MultiPolygon, WGS84) before it reaches PostGIS. */
import { AppError } from '../../errors.js'

const MAX_POSITIONS = 500_000

function bad(msg: string): never {
  throw new AppError('BadRequestData', `Invalid boundary: ${msg}`)
}

function checkRing(ring: unknown, count: { n: number }): void {
  if (!Array.isArray(ring) || ring.length < 4) bad('each ring needs at least 4 positions')
  for (const pos of ring) {
    if (
      !Array.isArray(pos) ||
      pos.length < 2 ||
      pos.length > 3 ||
      !pos.every((c) => typeof c === 'number' && Number.isFinite(c))
    ) {
      bad('a position must be [longitude, latitude]')
    }
    const [lon, lat] = pos as number[]
    if (lon! < -180 || lon! > 180 || lat! < -90 || lat! > 90) bad(`position [${lon}, ${lat}] is outside WGS84 bounds`)
    if (++count.n > MAX_POSITIONS) bad(`more than ${MAX_POSITIONS} positions`)
  }
  const first = ring[0] as number[]
  const last = ring[ring.length - 1] as number[]
  if (first[0] !== last[0] || first[1] !== last[1]) bad('each ring must be closed (first position = last position)')
}

/** Accepts a Polygon or MultiPolygon geometry, or a Feature / FeatureCollection of one; returns a MultiPolygon geometry. */
export function validateBoundary(input: unknown): { type: 'MultiPolygon'; coordinates: unknown[] } {
  let g = input as any
  if (g?.type === 'FeatureCollection') {
    if (!Array.isArray(g.features) || g.features.length !== 1) bad('a FeatureCollection must hold exactly one feature')
    g = g.features[0]
  }
  if (g?.type === 'Feature') g = g.geometry
  if (!g || typeof g !== 'object') bad('expected a GeoJSON Polygon or MultiPolygon')
  const count = { n: 0 }
  if (g.type === 'Polygon') {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) bad('a Polygon needs rings')
    for (const ring of g.coordinates) checkRing(ring, count)
    return { type: 'MultiPolygon', coordinates: [g.coordinates] }
  }
  if (g.type === 'MultiPolygon') {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) bad('a MultiPolygon needs polygons')
    for (const poly of g.coordinates) {
      if (!Array.isArray(poly) || poly.length === 0) bad('a polygon needs rings')
      for (const ring of poly) checkRing(ring, count)
    }
    return { type: 'MultiPolygon', coordinates: g.coordinates }
  }
  bad(`expected a Polygon or MultiPolygon, got ${String(g.type)}`)
}
