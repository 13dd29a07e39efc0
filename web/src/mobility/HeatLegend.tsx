/** The choropleth's legend: the hour shown, its colour classes, the suppressed and no-data swatches, the hour's total. */
import { formatNumber } from '../format'
import { useMobI18n } from './messages'
import { hourLabel, legendOf, NODATA_COLOUR } from './cells'

export function HeatLegend({
  hour,
  breaks,
  k,
  total,
  suppressed,
}: {
  hour: number
  breaks: number[]
  k: number
  total: number
  suppressed: number
}) {
  const { t, lang } = useMobI18n()
  const rows = legendOf(breaks)
  const n = (v: number) => formatNumber(v, lang, 0)
  return (
    <div className="legend mob-legend" data-testid="heat-legend" data-hour={hour}>
      <p className="mb-1" aria-live="polite">
        <strong>{t('mob.legendHour', { h: hourLabel(hour) })}</strong>{' '}
        <span data-testid="hour-total">{t('mob.hourTotal', { n: n(total) })}</span>
        {suppressed > 0 ? <span> · {t('mob.hourSuppressed', { n: suppressed, k })}</span> : null}
      </p>
      <dl>
        <dt>{t('mob.legendPeople')}</dt>
        {rows.map((r) => (
          <dd key={r.colour}>
            <span className="swatch square" style={{ background: r.colour }} />
            {r.from === null ? `< ${n(r.to ?? 0)}` : r.to === null ? `≥ ${n(r.from)}` : `${n(r.from)} – ${n(r.to)}`}
          </dd>
        ))}
        <dd>
          <span className="swatch square hatch" />
          {t('mob.legendSuppressed', { k })}
        </dd>
        <dd>
          <span className="swatch square" style={{ background: NODATA_COLOUR }} />
          {t('common.none')}
        </dd>
      </dl>
    </div>
  )
}
