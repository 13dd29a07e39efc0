/** Panoramica / Presenze: the zones coloured by the people present at the chosen hour of the chosen day. */
import { lazy, Suspense, useCallback, useMemo, useState } from 'react'
import { useMobI18n } from './messages'
import { useFetch } from '../use-fetch'
import { ClassSelect } from './ClassSelect'
import { cellNumber, isDay, isSuppressed, mobUrl, quantileBreaks } from './cells'
import { HeatLegend } from './HeatLegend'
import { HourSlider } from './HourSlider'
import type { Cell, ClassFilter, Heatmap, Meta, Zones } from './types'
import { ZoneDetail } from './ZoneDetail'
import { TrafficSection } from './TrafficSection'
import { ZoneTable } from './ZoneTable'

const ZoneMap = lazy(() => import('./ZoneMap'))

export function Presence({ tenant, meta }: { tenant: string; meta: Meta }) {
  const { t } = useMobI18n()
  const range = meta.range!
  const [day, setDay] = useState(range.to)
  const [cls, setCls] = useState<ClassFilter>('all')
  const [hour, setHourState] = useState(12)
  const [playing, setPlaying] = useState(false)
  const [selected, setSelected] = useState<string | null>(null)
  const setHour = useCallback((h: number) => setHourState(h), [])
  const zones = useFetch<Zones>(mobUrl(tenant, '/zones'))
  const heat = useFetch<Heatmap>(isDay(day) ? mobUrl(tenant, '/heatmap', { day, class: cls }) : null)
  const h = heat.data
  const breaks = useMemo(() => {
    const all: number[] = []
    for (const z of h?.zones ?? []) for (const c of z.values) if (typeof c === 'number') all.push(c)
    return quantileBreaks(all)
  }, [h])
  const values = useMemo(() => {
    const m = new Map<string, Cell>()
    for (const z of h?.zones ?? []) m.set(z.zone, z.values[hour] ?? null)
    return m
  }, [h, hour])
  let total = 0
  let suppressed = 0
  for (const c of values.values()) {
    total += cellNumber(c) ?? 0
    if (isSuppressed(c)) suppressed++
  }
  const zoneName =
    (selected && h?.zones.find((z) => z.zone === selected)?.name) ||
    zones.data?.features.find((f) => String(f.properties?.zone) === selected)?.properties.name ||
    selected
  return (
    <div data-testid="mob-presence">
      <form className="row g-3 align-items-end mb-3" onSubmit={(e) => e.preventDefault()}>
        <div className="col-12 col-sm-6 col-lg-3">
          <div className="form-group mb-0">
            <label htmlFor="mob-day" className="active">
              {t('mob.day')}
            </label>
            <input
              id="mob-day"
              type="date"
              className="form-control"
              min={range.from}
              max={range.to}
              value={day}
              onChange={(e) => e.target.value && setDay(e.target.value)}
            />
          </div>
        </div>
        <div className="col-12 col-sm-6 col-lg-3">
          <ClassSelect id="mob-class" value={cls} onChange={setCls} />
        </div>
        <div className="col-12 col-lg-6">
          <HourSlider hour={hour} onChange={setHour} playing={playing} onPlaying={setPlaying} />
        </div>
      </form>
      {heat.error ? (
        <div className="alert alert-danger" role="alert">
          {t('common.error', { msg: heat.error.message })}
        </div>
      ) : null}
      <div className="mob-presence-layout">
        <div>
          <p className="small mb-2">
            {t('mob.mapHelp')}{' '}
            <a href={mobUrl(tenant, '/heatmap', { day, class: cls, format: 'csv' })} download data-testid="heatmap-csv">
              {t('mob.csv')}
            </a>
          </p>
          {zones.data ? (
            <Suspense fallback={<div className="map-box" />}>
              <ZoneMap zones={zones.data} values={values} breaks={breaks} selected={selected} onSelect={setSelected} />
            </Suspense>
          ) : (
            <div className="map-box">
              <div className="map-status">{zones.error ? zones.error.message : t('common.loading')}</div>
            </div>
          )}
          <HeatLegend hour={hour} breaks={breaks} k={meta.k} total={total} suppressed={suppressed} />
        </div>
        {h ? <ZoneTable heatmap={h} hour={hour} k={meta.k} selected={selected} onSelect={setSelected} /> : null}
      </div>
      {selected ? (
        <ZoneDetail
          key={selected}
          tenant={tenant}
          zone={selected}
          name={zoneName ?? selected}
          day={day}
          min={range.from}
          k={meta.k}
        />
      ) : null}
      <TrafficSection tenant={tenant} day={day} min={range.from} />
    </div>
  )
}
