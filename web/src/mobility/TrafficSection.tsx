/**
 * Traffic counters and car parks of the broker's history beside the presence, hour by hour over the 7 days up to the
 * chosen day (`GET /traffic`). The three have different units, so each is drawn as an index: 100 = its own maximum.
 */
import { lazy, Suspense, useMemo } from 'react'
import { useFetch } from '../use-fetch'
import { cellNumber, lastDays, mobUrl, toSeconds } from './cells'
import { useMobI18n } from './messages'
import type { Cell } from './types'

const LineChart = lazy(() => import('./LineChart'))

export interface Traffic {
  times: string[]
  traffic: { sensors: number; intensity: (number | null)[] }
  parking: { sites: number; occupancy: (number | null)[] }
  presence: { values: Cell[] }
}

/** Each value as a percentage of the series' maximum (null stays null). */
export function asIndex(values: (number | null)[]): (number | null)[] {
  let max = 0
  for (const v of values) if (v !== null && v > max) max = v
  return values.map((v) => (v === null || max <= 0 ? null : Math.round((1000 * v) / max) / 10))
}

export function TrafficSection({ tenant, day, min }: { tenant: string; day: string; min?: string }) {
  const { t } = useMobI18n()
  const period = lastDays(day, 7, min)
  const r = useFetch<Traffic>(mobUrl(tenant, '/traffic', period))
  const d = r.data
  const chart = useMemo(() => {
    if (!d || (d.traffic.sensors === 0 && d.parking.sites === 0)) return null
    const series = [
      {
        label: t('mob.presenceIndex'),
        values: asIndex(d.presence.values.map(cellNumber)),
        colour: '#17324d',
        width: 3,
      },
    ]
    if (d.traffic.sensors > 0)
      series.push({
        label: t('mob.trafficIndex', { n: d.traffic.sensors }),
        values: asIndex(d.traffic.intensity),
        colour: '#cc7a00',
        width: 2,
      })
    if (d.parking.sites > 0)
      series.push({
        label: t('mob.parkingIndex', { n: d.parking.sites }),
        values: asIndex(d.parking.occupancy),
        colour: '#008055',
        width: 2,
      })
    return { x: toSeconds(d.times), series }
  }, [d, t])
  return (
    <section className="mt-4" aria-labelledby="traffic-h" data-testid="traffic">
      <h3 id="traffic-h" className="h4">
        {t('mob.traffic')}
      </h3>
      {r.error ? <p className="text-danger">{t('common.error', { msg: r.error.message })}</p> : null}
      {d && !chart ? <p>{t('mob.noTraffic')}</p> : null}
      {chart ? (
        <>
          <p className="small">{t('mob.trafficHelp')}</p>
          <Suspense fallback={<div className="chart-box" />}>
            <LineChart x={chart.x} series={chart.series} label={t('mob.traffic')} testid="traffic-chart" />
          </Suspense>
        </>
      ) : null}
    </section>
  )
}
