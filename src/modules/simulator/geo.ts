/** Point-in-polygon on the shipped boundaries (even-odd rule over every ring: holes count). */
import type { LonLat } from './places/types.js'

type Ring = number[][]

function inRing([x, y]: LonLat, ring: Ring): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number]
    const [xj, yj] = ring[j] as [number, number]
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** True when the point is inside a GeoJSON Polygon or MultiPolygon. */
export function contains(geometry: unknown, p: LonLat): boolean {
  const g = geometry as { type: string; coordinates: unknown }
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []) as Ring[][]
  return polygons.some((rings) => rings.reduce((inside, ring) => (inRing(p, ring) ? !inside : inside), false))
}
