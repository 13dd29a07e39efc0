/** The top N flows: drawn on the map between zone centroids, and all of them (external origins too) in a table. */
import { lazy, Suspense, useState } from 'react'
import { useMobI18n } from './messages'
import { useFetch } from '../use-fetch'
import { CellText } from './CellText'
import { mobUrl } from './cells'
import type { ClassFilter, Flows, Zones } from './types'

const FlowMap = lazy(() => import('./FlowMap'))
const LIMITS = [10, 25, 50, 100]

export function FlowsSection({
  tenant,
  period,
  cls,
  k,
}: {
  tenant: string
  period: { from: string; to: string }
  cls: ClassFilter
  k: number
}) {
  const { t } = useMobI18n()
  const [limit, setLimit] = useState(25)
  const zones = useFetch<Zones>(mobUrl(tenant, '/zones'))
  const flows = useFetch<Flows>(mobUrl(tenant, '/flows', { ...period, class: cls, limit }))
  const items = flows.data?.items ?? []
  const external = items.filter((f) => !f.from || !f.to).length
  return (
    <section className="mb-4" aria-labelledby="flows-h" data-testid="flows">
      <div className="d-flex flex-wrap justify-content-between align-items-end gap-3 mb-2">
        <h3 id="flows-h" className="h4 mb-0">
          {t('mob.flows')}
        </h3>
        <div className="select-wrapper" style={{ minWidth: '10rem' }}>
          <label htmlFor="flow-limit">{t('mob.flowLimit')}</label>
          <select id="flow-limit" value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            {LIMITS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      </div>
      {flows.error ? <p className="text-danger">{t('common.error', { msg: flows.error.message })}</p> : null}
      <div className="mob-two">
        <div>
          {zones.data && flows.data ? (
            <Suspense fallback={<div className="map-box" />}>
              <FlowMap zones={zones.data} flows={items} />
            </Suspense>
          ) : (
            <div className="map-box">
              <div className="map-status">{t('common.loading')}</div>
            </div>
          )}
          <p className="small mt-1">
            {t('mob.flowHelp')} {external > 0 ? t('mob.flowExternal', { n: external }) : null}
          </p>
        </div>
        <div className="table-scroll mob-scroll">
          <table className="table table-sm" data-testid="flow-table">
            <caption>{t('mob.flowTable', { n: items.length })}</caption>
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
              {items.map((f) => (
                <tr key={`${f.origin}>${f.destination}`}>
                  <td>
                    {f.originName || f.origin}
                    {!f.from ? <span className="visually-hidden"> ({t('mob.external')})</span> : null}
                    {!f.from ? <span aria-hidden="true"> ↗</span> : null}
                  </td>
                  <td>
                    {f.destinationName || f.destination}
                    {!f.to ? <span className="visually-hidden"> ({t('mob.external')})</span> : null}
                    {!f.to ? <span aria-hidden="true"> ↗</span> : null}
                  </td>
                  <td className="text-end">
                    <CellText cell={f.count} k={k} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  )
}
