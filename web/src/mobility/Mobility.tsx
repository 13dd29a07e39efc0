/**
 * The "Mobilità e turismo" section of the console (/console/{tenant}/mobilita/{page}): its sub-navigation, the
 * synthetic-data badge and the k-threshold note on every page, the empty state. A lazy chunk of the console.
 */
import './mobility.css'
import { type ReactNode, useEffect } from 'react'
import { Link } from '../components/Link'
import { type MobKey, useMobI18n } from './messages'
import { canWrite, type User } from '../console/session'
import { useFetch } from '../use-fetch'
import { mobUrl } from './cells'
import { EventsPage } from './EventsPage'
import { ForecastPage } from './ForecastPage'
import { Imports } from './Imports'
import { Origins } from './Origins'
import { Presence } from './Presence'
import { Report } from './Report'
import { TourismPage } from './TourismPage'
import type { Meta } from './types'

export const PAGES: { id: string; label: MobKey; needsData: boolean }[] = [
  { id: 'presenze', label: 'mob.nav.presence', needsData: true },
  { id: 'origini', label: 'mob.nav.origins', needsData: true },
  { id: 'turismo', label: 'mob.nav.tourism', needsData: true },
  { id: 'eventi', label: 'mob.nav.events', needsData: true },
  { id: 'previsioni', label: 'mob.nav.forecast', needsData: true },
  { id: 'report', label: 'mob.nav.report', needsData: true },
  { id: 'importazioni', label: 'mob.nav.imports', needsData: false },
]

export function MobilityNotes({ meta }: { meta: Meta }) {
  const { t } = useMobI18n()
  return (
    <p className="mob-notes d-flex flex-wrap align-items-center gap-2 mb-3" data-testid="mob-notes">
      {meta.synthetic ? (
        <span className="badge mob-synthetic" data-testid="synthetic-badge" title={t('mob.syntheticTitle')}>
          {t('mob.synthetic')}
        </span>
      ) : null}
      <span className="small" data-testid="k-note">
        {t('mob.kNote', { k: meta.k })}
      </span>
    </p>
  )
}

export default function Mobility({ tenant, user, page }: { tenant: string; user: User; page?: string }) {
  const { t } = useMobI18n()
  const current = PAGES.find((p) => p.id === page) ?? PAGES[0]!
  const meta = useFetch<Meta>(mobUrl(tenant, '/meta'))
  const m = meta.data
  useEffect(() => {
    document.title = `${t(current.label)} · ${t('console.mobility')} · Urbe`
  }, [t, current])
  const hasData = !!m && (m.range !== null || m.flows !== null)
  let body: ReactNode = null
  if (meta.error) {
    body = (
      <div className="alert alert-danger" role="alert">
        {t('common.error', { msg: meta.error.message })}
      </div>
    )
  } else if (!m) {
    body = <p>{t('common.loading')}</p>
  } else if (current.needsData && !hasData) {
    body = (
      <div className="alert alert-info" data-testid="mob-empty">
        <p className="mb-2">{t('mob.empty')}</p>
        <Link href={`/console/${tenant}/mobilita/importazioni`}>{t('mob.emptyImport')}</Link>
      </div>
    )
  } else {
    const props = { tenant, meta: m }
    const write = canWrite(user, tenant)
    if (current.id === 'presenze')
      body = m.range ? <Presence {...props} /> : <p className="alert alert-info">{t('mob.noPresence')}</p>
    if (current.id === 'origini') body = <Origins {...props} />
    if (current.id === 'turismo') body = <TourismPage {...props} />
    if (current.id === 'eventi') body = <EventsPage {...props} canEvaluate={write} />
    if (current.id === 'previsioni') body = <ForecastPage {...props} />
    if (current.id === 'report') body = <Report {...props} />
    if (current.id === 'importazioni') body = <Imports {...props} canImport={write} onImported={meta.reload} />
  }
  return (
    <div data-testid="mobility" data-page={current.id}>
      <nav aria-label={t('mob.subnav')} className="mb-3 mob-subnav">
        <ul className="nav nav-pills flex-wrap gap-1">
          {PAGES.map((p) => (
            <li className="nav-item" key={p.id}>
              <Link
                className={`nav-link${p.id === current.id ? ' active' : ''}`}
                aria-current={p.id === current.id ? 'page' : undefined}
                href={`/console/${tenant}/mobilita/${p.id}`}
              >
                {t(p.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <h2 className="h3 mob-page-title">{t(current.label)}</h2>
      {m ? <MobilityNotes meta={m} /> : null}
      {body}
    </div>
  )
}
