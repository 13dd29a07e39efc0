/** Commuter trips per day by departure band, in and out: a table with bars (it reads, prints and needs no script). */
import { useMobI18n } from './messages'
import { CellText } from './CellText'
import { cellNumber, hourLabel, maxOf } from './cells'
import type { Cell, Commuters } from './types'

/** The bands of an answer: its `bands`, or one per hour that has a value (each up to the next such hour). */
export function commuterBands(c: Commuters): { from: number; to: number; inflow: Cell; outflow: Cell }[] {
  if (c.bands?.length) return c.bands
  const at = c.hours.filter((_, i) => c.inflow[i] !== null || c.outflow[i] !== null)
  return at.map((h, j) => {
    const i = c.hours.indexOf(h)
    return { from: h, to: at[j + 1] ?? 24, inflow: c.inflow[i] ?? null, outflow: c.outflow[i] ?? null }
  })
}

function Bar({ cell, max, colour, k }: { cell: Cell; max: number; colour: string; k: number }) {
  const n = cellNumber(cell)
  return (
    <td>
      <span
        className={`mob-bar me-2${n === null ? ' mob-bar-suppressed' : ''}`}
        style={{
          width: `${n === null ? 0.5 : Math.max(0.5, (n / max) * 70)}%`,
          background: n === null ? undefined : colour,
        }}
        aria-hidden="true"
      />
      <CellText cell={cell} k={k} />
    </td>
  )
}

export function CommuterBands({ data, k }: { data: Commuters; k: number }) {
  const { t } = useMobI18n()
  const bands = commuterBands(data)
  const max = maxOf(bands.flatMap((b) => [b.inflow, b.outflow])) || 1
  return (
    <table className="table table-sm mob-commuters" data-testid="commuters-table">
      <caption>{t('mob.commutersHelp', { n: data.days })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('mob.band')}</th>
          <th scope="col">{t('mob.inflow')}</th>
          <th scope="col">{t('mob.outflow')}</th>
        </tr>
      </thead>
      <tbody>
        {bands.map((b) => (
          <tr key={b.from}>
            <th scope="row" className="fw-normal text-nowrap">
              {hourLabel(b.from)}–{b.to >= 24 ? '24:00' : hourLabel(b.to)}
            </th>
            <Bar cell={b.inflow} max={max} colour="#0066cc" k={k} />
            <Bar cell={b.outflow} max={max} colour="#a61e4d" k={k} />
          </tr>
        ))}
      </tbody>
    </table>
  )
}
