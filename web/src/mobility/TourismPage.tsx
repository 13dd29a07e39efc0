/** Turismo: visitors day by day (Italian, foreign, last year), the key figures of the period. */
import { lazy, Suspense, useMemo, useState } from 'react'
import { useMobI18n } from './messages'
import { useFetch } from '../use-fetch'
import { cellNumber, isSuppressed, lastDays, mobUrl } from './cells'
import { PeriodPicker } from './PeriodPicker'
import { TourismCards } from './TourismCards'
import type { Meta, Tourism } from './types'

const LineChart = lazy(() => import('./LineChart'))

/** Noon UTC of each day (epoch seconds): the x values of a daily chart. */
export const dayTimes = (days: string[]) => days.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000)

export function TourismPage({ tenant, meta }: { tenant: string; meta: Meta }) {
  const { t } = useMobI18n()
  const range = meta.range!
  const [period, setPeriod] = useState(() => lastDays(range.to, 30, range.from))
  const r = useFetch<Tourism>(mobUrl(tenant, '/tourism', period))
  const d = r.data
  const chart = useMemo(
    () =>
      d
        ? {
            x: dayTimes(d.days.map((x) => x.date)),
            series: [
              {
                label: t('mob.visitors'),
                values: d.days.map((x) => cellNumber(x.visitors)),
                colour: '#0066cc',
                width: 3,
              },
              { label: t('mob.italianVisitors'), values: d.days.map((x) => cellNumber(x.italian)), colour: '#008055' },
              { label: t('mob.foreignVisitors'), values: d.days.map((x) => cellNumber(x.foreign)), colour: '#a61e4d' },
              { label: t('mob.overnight'), values: d.days.map((x) => cellNumber(x.overnight)), colour: '#cc7a00' },
              {
                label: t('mob.lastYearVisitors'),
                values: d.days.map((x) => cellNumber(x.lastYear)),
                colour: '#5c6f82',
                dash: [6, 4],
              },
            ],
            hidden: d.days.filter((x) => isSuppressed(x.visitors) || isSuppressed(x.foreign)).length,
          }
        : null,
    [d, t],
  )
  return (
    <div data-testid="mob-tourism">
      <PeriodPicker id="tour" value={period} min={range.from} max={range.to} onChange={setPeriod} />
      <p className="small">
        <a href={mobUrl(tenant, '/tourism', { ...period, format: 'csv' })} download data-testid="tourism-csv">
          {t('mob.csv')}
        </a>
      </p>
      {r.error ? <p className="text-danger">{t('common.error', { msg: r.error.message })}</p> : null}
      {d && chart ? (
        <>
          <TourismCards totals={d.totals} days={d.days.length} k={meta.k} />
          <h3 className="h4">{t('mob.tourismChart')}</h3>
          <Suspense fallback={<div className="chart-box" />}>
            <LineChart x={chart.x} series={chart.series} label={t('mob.tourismChart')} testid="tourism-chart" />
          </Suspense>
          {chart.hidden > 0 ? <p className="small">{t('mob.gapsSuppressed', { n: chart.hidden, k: meta.k })}</p> : null}
        </>
      ) : r.loading ? (
        <p>{t('common.loading')}</p>
      ) : null}
    </div>
  )
}
