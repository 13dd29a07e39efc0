/** A small line chart in SVG (it prints crisply on A4 and needs no script): the report's charts. */
import { formatNumber } from '../format'
import { useMobI18n } from './messages'
import { niceCeil } from './cells'

export interface SvgSeries {
  label: string
  values: (number | null)[]
  colour: string
  dash?: string
}

const W = 640
const H = 220
const L = 56
const R = 10
const T = 10
const B = 28

/**
 * The value axis: from 0, or from a round number below the data when they all lie in the upper half (a day profile
 * that varies by 10 % would otherwise be a flat line); the top a round number above the data.
 */
export function axisRange(values: (number | null)[]): { lo: number; max: number } {
  let top = 0
  let bottom = Number.POSITIVE_INFINITY
  for (const v of values)
    if (v !== null && Number.isFinite(v)) {
      top = Math.max(top, v)
      bottom = Math.min(bottom, v)
    }
  if (top <= 0) return { lo: 0, max: 1 }
  let lo = 0
  if (bottom > top / 2) {
    const p = 10 ** Math.floor(Math.log10(bottom * 0.95))
    lo = Math.floor((bottom * 0.95) / p) * p
  }
  return { lo, max: lo + niceCeil((top - lo) * 1.05) }
}

/** The SVG path of a series with gaps where values are null. */
export function linePath(values: (number | null)[], max: number, lo = 0): string {
  const n = values.length
  let d = ''
  let pen = false
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false
      return
    }
    const x = L + (n <= 1 ? 0 : (i / (n - 1)) * (W - L - R))
    const y = T + (1 - (v - lo) / (max - lo)) * (H - T - B)
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`
    pen = true
  })
  return d
}

export function SvgLines({
  series,
  labels,
  title,
  testid,
}: {
  series: SvgSeries[]
  /** One label per x position; some are shown. */
  labels: string[]
  title: string
  testid?: string
}) {
  const { lang } = useMobI18n()
  const { lo, max } = axisRange(series.flatMap((x) => x.values))
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * (max - lo))
  const every = Math.max(1, Math.ceil(labels.length / 8))
  const n = labels.length
  const ticksX = labels
    .map((label, i) => ({ label, i, x: L + (n <= 1 ? 0 : (i / (n - 1)) * (W - L - R)) }))
    .filter((p) => p.i % every === 0)
  return (
    <figure className="mob-svg" data-testid={testid}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} width="100%">
        {ticks.map((v) => {
          const y = T + (1 - (v - lo) / (max - lo)) * (H - T - B)
          return (
            <g key={v}>
              <line x1={L} x2={W - R} y1={y} y2={y} stroke="#d9dadb" strokeWidth="1" />
              <text x={L - 6} y={y + 4} textAnchor="end" fontSize="11" fill="#17324d">
                {formatNumber(v, lang, 0)}
              </text>
            </g>
          )
        })}
        {ticksX.map((p) => (
          <text key={p.x} x={p.x} y={H - 8} textAnchor="middle" fontSize="11" fill="#17324d">
            {p.label}
          </text>
        ))}
        {series.map((s) => (
          <path
            key={s.label}
            d={linePath(s.values, max, lo)}
            fill="none"
            stroke={s.colour}
            strokeWidth="2"
            strokeDasharray={s.dash}
          />
        ))}
      </svg>
      <figcaption className="d-flex flex-wrap gap-3 small">
        {series.map((s) => (
          <span key={s.label}>
            <svg width="24" height="8" aria-hidden="true">
              <line x1="0" x2="24" y1="4" y2="4" stroke={s.colour} strokeWidth="3" strokeDasharray={s.dash} />
            </svg>{' '}
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}
