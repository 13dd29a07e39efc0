/** A zone's last 14 days hour by hour per class, and its mean day per day type (weekday, Saturday, Sunday/holiday). */
import { lazy, Suspense, useMemo } from 'react'
import { useMobI18n } from './messages'
import { useFetch } from '../use-fetch'
import { classKey } from './ClassSelect'
import { cellNumber, formatDay, isSuppressed, lastDays, mobUrl, toSeconds } from './cells'
import { type Cell, DAY_TYPES, PEOPLE_CLASSES, type Profiles, type Series } from './types'

const LineChart = lazy(() => import('./LineChart'))

export const CLASS_COLOURS: Record<string, string> = {
  resident: '#0066cc',
  commuter: '#008055',
  italian_visitor: '#cc7a00',
  foreign_visitor: '#a61e4d',
}
const DAY_COLOURS = { weekday: '#0066cc', saturday: '#cc7a00', sunday_holiday: '#a61e4d' }
const HOURS = Array.from({ length: 24 }, (_, h) => h)
const nums = (cells: Cell[]) => cells.map(cellNumber)
const countSuppressed = (cells: Cell[]) => cells.filter(isSuppressed).length

export function ZoneDetail({
  tenant,
  zone,
  name,
  day,
  min,
  k,
}: {
  tenant: string
  zone: string
  name: string
  day: string
  min?: string
  k: number
}) {
  const { t, lang } = useMobI18n()
  const period = lastDays(day, 14, min)
  const series = useFetch<Series>(mobUrl(tenant, '/series', { zone, ...period, resolution: 'hour' }))
  const profiles = useFetch<Profiles>(mobUrl(tenant, '/profiles', { zone, class: 'all' }))
  const s = series.data
  const p = profiles.data
  const seriesChart = useMemo(
    () =>
      s
        ? {
            x: toSeconds(s.times),
            series: [
              { label: t('mob.total'), values: nums(s.total ?? []), colour: '#17324d', width: 3 },
              ...PEOPLE_CLASSES.map((c) => ({
                label: t(classKey(c)),
                values: nums(s.classes[c] ?? []),
                colour: CLASS_COLOURS[c]!,
              })),
            ],
            hidden: PEOPLE_CLASSES.reduce((n, c) => n + countSuppressed(s.classes[c] ?? []), 0),
          }
        : null,
    [s, t],
  )
  const profileChart = useMemo(
    () =>
      p
        ? DAY_TYPES.map((d) => ({
            label: `${t(`mob.day.${d}`)} (${t('mob.nDays', { n: p.days?.[d] ?? 0 })})`,
            values: nums(p.profiles[d] ?? []),
            colour: DAY_COLOURS[d],
            dash: d === 'saturday' ? [6, 4] : d === 'sunday_holiday' ? [2, 3] : undefined,
          }))
        : null,
    [p, t],
  )
  return (
    <section className="mt-4" data-testid="zone-detail" data-zone={zone} aria-labelledby="zone-detail-h">
      <h3 id="zone-detail-h" className="h4">
        {t('mob.zoneDetail', { name })}
      </h3>
      <h4 className="h5">
        {t('mob.seriesTitle', { from: formatDay(period.from, lang, false), to: formatDay(period.to, lang, false) })}
      </h4>
      {series.error ? <p className="text-danger">{t('common.error', { msg: series.error.message })}</p> : null}
      {seriesChart ? (
        <>
          <Suspense fallback={<div className="chart-box" />}>
            <LineChart
              x={seriesChart.x}
              series={seriesChart.series}
              label={t('mob.seriesTitle', { from: period.from, to: period.to })}
              testid="zone-series"
            />
          </Suspense>
          {seriesChart.hidden > 0 ? (
            <p className="small">{t('mob.gapsSuppressed', { n: seriesChart.hidden, k })}</p>
          ) : null}
        </>
      ) : series.loading ? (
        <p>{t('common.loading')}</p>
      ) : null}
      <h4 className="h5 mt-3">{t('mob.profilesTitle')}</h4>
      {profileChart ? (
        <Suspense fallback={<div className="chart-box" />}>
          <LineChart
            x={HOURS}
            time={false}
            hours
            series={profileChart}
            label={t('mob.profilesTitle')}
            testid="zone-profiles"
          />
        </Suspense>
      ) : profiles.loading ? (
        <p>{t('common.loading')}</p>
      ) : null}
      {p?.holidays?.length ? (
        <p className="small">
          {t('mob.holidays')}: {p.holidays.map((h) => `${formatDay(h.date, lang, false)} (${h.name})`).join(', ')}
        </p>
      ) : null}
    </section>
  )
}
