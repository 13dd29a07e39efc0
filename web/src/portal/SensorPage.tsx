import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Layout } from '../components/Layout'
import { Link } from '../components/Link'
import { formatAttr, formatDateTime, formatRelative, humanize, unitSymbol } from '../format'
import { pick, useI18n } from '../i18n'
import type { Category, PortalEntity, Series } from '../types'
import { useFetch } from '../use-fetch'
import { LiveBadge, useLive } from './live'
import { pointOf } from './map-data'
import { tenantSlug, useTenant } from './tenant'

const Chart = lazy(() => import('./Chart'))
const PERIODS = ['24h', '7d', '30d'] as const
type Period = (typeof PERIODS)[number]

export default function SensorPage({ tenant: key, id }: { tenant: string; id: string }) {
  const { t, lang } = useI18n()
  const { tenant, error: tErr, missing } = useTenant(key)
  const base = tenant ? `/api/portal/${tenant.id}` : null
  const ent = useFetch<PortalEntity>(base ? `${base}/entities/${encodeURIComponent(id)}` : null)
  const cats = useFetch<Category[]>(base ? `${base}/categories` : null)
  const [flash, setFlash] = useState<Set<string>>(new Set())
  const flashTimer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const { setData } = ent
  const onLive = useCallback(
    (e: PortalEntity) => {
      if (e.id !== id) return
      setData((old) => {
        const changed = new Set<string>()
        for (const [k, v] of Object.entries(e.values))
          if (JSON.stringify(old?.values[k]?.value) !== JSON.stringify(v.value)) changed.add(k)
        setFlash(changed)
        if (flashTimer.current) clearTimeout(flashTimer.current)
        flashTimer.current = setTimeout(() => setFlash(new Set()), 1500)
        return { ...(old ?? e), ...e, values: { ...(old?.values ?? {}), ...e.values } }
      })
    },
    [id, setData],
  )
  const live = useLive(tenant?.id, onLive)
  const e = ent.data
  const cat = cats.data?.find((c) => c.id === e?.category)
  const numeric = useMemo(
    () =>
      e
        ? Object.entries(e.values)
            .filter(([, v]) => typeof v.value === 'number')
            .map(([k]) => k)
        : [],
    [e],
  )
  const [attrChoice, setAttr] = useState<string>()
  const attr = attrChoice ?? (cat && numeric.includes(cat.primary.attr) ? cat.primary.attr : numeric[0])
  const [period, setPeriod] = useState<Period>('24h')
  const series = useFetch<Series>(
    base && attr
      ? `${base}/entities/${encodeURIComponent(id)}/series?attr=${encodeURIComponent(attr)}&period=${period}`
      : null,
  )
  const chartLabels = useMemo(() => ({ avg: t('sensor.avg'), min: t('sensor.min'), max: t('sensor.max') }), [t])
  const slug = tenant ? tenantSlug(tenant) : key
  const pos = e ? pointOf(e.location) : null
  useEffect(() => {
    if (e?.name) document.title = `${e.name} · ${tenant?.name ?? 'Urbe'}`
  }, [e?.name, tenant?.name])

  return (
    <Layout title={tenant ? t('city.comuneOf', { name: tenant.name }) : 'Urbe'} home={`/${slug}`}>
      <nav aria-label="breadcrumb" className="breadcrumb-container">
        <ol className="breadcrumb">
          <li className="breadcrumb-item">
            <Link href="/">{t('nav.home')}</Link>
            <span className="separator">/</span>
          </li>
          <li className="breadcrumb-item">
            <Link href={`/${slug}`}>{tenant?.name ?? key}</Link>
            <span className="separator">/</span>
          </li>
          <li className="breadcrumb-item active" aria-current="page">
            {e?.name ?? id}
          </li>
        </ol>
      </nav>
      {missing ? <div className="alert alert-danger">{t('common.notFound')}</div> : null}
      {tErr || ent.error ? (
        <div className="alert alert-danger">{t('common.error', { msg: (tErr ?? ent.error)!.message })}</div>
      ) : null}
      <div className="d-flex flex-wrap align-items-center justify-content-between gap-2">
        <h1>{e?.name ?? t('common.loading')}</h1>
        <LiveBadge on={live} labels={[t('common.live'), t('common.offline')]} />
      </div>
      {e ? (
        <>
          <p>
            {cat ? <span className="badge bg-primary me-2">{pick(cat.label, lang)}</span> : null}
            {t('sensor.type')}: {e.type}
            {pos ? ` · ${t('sensor.position')}: ${pos[1].toFixed(5)}, ${pos[0].toFixed(5)}` : ''}
            {e.observedAt ? ` · ${t('sensor.observedAt', { when: formatRelative(e.observedAt, lang) })}` : ''}
          </p>
          <section aria-labelledby="values-title" className="mb-4">
            <h2 id="values-title" className="h3">
              {t('sensor.values')}
            </h2>
            <div className="table-scroll">
              <table className="table values-table" data-testid="sensor-values">
                <caption className="visually-hidden">{t('sensor.values')}</caption>
                <tbody>
                  {Object.entries(e.values).map(([k, v]) => (
                    <tr key={k} className={flash.has(k) ? 'value-flash' : undefined} data-attr={k}>
                      <th scope="row">{humanize(k)}</th>
                      <td data-testid={`value-${k}`}>{formatAttr(k, v.value, lang, v.unitCode)}</td>
                      <td className="text-muted small">{formatDateTime(v.observedAt ?? e.observedAt, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          {numeric.length > 0 ? (
            <section aria-labelledby="chart-title">
              <h2 id="chart-title" className="h3">
                {t('sensor.chart')}
              </h2>
              <div className="d-flex flex-wrap gap-3 align-items-end mb-3">
                <div className="select-wrapper">
                  <label htmlFor="chart-attr">{t('sensor.attr')}</label>
                  <select id="chart-attr" value={attr} onChange={(ev) => setAttr(ev.target.value)}>
                    {numeric.map((k) => (
                      <option key={k} value={k}>
                        {humanize(k)}
                      </option>
                    ))}
                  </select>
                </div>
                <fieldset>
                  <legend className="visually-hidden">{t('sensor.period')}</legend>
                  <div className="btn-group">
                    {PERIODS.map((p) => (
                      <button
                        key={p}
                        type="button"
                        className={`btn ${p === period ? 'btn-primary' : 'btn-outline-primary'}`}
                        aria-pressed={p === period}
                        onClick={() => setPeriod(p)}
                        data-period={p}
                      >
                        {t(`sensor.${p}`)}
                      </button>
                    ))}
                  </div>
                </fieldset>
              </div>
              {series.error ? (
                <div className="alert alert-warning">{t('common.error', { msg: series.error.message })}</div>
              ) : null}
              {series.data && series.data.points.length === 0 ? <p>{t('sensor.noSeries')}</p> : null}
              {series.data && series.data.points.length > 0 ? (
                <Suspense fallback={<div className="chart-box">{t('common.loading')}</div>}>
                  <Chart
                    points={series.data.points}
                    label={humanize(series.data.attr)}
                    unit={unitSymbol(series.data.unitCode ?? e.values[series.data.attr]?.unitCode)}
                    labels={chartLabels}
                    lang={lang}
                  />
                </Suspense>
              ) : null}
              {series.loading && !series.data ? <p>{t('common.loading')}</p> : null}
            </section>
          ) : null}
        </>
      ) : null}
    </Layout>
  )
}
