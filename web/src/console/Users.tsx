import { type FormEvent, useState } from 'react'
import { send } from '../api'
import { useI18n } from '../i18n'
import { useFetch } from '../use-fetch'
import type { User } from './session'

export function Users({ tenant }: { tenant: string }) {
  const { t } = useI18n()
  const list = useFetch<User[]>(`/api/tenants/${tenant}/users`)
  const [f, setF] = useState({ username: '', password: '', role: 'viewer' })
  const [error, setError] = useState<string>()
  const add = async (e: FormEvent) => {
    e.preventDefault()
    setError(undefined)
    try {
      await send('POST', `/api/tenants/${tenant}/users`, {
        username: f.username,
        role: f.role,
        ...(f.password ? { password: f.password } : {}),
      })
      setF({ username: '', password: '', role: 'viewer' })
      list.reload()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  const remove = async (u: User) => {
    try {
      await send('DELETE', `/api/tenants/${tenant}/users/${u.id}`)
      list.reload()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  return (
    <div data-testid="users">
      <form className="row g-2 mb-3" onSubmit={add}>
        <div className="col-md-3 form-group mb-0">
          <label htmlFor="u-name" className="active">
            {t('users.username')}
          </label>
          <input
            id="u-name"
            className="form-control"
            required
            value={f.username}
            onChange={(e) => setF({ ...f, username: e.target.value })}
          />
        </div>
        <div className="col-md-3 form-group mb-0">
          <label htmlFor="u-pass" className="active">
            {t('console.password')}
          </label>
          <input
            id="u-pass"
            className="form-control"
            type="password"
            autoComplete="new-password"
            value={f.password}
            onChange={(e) => setF({ ...f, password: e.target.value })}
          />
        </div>
        <div className="col-md-3 select-wrapper">
          <label htmlFor="u-role">{t('keys.role')}</label>
          <select id="u-role" value={f.role} onChange={(e) => setF({ ...f, role: e.target.value })}>
            <option>viewer</option>
            <option>operator</option>
            <option>admin</option>
          </select>
        </div>
        <div className="col-md-3 align-self-end">
          <button type="submit" className="btn btn-primary">
            {t('users.add')}
          </button>
        </div>
      </form>
      {error || list.error ? (
        <div className="alert alert-danger" role="alert">
          {error ?? list.error!.message}
        </div>
      ) : null}
      <table className="table table-sm">
        <caption>{t('console.users')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('users.username')}</th>
            <th scope="col">{t('users.displayName')}</th>
            <th scope="col">{t('keys.role')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('common.delete')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              <td>{u.displayName ?? ''}</td>
              <td>{u.superadmin ? 'superadmin' : (u.roles[tenant] ?? '')}</td>
              <td>
                {u.roles[tenant] ? (
                  <button type="button" className="btn btn-outline-danger btn-sm" onClick={() => remove(u)}>
                    {t('common.delete')}
                    <span className="visually-hidden"> {u.username}</span>
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
