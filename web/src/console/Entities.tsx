import { lazy, Suspense, useEffect, useMemo, useState } from 'react'
import { Link } from '../components/Link'
import { formatValue } from '../format'
import { useI18n } from '../i18n'
import { pointOf } from '../portal/map-data'
import type { GeoJSON } from '../types'
import { attrValue, type NgsiEntity, queryEntities, TYPES } from './ngsi'

const AreaMap = lazy(() => import('./AreaMap'))
const PAGE = 20
const SKIP = new Set(['id', 'type', '@context', 'location'])

export function Entities({
  tenant,
  center,
  boundary,
}: {
  tenant: string
  center: [number, number] | null
  boundary: GeoJSON | null | undefined
}) {
  const { t, lang } = useI18n()
  const [type, setType] = useState(TYPES[0]!)
  const [qInput, setQInput] = useState('')
  const [q, setQ] = useState('')
  const [polygon, setPolygon] = useState<[number, number][] | null>(null)
  const [drawing, setDrawing] = useState(false)
  const [offset, setOffset] = useState(0)
  const [res, setRes] = useState<{ items: NgsiEntity[]; total: number }>()
  const [error, setError] = useState<string>()
  const [loading, setLoading] = useState(false)

  useEffect(() => {
    let cancelled = false
    setLoading(true)
    setError(undefined)
    queryEntities(tenant, { type, q: q || undefined, polygon, limit: PAGE, offset })
      .then((r) => {
        if (!cancelled) setRes(r)
      })
      .catch((e: Error) => {
        if (!cancelled) setError(e.message)
      })
      .finally(() => {
        if (!cancelled) setLoading(false)
      })
    return () => {
      cancelled = true
    }
  }, [tenant, type, q, polygon, offset])

  const points = useMemo(
    () =>
      (res?.items ?? []).map((e) => pointOf(attrValue(e.location) as never)).filter((p): p is [number, number] => !!p),
    [res],
  )
  const pages = res ? Math.max(1, Math.ceil(res.total / PAGE)) : 1
  const page = Math.floor(offset / PAGE) + 1
  const attrNames = useMemo(() => {
    const names = new Set<string>()
    for (const e of res?.items ?? []) for (const k of Object.keys(e)) if (!SKIP.has(k)) names.add(k)
    return [...names].slice(0, 4)
  }, [res])

  return (
    <div data-testid="entity-explorer">
      <form
        className="row g-3 align-items-end mb-3"
        onSubmit={(e) => {
          e.preventDefault()
          setOffset(0)
          setQ(qInput.trim())
        }}
      >
        <div className="col-12 col-md-4">
          <div className="select-wrapper">
            <label htmlFor="ent-type">{t('entities.type')}</label>
            <select
              id="ent-type"
              value={type}
              onChange={(e) => {
                setType(e.target.value)
                setOffset(0)
              }}
            >
              {TYPES.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="col-12 col-md-5">
          <div className="form-group mb-0">
            <label htmlFor="ent-q" className="active">
              {t('entities.q')}
            </label>
            <input
              id="ent-q"
              className="form-control"
              value={qInput}
              onChange={(e) => setQInput(e.target.value)}
              aria-describedby="ent-q-help"
            />
            <small id="ent-q-help" className="form-text">
              {t('entities.qHelp')}
            </small>
          </div>
        </div>
        <div className="col-12 col-md-3">
          <button type="submit" className="btn btn-primary w-100">
            {t('common.search')}
          </button>
        </div>
      </form>
      <div className="d-flex flex-wrap gap-2 mb-2">
        <button
          type="button"
          className={`btn btn-sm ${drawing ? 'btn-primary' : 'btn-outline-primary'}`}
          aria-pressed={drawing}
          onClick={() => setDrawing(!drawing)}
          data-testid="draw-area"
        >
          {t('entities.drawArea')}
        </button>
        {polygon ? (
          <button
            type="button"
            className="btn btn-sm btn-outline-secondary"
            onClick={() => {
              setPolygon(null)
              setOffset(0)
            }}
          >
            {t('entities.clearArea')}
          </button>
        ) : null}
        {drawing ? <span className="small align-self-center">{t('entities.drawHelp')}</span> : null}
      </div>
      <Suspense fallback={<div className="map-box" style={{ height: '22rem' }} />}>
        <AreaMap
          center={center}
          boundary={boundary}
          points={points}
          drawing={drawing}
          polygon={polygon}
          onArea={(p) => {
            setPolygon(p)
            setDrawing(false)
            setOffset(0)
          }}
        />
      </Suspense>
      {error ? (
        <div className="alert alert-danger mt-3" role="alert">
          {t('common.error', { msg: error })}
        </div>
      ) : null}
      <p className="mt-3 mb-1" aria-live="polite" data-testid="entity-count">
        {loading ? t('common.loading') : res ? t('entities.count', { n: res.total }) : ''}
      </p>
      <div className="table-scroll">
        <table className="table table-sm table-hover">
          <caption className="visually-hidden">{t('console.entities')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('entities.id')}</th>
              {attrNames.map((a) => (
                <th scope="col" key={a}>
                  {a}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(res?.items ?? []).map((e) => (
              <tr key={e.id}>
                <td>
                  <Link href={`/console/${tenant}/entities/${encodeURIComponent(e.id)}`}>{e.id}</Link>
                </td>
                {attrNames.map((a) => {
                  const v = e[a] as { unitCode?: string } | undefined
                  return <td key={a}>{v === undefined ? '' : formatValue(attrValue(v), lang, v?.unitCode)}</td>
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav
        className="pagination-wrapper d-flex align-items-center gap-3"
        aria-label={t('entities.page', { p: page, n: pages })}
      >
        <button
          type="button"
          className="btn btn-outline-primary btn-sm"
          disabled={offset === 0}
          onClick={() => setOffset(Math.max(0, offset - PAGE))}
        >
          {t('common.previous')}
        </button>
        <span>{t('entities.page', { p: page, n: pages })}</span>
        <button
          type="button"
          className="btn btn-outline-primary btn-sm"
          disabled={page >= pages}
          onClick={() => setOffset(offset + PAGE)}
        >
          {t('common.next')}
        </button>
      </nav>
    </div>
  )
}
