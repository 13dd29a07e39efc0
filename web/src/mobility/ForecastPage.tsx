/** Previsioni: the last 14 days and the next 7 (Holt-Winters, with its interval), and how accurate it was. */
import { lazy, Suspense, useMemo, useState } from 'react'
import { formatDateTime, formatNumber } from '../format'
import { useMobI18n } from './messages'
import { useFetch } from '../use-fetch'
import { ClassSelect } from './ClassSelect'
import { cellNumber, mobUrl, toSeconds } from './cells'
import type { ClassFilter, Forecast, Meta, Zones } from './types'

const LineChart = lazy(() => import('./LineChart'))
const HISTORY_HOURS = 14 * 24
const BAND: [number, number] = [0, 1]

/** History then forecast on one time axis: columns for history, forecast, upper and lower (null where absent). */
export function forecastColumns(f: Forecast) {
  const hTimes = f.history.times.slice(-HISTORY_HOURS)
  const hValues = f.history.values.slice(-HISTORY_HOURS).map(cellNumber)
  const x = [...toSeconds(hTimes), ...toSeconds(f.times)]
  const pad = (n: number) => Array<number | null>(n).fill(null)
  // the forecast line starts at the last observed point so that the two join
  const last = hValues.length ? hValues[hValues.length - 1]! : null
  const fc = [...pad(Math.max(0, hValues.length - 1)), ...(hValues.length ? [last] : []), ...f.forecast]
  return {
    x,
    history: [...hValues, ...pad(f.times.length)],
    forecast: fc,
    upper: [...pad(hValues.length), ...f.upper],
    lower: [...pad(hValues.length), ...f.lower],
  }
}

const pct = (v: number | null | undefined, lang: 'it' | 'en') =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${formatNumber(v, lang, 1)} %`

export function ForecastPage({ tenant }: { tenant: string; meta: Meta }) {
  const { t, lang } = useMobI18n()
  const [zone, setZone] = useState('all')
  const [cls, setCls] = useState<ClassFilter>('all')
  const zones = useFetch<Zones>(mobUrl(tenant, '/zones'))
  const f = useFetch<Forecast>(mobUrl(tenant, '/forecast', { zone, class: cls }))
  const chart = useMemo(() => {
    if (!f.data) return null
    const c = forecastColumns(f.data)
    return {
      x: c.x,
      series: [
        { label: t('mob.fcUpper'), values: c.upper, colour: '#7fb2e5', width: 1, dash: [3, 3] },
        { label: t('mob.fcLower'), values: c.lower, colour: '#7fb2e5', width: 1, dash: [3, 3] },
        { label: t('mob.observed'), values: c.history, colour: '#17324d', width: 2 },
        { label: t('mob.forecast'), values: c.forecast, colour: '#0066cc', width: 2, dash: [8, 4] },
      ],
    }
  }, [f.data, t])
  const options = (zones.data?.features ?? [])
    .map((z) => ({ id: String(z.properties?.zone ?? z.id), name: String(z.properties?.name ?? z.id) }))
    .sort((a, b) => a.name.localeCompare(b.name))
  const acc = f.data?.accuracy
  return (
    <div data-testid="mob-forecast">
      <div className="row g-3 align-items-end mb-3">
        <div className="col-12 col-sm-6 col-lg-4">
          <div className="select-wrapper">
            <label htmlFor="fc-zone">{t('mob.zone')}</label>
            <select id="fc-zone" value={zone} onChange={(e) => setZone(e.target.value)}>
              <option value="all">{t('mob.allZones')}</option>
              {options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="col-12 col-sm-6 col-lg-3">
          <ClassSelect id="fc-class" value={cls} onChange={setCls} />
        </div>
      </div>
      {f.error ? (
        <div className="alert alert-danger" role="alert">
          {t('common.error', { msg: f.error.message })}
        </div>
      ) : null}
      {f.loading && !f.data ? <p>{t('common.loading')}</p> : null}
      {f.data && chart ? (
        <>
          <p className="small">
            {t('mob.fcHelp', { model: f.data.model, issued: formatDateTime(f.data.issued, lang) })}
          </p>
          <Suspense fallback={<div className="chart-box" />}>
            <LineChart
              x={chart.x}
              series={chart.series}
              band={BAND}
              height={320}
              label={t('mob.fcChart')}
              testid="forecast-chart"
            />
          </Suspense>
          <table className="table table-sm mob-accuracy" data-testid="accuracy">
            <caption>{t('mob.accuracy', { n: acc?.weeks ?? 0 })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mob.model')}</th>
                <th scope="col" className="text-end">
                  MAPE
                </th>
              </tr>
            </thead>
            <tbody>
              <tr data-testid="mape-model">
                <th scope="row" className="fw-normal">
                  Holt-Winters
                </th>
                <td className="text-end">{pct(acc?.model.mape, lang)}</td>
              </tr>
              <tr data-testid="mape-naive">
                <th scope="row" className="fw-normal">
                  {t('mob.seasonalNaive')}
                </th>
                <td className="text-end">{pct(acc?.seasonalNaive.mape, lang)}</td>
              </tr>
            </tbody>
          </table>
          <p className="small">{t('mob.mapeHelp')}</p>
        </>
      ) : null}
    </div>
  )
}
