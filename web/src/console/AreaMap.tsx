/** A small map for the entity explorer: shows the results and lets the user draw a rectangle (drag while drawing). */
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl'
import { useEffect, useRef, useState } from 'react'
import { bbox } from '../portal/map-data'
import type { GeoJSON } from '../types'
import { rectangle } from './ngsi'

export default function AreaMap({
  center,
  boundary,
  points,
  drawing,
  polygon,
  onArea,
}: {
  center: [number, number] | null
  boundary: GeoJSON | null | undefined
  points: [number, number][]
  drawing: boolean
  polygon: [number, number][] | null
  onArea(p: [number, number][]): void
}) {
  const box = useRef<HTMLDivElement>(null)
  const mapRef = useRef<MlMap | null>(null)
  const [ready, setReady] = useState(false)
  const [rect, setRect] = useState<{ x: number; y: number; w: number; h: number } | null>(null)
  const start = useRef<{ x: number; y: number } | null>(null)

  // biome-ignore lint/correctness/useExhaustiveDependencies: created once
  useEffect(() => {
    let map: MlMap | undefined
    let cancelled = false
    Promise.all([import('maplibre-gl'), import('maplibre-gl/dist/maplibre-gl.css')]).then(([ml]) => {
      if (cancelled || !box.current) return
      map = new ml.Map({
        container: box.current,
        style: {
          version: 8,
          sources: {},
          layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#eef3f7' } }],
        },
        center: center ?? [12.5, 42.5],
        zoom: 12,
        attributionControl: false,
      })
      mapRef.current = map
      const b = bbox(boundary)
      if (b) map.fitBounds(b, { padding: 10, duration: 0 })
      map.on('load', () => {
        if (!map) return
        if (boundary) {
          map.addSource('boundary', { type: 'geojson', data: boundary })
          map.addLayer({
            id: 'boundary',
            type: 'line',
            source: 'boundary',
            paint: { 'line-color': '#0066cc', 'line-width': 2 },
          })
        }
        map.addSource('area', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } })
        map.addLayer({
          id: 'area',
          type: 'fill',
          source: 'area',
          paint: { 'fill-color': '#0066cc', 'fill-opacity': 0.15 },
        })
        map.addSource('points', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } })
        map.addLayer({
          id: 'points',
          type: 'circle',
          source: 'points',
          paint: {
            'circle-color': '#d1344c',
            'circle-radius': 5,
            'circle-stroke-color': '#fff',
            'circle-stroke-width': 1,
          },
        })
        setReady(true)
      })
    })
    return () => {
      cancelled = true
      map?.remove()
    }
  }, [])

  useEffect(() => {
    const map = mapRef.current
    if (!ready || !map) return
    ;(map.getSource('points') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: points.map((p) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: p } })),
    })
    ;(map.getSource('area') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: polygon
        ? [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [polygon] } }]
        : [],
    })
  }, [ready, points, polygon])

  useEffect(() => {
    const map = mapRef.current
    if (!map) return
    if (drawing) map.dragPan.disable()
    else map.dragPan.enable()
  }, [drawing])

  const pos = (e: React.PointerEvent) => {
    const r = box.current!.getBoundingClientRect()
    return { x: e.clientX - r.left, y: e.clientY - r.top }
  }
  return (
    <div className="map-box" style={{ height: '22rem' }} data-testid="area-map" data-ready={ready ? 'true' : 'false'}>
      <div ref={box} style={{ position: 'absolute', inset: 0 }} />
      {drawing ? (
        <div
          data-testid="draw-layer"
          style={{ position: 'absolute', inset: 0, cursor: 'crosshair', zIndex: 2 }}
          onPointerDown={(e) => {
            start.current = pos(e)
            setRect({ ...start.current, w: 0, h: 0 })
          }}
          onPointerMove={(e) => {
            if (!start.current) return
            const p = pos(e)
            setRect({
              x: Math.min(p.x, start.current.x),
              y: Math.min(p.y, start.current.y),
              w: Math.abs(p.x - start.current.x),
              h: Math.abs(p.y - start.current.y),
            })
          }}
          onPointerUp={(e) => {
            const map = mapRef.current
            const s = start.current
            start.current = null
            setRect(null)
            if (!map || !s) return
            const p = pos(e)
            if (Math.abs(p.x - s.x) < 4 || Math.abs(p.y - s.y) < 4) return
            const a = map.unproject([s.x, s.y])
            const b = map.unproject([p.x, p.y])
            onArea(rectangle([a.lng, a.lat], [b.lng, b.lat]))
          }}
        >
          {rect ? (
            <div className="draw-box" style={{ left: rect.x, top: rect.y, width: rect.w, height: rect.h }} />
          ) : null}
        </div>
      ) : null}
    </div>
  )
}
