/** Turning portal entities into GeoJSON features for the map, grouped by category. */
import type { Category, PortalEntity } from '../types'

export interface PointFeature {
  type: 'Feature'
  id?: number
  geometry: { type: 'Point'; coordinates: [number, number] }
  properties: { id: string; name: string; v?: number }
}

/** A representative point of a geometry (its first coordinate pair; polygons/lines: the first vertex average). */
export function pointOf(geometry: PortalEntity['location']): [number, number] | null {
  if (!geometry) return null
  const flat: number[][] = []
  const walk = (c: unknown) => {
    if (Array.isArray(c) && typeof c[0] === 'number') flat.push(c as number[])
    else if (Array.isArray(c)) for (const x of c) walk(x)
  }
  walk(geometry.coordinates)
  if (flat.length === 0) return null
  if (geometry.type === 'Point') return [flat[0]![0]!, flat[0]![1]!]
  const lon = flat.reduce((s, p) => s + p[0]!, 0) / flat.length
  const lat = flat.reduce((s, p) => s + p[1]!, 0) / flat.length
  return [lon, lat]
}

export function primaryValue(e: PortalEntity, cat: Category | undefined): number | undefined {
  if (!cat) return undefined
  const v = e.values[cat.primary.attr]?.value
  return typeof v === 'number' ? v : undefined
}

export function toFeatures(entities: Iterable<PortalEntity>, cat: Category | undefined): PointFeature[] {
  const out: PointFeature[] = []
  for (const e of entities) {
    const p = pointOf(e.location)
    if (!p) continue
    const v = primaryValue(e, cat)
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: p },
      properties: v === undefined ? { id: e.id, name: e.name } : { id: e.id, name: e.name, v },
    })
  }
  return out
}

/** [[minLon, minLat], [maxLon, maxLat]] of any GeoJSON geometry / feature / collection. */
export function bbox(geo: unknown): [[number, number], [number, number]] | null {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  const walk = (c: unknown) => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      minX = Math.min(minX, c[0] as number)
      maxX = Math.max(maxX, c[0] as number)
      minY = Math.min(minY, c[1] as number)
      maxY = Math.max(maxY, c[1] as number)
    } else if (Array.isArray(c)) for (const x of c) walk(x)
    else if (c && typeof c === 'object') {
      const o = c as { coordinates?: unknown; geometry?: unknown; features?: unknown[]; geometries?: unknown[] }
      if (o.coordinates) walk(o.coordinates)
      if (o.geometry) walk(o.geometry)
      if (o.features) for (const f of o.features) walk(f)
      if (o.geometries) for (const g of o.geometries) walk(g)
    }
  }
  walk(geo)
  return Number.isFinite(minX)
    ? [
        [minX, minY],
        [maxX, maxY],
      ]
    : null
}
