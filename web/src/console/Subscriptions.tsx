import { type FormEvent, useState } from 'react'
import { send } from '../api'
import { formatDateTime } from '../format'
import { useI18n } from '../i18n'
import { useFetch } from '../use-fetch'
import { ngsiHeaders, TYPES } from './ngsi'
import { canWrite, type User } from './session'

interface Sub {
  id: string
  description?: string
  entities?: { type?: string }[]
  watchedAttributes?: string[]
  isActive?: boolean
  status?: string
  notification?: {
    endpoint?: { uri?: string }
    timesSent?: number
    lastSuccess?: string
    lastFailure?: string
    status?: string
  }
}

export function Subscriptions({ tenant, user }: { tenant: string; user: User }) {
  const { t, lang } = useI18n()
  const list = useFetch<Sub[]>('/ngsi-ld/v1/subscriptions?limit=100', ngsiHeaders(tenant, TYPES[0]))
  const writable = canWrite(user, tenant)
  const [f, setF] = useState({ description: '', type: TYPES[0]!, watched: '', uri: 'http://localhost:9999/notify' })
  const [error, setError] = useState<string>()
  const create = async (e: FormEvent) => {
    e.preventDefault()
    setError(undefined)
    const watched = f.watched
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    const body: Record<string, unknown> = {
      type: 'Subscription',
      entities: [{ type: f.type }],
      notification: { endpoint: { uri: f.uri, accept: 'application/json' } },
    }
    if (f.description) body.description = f.description
    if (watched.length) body.watchedAttributes = watched
    try {
      await send('POST', '/ngsi-ld/v1/subscriptions', body, ngsiHeaders(tenant, f.type))
      list.reload()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  const toggle = async (s: Sub) => {
    const active = s.isActive !== false && s.status !== 'paused'
    try {
      await send(
        'PATCH',
        `/ngsi-ld/v1/subscriptions/${encodeURIComponent(s.id)}`,
        { isActive: !active },
        ngsiHeaders(tenant, s.entities?.[0]?.type),
      )
      list.reload()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  return (
    <div data-testid="subscriptions">
      {writable ? (
        <details className="mb-3">
          <summary className="btn btn-outline-primary btn-sm">{t('subs.create')}</summary>
          <form className="row g-2 mt-2" onSubmit={create}>
            <div className="col-md-4 form-group mb-0">
              <label htmlFor="s-desc" className="active">
                {t('subs.description')}
              </label>
              <input
                id="s-desc"
                className="form-control"
                value={f.description}
                onChange={(e) => setF({ ...f, description: e.target.value })}
              />
            </div>
            <div className="col-md-4 select-wrapper">
              <label htmlFor="s-type">{t('entities.type')}</label>
              <select id="s-type" value={f.type} onChange={(e) => setF({ ...f, type: e.target.value })}>
                {TYPES.map((x) => (
                  <option key={x}>{x}</option>
                ))}
              </select>
            </div>
            <div className="col-md-4 form-group mb-0">
              <label htmlFor="s-watched" className="active">
                {t('subs.watched')}
              </label>
              <input
                id="s-watched"
                className="form-control"
                value={f.watched}
                onChange={(e) => setF({ ...f, watched: e.target.value })}
              />
            </div>
            <div className="col-md-8 form-group mb-0">
              <label htmlFor="s-uri" className="active">
                {t('subs.endpoint')}
              </label>
              <input
                id="s-uri"
                className="form-control"
                type="url"
                required
                value={f.uri}
                onChange={(e) => setF({ ...f, uri: e.target.value })}
              />
            </div>
            <div className="col-md-4 align-self-end">
              <button type="submit" className="btn btn-primary">
                {t('common.create')}
              </button>
            </div>
          </form>
        </details>
      ) : null}
      {error || list.error ? (
        <div className="alert alert-danger" role="alert">
          {t('common.error', { msg: error ?? list.error!.message })}
        </div>
      ) : null}
      <div className="table-scroll">
        <table className="table table-sm">
          <caption>{t('console.subscriptions')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('subs.description')}</th>
              <th scope="col">{t('entities.type')}</th>
              <th scope="col">{t('subs.endpoint')}</th>
              <th scope="col">{t('subs.status')}</th>
              <th scope="col">{t('subs.notifications')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('subs.pause')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((s) => {
              const active = s.isActive !== false && s.status !== 'paused'
              return (
                <tr key={s.id}>
                  <td>
                    {s.description ?? ''}
                    <div className="small text-muted text-break">{s.id}</div>
                  </td>
                  <td>{(s.entities ?? []).map((e) => e.type?.split(/[/#]/).pop()).join(', ')}</td>
                  <td className="text-break">{s.notification?.endpoint?.uri}</td>
                  <td>
                    <span className={`badge ${active ? 'bg-success' : 'bg-secondary'}`}>
                      {s.status ?? (active ? 'active' : 'paused')}
                    </span>
                    {s.notification?.status ? <div className="small">{s.notification.status}</div> : null}
                  </td>
                  <td className="small">
                    {s.notification?.timesSent ?? 0}
                    {s.notification?.lastSuccess ? (
                      <div>✓ {formatDateTime(s.notification.lastSuccess, lang)}</div>
                    ) : null}
                    {s.notification?.lastFailure ? (
                      <div>✗ {formatDateTime(s.notification.lastFailure, lang)}</div>
                    ) : null}
                  </td>
                  <td>
                    {writable ? (
                      <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => toggle(s)}>
                        {active ? t('subs.pause') : t('subs.resume')}
                        <span className="visually-hidden"> {s.description ?? s.id}</span>
                      </button>
                    ) : null}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </div>
  )
}
