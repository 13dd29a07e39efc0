/**
 * The presence map: the zones as a choropleth of the selected hour (MapLibre, loaded on demand). Suppressed zones are
 * hatched grey, zones without data pale; a click (or the table beside it) selects a zone.
 */
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useMobI18n } from './messages'
import { cellNumber, colourOf, isSuppressed } from './cells'
import { createMap, hatchImage } from './map-base'
import type { Cell, Zones } from './types'

export default function ZoneMap({
  zones,
  values,
  breaks,
  selected,
  onSelect,
}: {
  zones: Zones
  values: Map<string, Cell>
  breaks: number[]
  selected: string | null
  onSelect(zone: string): void
}) {
  const { t } = useMobI18n()
  const box = useRef<HTMLDivElement>(null)
  const mapRef = useRef<MlMap | null>(null)
  const [ready, setReady] = useState(false)
  const [failed, setFailed] = useState(false)
  const onSelectRef = useRef(onSelect)
  onSelectRef.current = onSelect

  const data = useMemo(
    () => ({
      type: 'FeatureCollection' as const,
      features: zones.features.map((f, i) => {
        const zone = String(f.properties?.zone ?? f.id)
        const c = values.get(zone)
        const n = cellNumber(c)
        return {
          type: 'Feature' as const,
          id: i,
          geometry: f.geometry,
          properties: {
            zone,
            name: f.properties?.name ?? zone,
            colour: colourOf(c, breaks),
            s: isSuppressed(c) ? 1 : 0,
            sel: zone === selected ? 1 : 0,
            ...(n === null ? {} : { v: n }),
          },
        }
      }),
    }),
    [zones, values, breaks, selected],
  )
  const latest = useRef(data)
  latest.current = data

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is created once per set of zones
  useEffect(() => {
    let cancelled = false
    let map: MlMap | undefined
    createMap(box.current!, zones, t('mob.map'))
      .then(({ map: m }) => {
        map = m
        if (cancelled) return m.remove()
        mapRef.current = m
        m.addImage('hatch', hatchImage())
        m.addSource('zones', { type: 'geojson', data: latest.current as never })
        m.addLayer({
          id: 'zones-fill',
          type: 'fill',
          source: 'zones',
          paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.85 },
        })
        m.addLayer({
          id: 'zones-hatch',
          type: 'fill',
          source: 'zones',
          filter: ['==', ['get', 's'], 1],
          paint: { 'fill-pattern': 'hatch', 'fill-opacity': 0.9 },
        })
        m.addLayer({
          id: 'zones-line',
          type: 'line',
          source: 'zones',
          paint: {
            'line-color': ['case', ['==', ['get', 'sel'], 1], '#0066cc', '#5c6f82'],
            'line-width': ['case', ['==', ['get', 'sel'], 1], 3, 0.6],
          },
        })
        m.on('click', 'zones-fill', (e) => {
          const z = e.features?.[0]?.properties?.zone
          if (z !== undefined) onSelectRef.current(String(z))
        })
        m.on('mouseenter', 'zones-fill', () => {
          m.getCanvas().style.cursor = 'pointer'
        })
        m.on('mouseleave', 'zones-fill', () => {
          m.getCanvas().style.cursor = ''
        })
        ;(window as unknown as { __urbeMobMap?: MlMap }).__urbeMobMap = m
        setReady(true)
      })
      .catch(() => setFailed(true))
    return () => {
      cancelled = true
      map?.remove()
      mapRef.current = null
    }
  }, [zones])

  useEffect(() => {
    if (!ready) return
    ;(mapRef.current?.getSource('zones') as GeoJSONSource | undefined)?.setData(data as never)
  }, [ready, data])

  return (
    <div
      className="map-box mob-map"
      data-testid="zone-map"
      data-ready={ready ? 'true' : 'false'}
      data-zones={zones.features.length}
    >
      <div ref={box} style={{ position: 'absolute', inset: 0 }} />
      {failed ? <div className="map-status">{t('city.mapUnavailable')}</div> : null}
    </div>
  )
}
