import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { getJson } from '../api'
import { takeCity } from '../boot'
import { Layout } from '../components/Layout'
import { formatNumber } from '../format'
import { pick, useI18n } from '../i18n'
import { legendRows } from '../scale'
import type { Category, PortalEntity } from '../types'
import { useFetch } from '../use-fetch'
import { LiveBadge, useLive } from './live'
import { NowCards } from './NowCards'
import { SensorList } from './SensorList'
import { tenantSlug, useTenant } from './tenant'

const loadMap = () => import('./CityMap')
const CityMap = lazy(loadMap)

type ByCategory = Map<string, Map<string, PortalEntity>>

/** All entities of the categories, by category then id; `version` bumps (at most every 500 ms) when they change. */
export function useCityEntities(tenantId: string | undefined, categories: Category[] | undefined) {
  const store = useRef<ByCategory>(new Map())
  const [version, setVersion] = useState(0)
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null)
  const bump = useCallback(() => {
    if (pending.current) return
    pending.current = setTimeout(() => {
      pending.current = null
      setVersion((v) => v + 1)
    }, 500)
  }, [])
  useEffect(() => {
    if (!tenantId || !categories) return
    let cancelled = false
    store.current = new Map(categories.map((c) => [c.id, new Map()]))
    Promise.all(
      categories.map((c) =>
        getJson<{ total: number; items: PortalEntity[] }>(
          `/api/portal/${tenantId}/entities?category=${encodeURIComponent(c.id)}&limit=5000`,
        )
          .then((r) => {
            if (cancelled) return
            const m = store.current.get(c.id) ?? new Map()
            for (const e of r.items) m.set(e.id, e)
            store.current.set(c.id, m)
          })
          .catch(() => {}),
      ),
    ).then(() => {
      if (!cancelled) setVersion((v) => v + 1)
    })
    return () => {
      cancelled = true
    }
  }, [tenantId, categories])
  const update = useCallback(
    (...es: PortalEntity[]) => {
      for (const e of es) {
        let m = store.current.get(e.category)
        if (!m) {
          m = new Map()
          store.current.set(e.category, m)
        }
        m.set(e.id, e)
      }
      bump()
    },
    [bump],
  )
  // a hook for the browser tests (5,000 entities through the same path as live updates)
  useEffect(() => {
    ;(window as unknown as { __urbeCity?: unknown }).__urbeCity = { add: (es: PortalEntity[]) => update(...es) }
  }, [update])
  return { byCategory: store.current, version, update }
}

export function CityPage({ tenant: key }: { tenant: string }) {
  const { t, lang } = useI18n()
  const { tenant, detail, error, missing } = useTenant(key)
  // fetch the map's code while the data loads
  useEffect(() => {
    loadMap().catch(() => {})
  }, [])
  const tenantId = tenant?.id
  const cats = useFetch<Category[]>(
    tenantId ? `/api/portal/${tenantId}/categories` : null,
    undefined,
    tenantId ? () => takeCity(tenantId, 'categories') : undefined,
  )
  const { byCategory, version, update } = useCityEntities(tenant?.id, cats.data)
  const live = useLive(tenant?.id, update)
  // the map (MapLibre's code and a WebGL context: the heaviest work of the page) starts once the cards and the
  // layers are there and the browser is idle, so that the page answers clicks and keys first
  const [mapWanted, setMapWanted] = useState(false)
  const haveCats = !!cats.data
  useEffect(() => {
    if (!haveCats || mapWanted) return
    const w = window as Window & { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number }
    if (w.requestIdleCallback) w.requestIdleCallback(() => setMapWanted(true), { timeout: 400 })
    else setTimeout(() => setMapWanted(true), 50)
  }, [haveCats, mapWanted])
  const [hidden, setHidden] = useState<Set<string>>(new Set())
  const visible = useMemo(
    () => new Set((cats.data ?? []).map((c) => c.id).filter((id) => !hidden.has(id))),
    [cats.data, hidden],
  )
  const slug = tenant ? tenantSlug(tenant) : key
  const sensorHref = useCallback((e: PortalEntity) => `/${slug}/sensori/${encodeURIComponent(e.id)}`, [slug])

  useEffect(() => {
    if (tenant) document.title = `${tenant.name} · Urbe`
  }, [tenant])

  if (missing) {
    return (
      <Layout title="Urbe">
        <h1>{t('common.notFound')}</h1>
      </Layout>
    )
  }
  const title = tenant ? t('city.comuneOf', { name: tenant.name }) : 'Urbe'
  return (
    <Layout title={title} home={`/${slug}`}>
      <div className="d-flex flex-wrap align-items-center justify-content-between gap-2 mb-3">
        <h1 className="mb-0">{tenant?.name ?? t('common.loading')}</h1>
        <LiveBadge on={live} labels={[t('common.live'), t('common.offline')]} />
      </div>
      {error ? <div className="alert alert-danger">{t('common.error', { msg: error.message })}</div> : null}
      {tenant ? <NowCards tenantId={tenant.id} /> : null}
      <div className="city-layout">
        <section aria-labelledby="map-title">
          <h2 id="map-title" className="h3">
            {t('city.map')}
          </h2>
          <p className="small">{t('city.mapHelp')}</p>
          <fieldset className="mb-2">
            <legend className="h6 fw-semibold px-0">{t('city.layers')}</legend>
            <ul className="layer-list" data-testid="layers">
              {(cats.data ?? []).map((c) => {
                const n = byCategory.get(c.id)?.size ?? 0
                return (
                  <li key={c.id}>
                    <label>
                      <input
                        type="checkbox"
                        checked={!hidden.has(c.id)}
                        onChange={(e) => {
                          const next = new Set(hidden)
                          if (e.target.checked) next.delete(c.id)
                          else next.add(c.id)
                          setHidden(next)
                        }}
                      />
                      <span
                        className="swatch"
                        style={{ background: c.primary.scale[Math.floor(c.primary.scale.length / 2)]?.[1] ?? '#999' }}
                        aria-hidden="true"
                      />
                      {pick(c.label, lang)} <span className="text-muted fw-normal">({formatNumber(n, lang, 0)})</span>
                    </label>
                  </li>
                )
              })}
            </ul>
          </fieldset>
          {detail && cats.data && mapWanted ? (
            <Suspense
              fallback={
                <div className="map-box">
                  <div className="map-status">{t('common.loading')}</div>
                </div>
              }
            >
              <CityMap
                boundary={detail.boundary}
                center={detail.center}
                categories={cats.data}
                byCategory={byCategory}
                version={version}
                visible={visible}
                sensorHref={sensorHref}
              />
            </Suspense>
          ) : (
            <div className="map-box">
              <div className="map-status">{t('common.loading')}</div>
            </div>
          )}
          <div className="legend mt-2" data-testid="legend">
            <h3 className="h6">{t('city.legend')}</h3>
            {(cats.data ?? [])
              .filter((c) => visible.has(c.id))
              .map((c) => (
                <dl key={c.id}>
                  <dt>
                    {pick(c.label, lang)}: {pick(c.primary.label, lang)} {c.primary.unit ? `(${c.primary.unit})` : ''}
                  </dt>
                  {legendRows(c.primary.scale).map((r) => (
                    <dd key={r.colour + String(r.from)}>
                      <span className="swatch" style={{ background: r.colour }} aria-hidden="true" />
                      {r.from === null && r.to === null
                        ? pick(c.primary.label, lang)
                        : r.from === null
                          ? `< ${formatNumber(r.to ?? 0, lang)}`
                          : r.to === null
                            ? `≥ ${formatNumber(r.from, lang)}`
                            : `${formatNumber(r.from, lang)} – ${formatNumber(r.to, lang)}`}
                    </dd>
                  ))}
                </dl>
              ))}
          </div>
        </section>
        <div>
          {cats.data ? (
            <SensorList categories={cats.data} byCategory={byCategory} version={version} sensorHref={sensorHref} />
          ) : null}
        </div>
      </div>
    </Layout>
  )
}
