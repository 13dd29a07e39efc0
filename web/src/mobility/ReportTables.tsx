/** The report's tables: the top flows and the days that stood out. */
import { useMobI18n } from './messages'
import { CellText } from './CellText'
import { formatChange, formatDay } from './cells'
import type { EventDay, Flow } from './types'

export function ReportTables({ flows, events, k }: { flows: Flow[]; events: EventDay[]; k: number }) {
  const { t, lang } = useMobI18n()
  return (
    <>
      {flows.length ? (
        <section className="mob-avoid-break">
          <h4 className="h5">{t('mob.flows')}</h4>
          <table className="table table-sm" data-testid="report-flows">
            <caption className="visually-hidden">{t('mob.flows')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mob.from')}</th>
                <th scope="col">{t('mob.to')}</th>
                <th scope="col" className="text-end">
                  {t('mob.trips')}
                </th>
              </tr>
            </thead>
            <tbody>
              {flows.slice(0, 10).map((f) => (
                <tr key={`${f.origin}>${f.destination}`}>
                  <td>{f.originName || f.origin}</td>
                  <td>{f.destinationName || f.destination}</td>
                  <td className="text-end">
                    <CellText cell={f.count} k={k} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {events.length ? (
        <section className="mob-avoid-break">
          <h4 className="h5">{t('mob.events')}</h4>
          <table className="table table-sm" data-testid="report-events">
            <caption className="visually-hidden">{t('mob.events')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mob.date')}</th>
                <th scope="col" className="text-end">
                  {t('mob.people')}
                </th>
                <th scope="col" className="text-end">
                  {t('mob.usual')}
                </th>
                <th scope="col" className="text-end">
                  {t('mob.difference')}
                </th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.date}>
                  <td>
                    {formatDay(e.date, lang)}
                    {e.holiday ? ` (${e.holiday})` : ''}
                  </td>
                  <td className="text-end">
                    <CellText cell={e.value} k={k} />
                  </td>
                  <td className="text-end">
                    <CellText cell={e.usual} k={k} />
                  </td>
                  <td className="text-end">{formatChange(e.ratio === null ? null : e.ratio - 1, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  )
}
