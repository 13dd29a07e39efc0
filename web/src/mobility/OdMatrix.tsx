/** The origin-destination matrix of the busiest zones as a table, each cell shaded by its count. */
import { useMobI18n } from './messages'
import { textOn } from '../scale'
import { CellText } from './CellText'
import { colourOf, quantileBreaks } from './cells'
import type { Od } from './types'

export function OdMatrix({ od, k }: { od: Od; k: number }) {
  const { t } = useMobI18n()
  const all: number[] = []
  for (const row of od.cells) for (const c of row) if (typeof c === 'number') all.push(c)
  const breaks = quantileBreaks(all)
  return (
    <div className="table-scroll" data-testid="od-matrix">
      <table className="table table-sm table-bordered mob-od">
        <caption>{t('mob.odCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('mob.odCorner')}</th>
            {od.zones.map((z) => (
              <th scope="col" key={z.zone} className="mob-od-col">
                <span>{z.name || z.zone}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {od.zones.map((z, i) => (
            <tr key={z.zone}>
              <th scope="row">{z.name || z.zone}</th>
              {od.zones.map((d, j) => {
                const c = od.cells[i]?.[j] ?? null
                const bg = colourOf(c, breaks)
                return (
                  <td
                    key={d.zone}
                    className={`text-end${c === 'suppressed' ? ' mob-hatch' : ''}`}
                    style={c === 'suppressed' ? undefined : { background: bg, color: textOn(bg) }}
                  >
                    <CellText cell={c} k={k} />
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
