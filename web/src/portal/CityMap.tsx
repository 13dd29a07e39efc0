/**
 * The city map: MapLibre GL (loaded by dynamic import only when the map shows), the Comune's boundary and one clustered
 * GeoJSON source per category. No basemap unless VITE_BASEMAP_STYLE is set at build time: the map works offline.
 */
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl'
import { useEffect, useRef, useState } from 'react'
import { formatAttr, humanize } from '../format'
import { pick, useI18n } from '../i18n'
import { navigate } from '../router'
import { stepExpression } from '../scale'
import type { Category, GeoJSON, PortalEntity } from '../types'
import { bbox, type PointFeature, toFeatures } from './map-data'
import { mapStyle } from '../map-style'

export interface CityMapProps {
  boundary: GeoJSON | null | undefined
  center: [number, number] | null | undefined
  categories: Category[]
  byCategory: Map<string, Map<string, PortalEntity>>
  version: number
  visible: Set<string>
  sensorHref(e: PortalEntity): string
}

export default function CityMap(props: CityMapProps) {
  const { t, lang } = useI18n()
  const box = useRef<HTMLDivElement>(null)
  const mapRef = useRef<MlMap | null>(null)
  const [ready, setReady] = useState(false)
  const [failed, setFailed] = useState(false)
  const latest = useRef(props)
  latest.current = props
  const langRef = useRef(lang)
  langRef.current = lang

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is created once per mount
  useEffect(() => {
    let cancelled = false
    let map: MlMap | undefined
    import('maplibre-gl')
      .then(async (ml) => {
        await import('maplibre-gl/dist/maplibre-gl.css')
        if (cancelled || !box.current) return
        const { boundary, center, categories } = latest.current
        const bounds = bbox(boundary)
        map = new ml.Map({
          container: box.current,
          style: mapStyle(),
          center: center ?? [12.5, 42.5],
          zoom: center ? 12 : 5,
          attributionControl: false,
          fadeDuration: 0,
        })
        mapRef.current = map
        map.addControl(new ml.NavigationControl({ showCompass: false }), 'top-right')
        map.getCanvas().setAttribute('aria-label', t('city.map'))
        if (bounds) map.fitBounds(bounds, { padding: 20, duration: 0 })
        map.on('load', () => {
          if (!map) return
          if (boundary) {
            map.addSource('boundary', { type: 'geojson', data: boundary })
            map.addLayer({
              id: 'boundary-fill',
              type: 'fill',
              source: 'boundary',
              paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.7 },
            })
            map.addLayer({
              id: 'boundary-line',
              type: 'line',
              source: 'boundary',
              paint: { 'line-color': '#0066cc', 'line-width': 2 },
            })
          }
          for (const cat of categories) {
            const colours = cat.primary.scale.map((s) => s[1])
            map.addSource(`cat-${cat.id}`, {
              type: 'geojson',
              data: { type: 'FeatureCollection', features: [] },
              cluster: true,
              clusterRadius: 40,
              clusterMaxZoom: 15,
            })
            map.addLayer({
              id: `cat-${cat.id}-clusters`,
              type: 'circle',
              source: `cat-${cat.id}`,
              filter: ['has', 'point_count'],
              paint: {
                'circle-color': colours[0] ?? '#0066cc',
                'circle-opacity': 0.85,
                'circle-stroke-color': '#17324d',
                'circle-stroke-width': 2,
                'circle-radius': ['step', ['get', 'point_count'], 12, 10, 16, 100, 22, 1000, 28],
              },
            })
            map.addLayer({
              id: `cat-${cat.id}-points`,
              type: 'circle',
              source: `cat-${cat.id}`,
              filter: ['!', ['has', 'point_count']],
              paint: {
                'circle-color': stepExpression(cat.primary.scale, 'v') as any,
                'circle-radius': 8,
                'circle-stroke-color': '#ffffff',
                'circle-stroke-width': 1.5,
              },
            })
            const onPoint = (e: { features?: { properties: Record<string, unknown>; geometry: unknown }[] }) => {
              const f = e.features?.[0]
              if (!f || !map) return
              const ent = latest.current.byCategory.get(cat.id)?.get(String(f.properties.id))
              const coords = (f.geometry as { coordinates: [number, number] }).coordinates
              new ml.Popup({ closeButton: true, maxWidth: '320px' })
                .setLngLat(coords)
                .setDOMContent(popupContent(ent, String(f.properties.name ?? f.properties.id), cat))
                .addTo(map)
            }
            map.on('click', `cat-${cat.id}-points`, onPoint)
            map.on('click', `cat-${cat.id}-clusters`, async (e) => {
              const f = e.features?.[0]
              if (!f || !map) return
              const src = map.getSource(`cat-${cat.id}`) as GeoJSONSource
              const zoom = await src.getClusterExpansionZoom(f.properties.cluster_id as number)
              map.easeTo({ center: (f.geometry as unknown as { coordinates: [number, number] }).coordinates, zoom })
            })
            for (const layer of [`cat-${cat.id}-points`, `cat-${cat.id}-clusters`]) {
              map.on('mouseenter', layer, () => {
                if (map) map.getCanvas().style.cursor = 'pointer'
              })
              map.on('mouseleave', layer, () => {
                if (map) map.getCanvas().style.cursor = ''
              })
            }
          }
          setReady(true)
        })
        ;(window as unknown as { __urbeMap?: MlMap }).__urbeMap = map
      })
      .catch(() => setFailed(true))

    function popupContent(ent: PortalEntity | undefined, name: string, cat: Category): HTMLElement {
      const l = langRef.current
      const div = document.createElement('div')
      const h = document.createElement('h3')
      h.textContent = name
      div.appendChild(h)
      const small = document.createElement('p')
      small.className = 'mb-1 text-muted'
      small.textContent = pick(cat.label, l)
      div.appendChild(small)
      if (ent) {
        const dl = document.createElement('ul')
        dl.className = 'list-unstyled mb-2'
        for (const [k, v] of Object.entries(ent.values).slice(0, 6)) {
          const li = document.createElement('li')
          li.textContent = `${humanize(k)}: ${formatAttr(k, v.value, l, v.unitCode)}`
          dl.appendChild(li)
        }
        div.appendChild(dl)
        const a = document.createElement('a')
        const href = latest.current.sensorHref(ent)
        a.href = href
        a.textContent = l === 'it' ? 'Apri la scheda' : 'Open its page'
        a.addEventListener('click', (e) => {
          e.preventDefault()
          navigate(href)
        })
        div.appendChild(a)
      }
      return div
    }

    return () => {
      cancelled = true
      map?.remove()
      mapRef.current = null
    }
  }, [])

  // data: push the features of every category when the entities change (throttled by React batching)
  const fitted = useRef(false)
  // biome-ignore lint/correctness/useExhaustiveDependencies: version marks changes in byCategory
  useEffect(() => {
    const map = mapRef.current
    if (!ready || !map) return
    const all: PointFeature[] = []
    for (const cat of props.categories) {
      const src = map.getSource(`cat-${cat.id}`) as GeoJSONSource | undefined
      const ents = props.byCategory.get(cat.id)
      const features = ents ? toFeatures(ents.values(), cat) : []
      src?.setData({ type: 'FeatureCollection', features } as never)
      all.push(...features)
    }
    // the first time there are sensors, frame them (the boundary is usually much wider than the sensor network)
    if (!fitted.current && all.length > 1) {
      fitted.current = true
      const b = bbox({ type: 'FeatureCollection', features: all })
      if (b) map.fitBounds(b, { padding: 40, maxZoom: 15, duration: 0 })
    }
  }, [ready, props.version, props.categories])

  // visibility of the layers
  useEffect(() => {
    const map = mapRef.current
    if (!ready || !map) return
    for (const cat of props.categories) {
      const vis = props.visible.has(cat.id) ? 'visible' : 'none'
      for (const l of [`cat-${cat.id}-points`, `cat-${cat.id}-clusters`])
        if (map.getLayer(l)) map.setLayoutProperty(l, 'visibility', vis)
    }
  }, [ready, props.visible, props.categories])

  return (
    <div className="map-box" data-testid="city-map" data-ready={ready ? 'true' : 'false'}>
      <div ref={box} style={{ position: 'absolute', inset: 0 }} />
      {failed ? <div className="map-status">{t('city.mapUnavailable')}</div> : null}
    </div>
  )
}
