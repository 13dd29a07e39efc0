/** Horizontal bars with the value and the share: origins by country or province. Plain HTML, so it prints. */
import { useMobI18n } from './messages'
import { CellText } from './CellText'
import { cellNumber, formatPercent, maxOf } from './cells'
import type { Cell } from './types'

export interface BarItem {
  key: string
  label: string
  value: Cell
  share: number | null
}

export function Bars({ items, k, caption, testid }: { items: BarItem[]; k: number; caption: string; testid?: string }) {
  const { t, lang } = useMobI18n()
  const max = maxOf(items.map((i) => i.value)) || 1
  return (
    <table className="table table-sm mob-bars" data-testid={testid}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('mob.origin')}</th>
          <th scope="col" className="w-50">
            <span className="visually-hidden">{t('mob.bar')}</span>
          </th>
          <th scope="col" className="text-end">
            {t('mob.visitorDays')}
          </th>
          <th scope="col" className="text-end">
            {t('mob.share')}
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => {
          const n = cellNumber(i.value)
          return (
            <tr key={i.key}>
              <th scope="row" className="fw-normal">
                {i.label}
              </th>
              <td aria-hidden="true">
                <span
                  className={`mob-bar${n === null ? ' mob-bar-suppressed' : ''}`}
                  style={{ width: n === null ? '0.5rem' : `${Math.max(0.5, (n / max) * 100)}%` }}
                />
              </td>
              <td className="text-end text-nowrap">
                <CellText cell={i.value} k={k} />
              </td>
              <td className="text-end text-nowrap">{formatPercent(i.share, lang)}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
