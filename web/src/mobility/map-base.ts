/** MapLibre for the mobility maps: loaded on demand, a plain background (no tiles: works offline), framed on data. */
import type { Map as MlMap } from 'maplibre-gl'
import { bbox } from '../portal/map-data'
import { mapStyle } from '../map-style'

export type MapLibre = typeof import('maplibre-gl')

/** Creates a map in `container` framed on `frame` (GeoJSON); resolves once its style has loaded. */
export async function createMap(
  container: HTMLElement,
  frame: unknown,
  label: string,
): Promise<{ ml: MapLibre; map: MlMap }> {
  const ml = await import('maplibre-gl')
  await import('maplibre-gl/dist/maplibre-gl.css')
  const b = bbox(frame as never)
  const map = new ml.Map({
    container,
    style: mapStyle(),
    center: b ? [(b[0][0] + b[1][0]) / 2, (b[0][1] + b[1][1]) / 2] : [12.5, 42.5],
    zoom: b ? 12 : 5,
    attributionControl: false,
    fadeDuration: 0,
  })
  map.addControl(new ml.NavigationControl({ showCompass: false }), 'top-right')
  map.getCanvas().setAttribute('aria-label', label)
  if (b) map.fitBounds(b, { padding: 20, duration: 0 })
  await new Promise<void>((res) => map.once('load', () => res()))
  return { ml, map }
}

/** An 8×8 image of diagonal grey stripes: the pattern of suppressed zones. */
export function hatchImage(): { width: number; height: number; data: Uint8Array } {
  const size = 8
  const data = new Uint8Array(size * size * 4)
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4
      const on = (x + y) % size < 2
      data[i] = on ? 90 : 225
      data[i + 1] = on ? 90 : 225
      data[i + 2] = on ? 95 : 228
      data[i + 3] = 255
    }
  return { width: size, height: size, data }
}
