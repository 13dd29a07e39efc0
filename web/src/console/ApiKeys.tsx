import { type FormEvent, useState } from 'react'
import { send } from '../api'
import { formatDateTime } from '../format'
import { useI18n } from '../i18n'
import { useFetch } from '../use-fetch'

interface Key {
  id: string
  name: string
  role: string
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  status: 'active' | 'expired' | 'revoked'
}

export function ApiKeys({ tenant }: { tenant: string }) {
  const { t, lang } = useI18n()
  const list = useFetch<Key[]>(`/api/tenants/${tenant}/apikeys`)
  const [f, setF] = useState({ name: '', role: 'viewer', days: '365' })
  const [created, setCreated] = useState<string>()
  const [error, setError] = useState<string>()
  const create = async (e: FormEvent) => {
    e.preventDefault()
    setError(undefined)
    try {
      const k = await send<{ key: string }>('POST', `/api/tenants/${tenant}/apikeys`, {
        name: f.name,
        role: f.role,
        expiresInDays: Number(f.days),
      })
      setCreated(k.key)
      setF({ ...f, name: '' })
      list.reload()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  const revoke = async (k: Key) => {
    try {
      await send('DELETE', `/api/tenants/${tenant}/apikeys/${encodeURIComponent(k.id)}`)
      list.reload()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  return (
    <div data-testid="apikeys">
      <form className="row g-2 mb-3" onSubmit={create}>
        <div className="col-md-4 form-group mb-0">
          <label htmlFor="k-name" className="active">
            {t('keys.name')}
          </label>
          <input
            id="k-name"
            className="form-control"
            required
            maxLength={100}
            value={f.name}
            onChange={(e) => setF({ ...f, name: e.target.value })}
          />
        </div>
        <div className="col-md-3 select-wrapper">
          <label htmlFor="k-role">{t('keys.role')}</label>
          <select id="k-role" value={f.role} onChange={(e) => setF({ ...f, role: e.target.value })}>
            <option>viewer</option>
            <option>operator</option>
            <option>admin</option>
          </select>
        </div>
        <div className="col-md-2 form-group mb-0">
          <label htmlFor="k-days" className="active">
            {t('keys.days')}
          </label>
          <input
            id="k-days"
            className="form-control"
            type="number"
            min={1}
            max={3650}
            value={f.days}
            onChange={(e) => setF({ ...f, days: e.target.value })}
          />
        </div>
        <div className="col-md-3 align-self-end">
          <button type="submit" className="btn btn-primary">
            {t('keys.create')}
          </button>
        </div>
      </form>
      {created ? (
        <div className="alert alert-success" role="status" data-testid="new-key">
          {t('keys.created')}
          <br />
          <code className="key">{created}</code>
        </div>
      ) : null}
      {error || list.error ? (
        <div className="alert alert-danger" role="alert">
          {error ?? list.error!.message}
        </div>
      ) : null}
      <div className="table-scroll">
        <table className="table table-sm">
          <caption>{t('console.apikeys')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('keys.name')}</th>
              <th scope="col">{t('keys.role')}</th>
              <th scope="col">{t('keys.expires')}</th>
              <th scope="col">{t('subs.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('keys.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((k) => (
              <tr key={k.id} data-key-name={k.name}>
                <td>
                  {k.name}
                  <div className="small text-muted">{k.id}</div>
                </td>
                <td>{k.role}</td>
                <td>{formatDateTime(k.expiresAt, lang)}</td>
                <td>
                  <span className={`badge ${k.status === 'active' ? 'bg-success' : 'bg-secondary'}`}>
                    {k.status === 'revoked' ? t('keys.revoked') : k.status}
                  </span>
                </td>
                <td>
                  {k.status === 'active' ? (
                    <button type="button" className="btn btn-outline-danger btn-sm" onClick={() => revoke(k)}>
                      {t('keys.revoke')}
                      <span className="visually-hidden"> {k.name}</span>
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
