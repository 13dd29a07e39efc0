/** The top flows as lines between zone centroids, wider for more trips (MapLibre, loaded on demand). */
import type { Map as MlMap } from 'maplibre-gl'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useMobI18n } from './messages'
import { cellNumber, maxOf } from './cells'
import { bbox } from '../portal/map-data'
import { createMap } from './map-base'
import type { Flow, Zones } from './types'

type Box = [[number, number], [number, number]]

/**
 * Places for the ends outside the zones (other municipalities, provinces, countries: the API gives no point): evenly
 * on a ring around the zones, in the order of their names, so that each keeps its place when the class changes.
 */
export function externalPoints(flows: Flow[], box: Box | null): Map<string, [number, number]> {
  const names = new Set<string>()
  for (const f of flows) {
    if (!f.from) names.add(f.origin)
    if (!f.to) names.add(f.destination)
  }
  const out = new Map<string, [number, number]>()
  if (!box || names.size === 0) return out
  const cx = (box[0][0] + box[1][0]) / 2
  const cy = (box[0][1] + box[1][1]) / 2
  const rx = Math.max(0.01, (box[1][0] - box[0][0]) / 2) * 1.35
  const ry = Math.max(0.01, (box[1][1] - box[0][1]) / 2) * 1.35
  const sorted = [...names].sort()
  sorted.forEach((n, i) => {
    const a = Math.PI / 2 - (2 * Math.PI * i) / sorted.length
    out.set(n, [cx + rx * Math.cos(a), cy + ry * Math.sin(a)])
  })
  return out
}

/** The flows as GeoJSON lines (not a zone to itself) with a width 1-10 px, and the outside ends as points. */
export function flowLines(flows: Flow[], box: Box | null = null) {
  const max = maxOf(flows.map((f) => f.count)) || 1
  const ext = externalPoints(flows, box)
  const lines = flows
    .map((f) => ({ f, a: f.from ?? ext.get(f.origin), b: f.to ?? ext.get(f.destination) }))
    .filter(({ a, b }) => a && b && (a[0] !== b[0] || a[1] !== b[1]))
    .map(({ f, a, b }, i) => {
      const n = cellNumber(f.count)
      return {
        type: 'Feature' as const,
        id: i,
        geometry: { type: 'LineString' as const, coordinates: [a!, b!] },
        properties: {
          w: n === null ? 1 : 1 + (9 * n) / max,
          s: n === null ? 1 : 0,
          x: f.from && f.to ? 0 : 1,
          name: `${f.originName} → ${f.destinationName}`,
        },
      }
    })
  const points = [...ext].map(([code, p], i) => ({
    type: 'Feature' as const,
    id: 10_000 + i,
    geometry: { type: 'Point' as const, coordinates: p },
    properties: { code },
  }))
  return { type: 'FeatureCollection' as const, features: [...lines, ...points] }
}

export default function FlowMap({ zones, flows }: { zones: Zones; flows: Flow[] }) {
  const { t } = useMobI18n()
  const box = useRef<HTMLDivElement>(null)
  const [ready, setReady] = useState(false)
  const [failed, setFailed] = useState(false)
  const mapRef = useRef<MlMap | null>(null)
  const lines = useMemo(() => flowLines(flows, bbox(zones)), [flows, zones])
  const latest = useRef(lines)
  latest.current = lines

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is created once per set of zones
  useEffect(() => {
    let cancelled = false
    let map: MlMap | undefined
    createMap(box.current!, zones, t('mob.flowMap'))
      .then(({ ml, map: m }) => {
        map = m
        if (cancelled) return m.remove()
        mapRef.current = m
        m.addSource('zones', { type: 'geojson', data: zones as never })
        m.addLayer({
          id: 'zones-fill',
          type: 'fill',
          source: 'zones',
          paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.7 },
        })
        m.addLayer({
          id: 'zones-line',
          type: 'line',
          source: 'zones',
          paint: { 'line-color': '#9aa5b1', 'line-width': 0.6 },
        })
        m.addSource('flows', { type: 'geojson', data: latest.current as never })
        m.addLayer({
          id: 'flows',
          type: 'line',
          source: 'flows',
          filter: ['==', ['geometry-type'], 'LineString'],
          layout: { 'line-cap': 'round' },
          paint: {
            'line-color': ['case', ['==', ['get', 's'], 1], '#8a8a8a', '#a61e4d'],
            'line-width': ['get', 'w'],
            'line-opacity': 0.75,
          },
        })
        m.addLayer({
          id: 'flow-ends',
          type: 'circle',
          source: 'flows',
          filter: ['==', ['geometry-type'], 'Point'],
          paint: {
            'circle-radius': 6,
            'circle-color': '#17324d',
            'circle-stroke-color': '#ffffff',
            'circle-stroke-width': 2,
          },
        })
        m.on('click', 'flows', (e) => {
          const f = e.features?.[0]
          if (f) new ml.Popup({ closeButton: true }).setLngLat(e.lngLat).setText(String(f.properties.name)).addTo(m)
        })
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
    const m = mapRef.current
    if (!ready || !m) return
    ;(m.getSource('flows') as { setData(d: unknown): void } | undefined)?.setData(lines)
    // frame the zones and the outside ends
    const b = bbox({ type: 'FeatureCollection', features: [...zones.features, ...lines.features] })
    if (b) m.fitBounds(b, { padding: 24, duration: 0 })
  }, [ready, lines, zones])

  return (
    <div
      className="map-box mob-map"
      data-testid="flow-map"
      data-ready={ready ? 'true' : 'false'}
      data-lines={lines.features.filter((f) => f.geometry.type === 'LineString').length}
    >
      <div ref={box} style={{ position: 'absolute', inset: 0 }} />
      {failed ? <div className="map-status">{t('city.mapUnavailable')}</div> : null}
    </div>
  )
}
