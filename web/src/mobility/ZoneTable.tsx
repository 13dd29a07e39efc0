/** The zones at the selected hour, busiest first: the map's values as a table, and the keyboard's way to a zone. */
import { useMobI18n } from './messages'
import { CellText } from './CellText'
import { cellNumber, hourLabel, isSuppressed } from './cells'
import type { Heatmap } from './types'

export function ZoneTable({
  heatmap,
  hour,
  k,
  selected,
  onSelect,
}: {
  heatmap: Heatmap
  hour: number
  k: number
  selected: string | null
  onSelect(zone: string): void
}) {
  const { t } = useMobI18n()
  const rank = (c: unknown) => (isSuppressed(c as never) ? -1 : (cellNumber(c as never) ?? -2))
  const rows = [...heatmap.zones].sort((a, b) => rank(b.values[hour]) - rank(a.values[hour]))
  return (
    <div className="mob-zone-table table-scroll" data-testid="zone-table">
      <table className="table table-sm mb-0">
        <caption>{t('mob.zonesAt', { h: hourLabel(hour) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('mob.zone')}</th>
            <th scope="col" className="text-end">
              {t('mob.people')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((z) => (
            <tr key={z.zone} className={z.zone === selected ? 'table-active' : undefined} data-zone={z.zone}>
              <td>
                <button
                  type="button"
                  className="btn btn-link p-0 text-start"
                  aria-pressed={z.zone === selected}
                  onClick={() => onSelect(z.zone)}
                >
                  {z.name || z.zone}
                </button>
              </td>
              <td className="text-end" data-testid="zone-value">
                <CellText cell={z.values[hour]} k={k} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
