/**
 * The style of every map: the basemap given at build time (VITE_BASEMAP_STYLE), else a plain background with no
 * tiles, so that maps work offline.
 */
import type { StyleSpecification } from 'maplibre-gl'

const BASEMAP = import.meta.env.VITE_BASEMAP_STYLE as string | undefined

export function mapStyle(): string | StyleSpecification {
  return (
    BASEMAP || {
      version: 8,
      sources: {},
      layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef3f7' } }],
    }
  )
}
