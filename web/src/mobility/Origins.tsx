/** Origini e flussi: where visitors come from, the top flows, the OD matrix and commuters by hour. */
import { useState } from 'react'
import { useMobI18n } from './messages'
import { useFetch } from '../use-fetch'
import { Bars } from './Bars'
import { ClassSelect } from './ClassSelect'
import { formatDay, lastDays, mobUrl } from './cells'
import { CommuterBands } from './CommuterBands'
import { FlowsSection } from './FlowsSection'
import { OdMatrix } from './OdMatrix'
import type { ClassFilter, Commuters, Meta, Od, Origins as OriginsAnswer } from './types'

function OriginList({ url, k, caption, testid }: { url: string; k: number; caption: string; testid: string }) {
  const { t } = useMobI18n()
  const r = useFetch<OriginsAnswer>(url)
  if (r.error) return <p className="text-danger">{t('common.error', { msg: r.error.message })}</p>
  if (!r.data) return <p>{t('common.loading')}</p>
  const items = r.data.items.map((i) => ({ key: i.origin, label: i.name || i.code, value: i.value, share: i.share }))
  if (r.data.other !== null && r.data.other !== 0)
    items.push({ key: 'other', label: t('mob.otherOrigins'), value: r.data.other, share: null })
  if (items.length === 0) return <p data-testid={testid}>{t('common.none')}</p>
  return <Bars items={items} k={k} caption={caption} testid={testid} />
}

export function Origins({ tenant, meta }: { tenant: string; meta: Meta }) {
  const { t, lang } = useMobI18n()
  const [cls, setCls] = useState<ClassFilter>('all')
  const range = meta.range ?? meta.flows!
  const period = lastDays(range.to, 30, range.from)
  const flowRange = meta.flows ? lastDays(meta.flows.to, 30, meta.flows.from) : null
  const od = useFetch<Od>(flowRange ? mobUrl(tenant, '/od', { ...flowRange, class: cls, size: 12 }) : null)
  const com = useFetch<Commuters>(flowRange ? mobUrl(tenant, '/commuters', flowRange) : null)
  const fmt = (p: { from: string; to: string }) =>
    t('mob.period', { from: formatDay(p.from, lang, false), to: formatDay(p.to, lang, false) })
  return (
    <div data-testid="mob-origins">
      <div className="row g-3 align-items-end mb-3">
        <div className="col-12 col-sm-6 col-lg-3">
          <ClassSelect id="orig-class" value={cls} onChange={setCls} />
        </div>
        <p className="col-12 col-lg-9 mb-0">{fmt(period)}</p>
      </div>
      {meta.origins ? (
        <div className="mob-two mb-4">
          <section aria-labelledby="countries-h">
            <h3 id="countries-h" className="h4">
              {t('mob.countries')}
            </h3>
            <OriginList
              url={mobUrl(tenant, '/origins', { ...period, class: cls, kind: 'country', limit: 10 })}
              k={meta.k}
              caption={t('mob.countriesCaption')}
              testid="origins-country"
            />
          </section>
          <section aria-labelledby="provinces-h">
            <h3 id="provinces-h" className="h4">
              {t('mob.provinces')}
            </h3>
            <OriginList
              url={mobUrl(tenant, '/origins', { ...period, class: cls, kind: 'province', limit: 10 })}
              k={meta.k}
              caption={t('mob.provincesCaption')}
              testid="origins-province"
            />
          </section>
        </div>
      ) : (
        <p className="alert alert-info">{t('mob.noOrigins')}</p>
      )}
      {flowRange ? (
        <>
          <p>{fmt(flowRange)}</p>
          <FlowsSection tenant={tenant} period={flowRange} cls={cls} k={meta.k} />
          <section className="mb-4" aria-labelledby="od-h">
            <h3 id="od-h" className="h4">
              {t('mob.od')}
            </h3>
            {od.data ? <OdMatrix od={od.data} k={meta.k} /> : <p>{t('common.loading')}</p>}
          </section>
          <section className="mb-4" aria-labelledby="commuters-h" data-testid="commuters">
            <h3 id="commuters-h" className="h4">
              {t('mob.commuters')}
            </h3>
            {com.data ? <CommuterBands data={com.data} k={meta.k} /> : <p>{t('common.loading')}</p>}
          </section>
        </>
      ) : (
        <p className="alert alert-info">{t('mob.noFlows')}</p>
      )}
    </div>
  )
}
