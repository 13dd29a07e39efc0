import { type FormEvent, lazy, Suspense, useEffect, useState } from 'react'
import { Layout } from '../components/Layout'
import { Link } from '../components/Link'
import { type MessageKey, useI18n } from '../i18n'
import { navigate } from '../router'
import type { Tenant } from '../types'
import { useFetch } from '../use-fetch'
import { ApiKeys } from './ApiKeys'
import { Audit } from './Audit'
import { Devices } from './Devices'
import { EntityDetail } from './EntityDetail'
import { Entities } from './Entities'
import { fetchMe, isAdmin, login, logout, roleIn, type User } from './session'
import { Subscriptions } from './Subscriptions'
import { Users } from './Users'

const Mobility = lazy(() => import('../mobility/Mobility'))

const SECTIONS: { id: string; label: MessageKey; admin?: boolean }[] = [
  { id: 'entities', label: 'console.entities' },
  { id: 'devices', label: 'console.devices' },
  { id: 'subscriptions', label: 'console.subscriptions' },
  { id: 'mobilita', label: 'console.mobility' },
  { id: 'apikeys', label: 'console.apikeys', admin: true },
  { id: 'users', label: 'console.users', admin: true },
  { id: 'audit', label: 'console.audit', admin: true },
]

function Login({ onLogin }: { onLogin(u: User): void }) {
  const { t } = useI18n()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      onLogin(await login(username, password))
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="row justify-content-center">
      <div className="col-12 col-md-8 col-lg-5">
        <h1>{t('console.login')}</h1>
        <form onSubmit={submit} noValidate data-testid="login-form">
          {error ? (
            <div className="alert alert-danger" role="alert">
              {t('console.loginFailed', { msg: error })}
            </div>
          ) : null}
          <div className="form-group">
            <label htmlFor="login-user" className="active">
              {t('console.username')}
            </label>
            <input
              id="login-user"
              className="form-control"
              autoComplete="username"
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          </div>
          <div className="form-group">
            <label htmlFor="login-password" className="active">
              {t('console.password')}
            </label>
            <input
              id="login-password"
              type="password"
              className="form-control"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('console.login')}
          </button>
        </form>
      </div>
    </div>
  )
}

export default function Console({ path }: { path: string }) {
  const { t } = useI18n()
  const [user, setUser] = useState<User | null | undefined>(undefined)
  useEffect(() => {
    fetchMe()
      .then(setUser)
      .catch(() => setUser(null))
  }, [])
  const all = useFetch<Tenant[]>(user ? '/api/tenants' : null)
  const parts = path.split('/').filter(Boolean).slice(1)
  const tenants = (all.data ?? []).filter((x) => user && (user.superadmin || user.roles[x.id]))
  const tenant = parts[0]
  const detail = useFetch<Tenant>(user && tenant ? `/api/tenants/${tenant}` : null)
  const section = parts[1] ?? 'entities'
  const entityId = section === 'entities' && parts[2] ? decodeURIComponent(parts.slice(2).join('/')) : undefined

  useEffect(() => {
    document.title = `${t('console.title')} · Urbe`
  }, [t])
  useEffect(() => {
    if (user && !tenant && tenants.length > 0) navigate(`/console/${tenants[0]!.id}/entities`, true)
  }, [user, tenant, tenants])

  if (user === undefined) {
    return (
      <Layout title={t('console.title')} home="/console">
        <p>{t('common.loading')}</p>
      </Layout>
    )
  }
  if (user === null) {
    return (
      <Layout title={t('console.title')} home="/console">
        <Login onLogin={setUser} />
      </Layout>
    )
  }
  const current = tenants.find((x) => x.id === tenant)
  const admin = tenant ? isAdmin(user, tenant) : false
  return (
    <Layout
      title={t('console.title')}
      subtitle={current ? t('city.comuneOf', { name: current.name }) : undefined}
      home="/console"
    >
      <div className="d-flex flex-wrap justify-content-between align-items-end gap-3 mb-3 console-chrome">
        <div className="select-wrapper" style={{ minWidth: '16rem' }}>
          <label htmlFor="tenant-switch">{t('console.tenant')}</label>
          <select
            id="tenant-switch"
            data-testid="tenant-switch"
            value={tenant ?? ''}
            onChange={(e) => navigate(`/console/${e.target.value}/${section === 'entities' ? 'entities' : section}`)}
          >
            {tenants.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name} ({x.id})
              </option>
            ))}
          </select>
        </div>
        <div className="d-flex align-items-center gap-3">
          <span>
            <strong>{user.displayName ?? user.username}</strong>
            {tenant ? (
              <span className="ms-2 text-muted">{t('console.role', { role: String(roleIn(user, tenant)) })}</span>
            ) : null}
          </span>
          <button
            type="button"
            className="btn btn-outline-primary btn-sm"
            onClick={async () => {
              await logout().catch(() => {})
              setUser(null)
            }}
          >
            {t('console.logout')}
          </button>
        </div>
      </div>
      {tenants.length === 0 && all.data ? <div className="alert alert-info">{t('console.noTenant')}</div> : null}
      {tenant ? (
        <>
          <nav aria-label={t('console.title')} className="mb-3 console-chrome">
            <ul className="nav nav-tabs console-nav">
              {SECTIONS.filter((s) => !s.admin || admin).map((s) => (
                <li className="nav-item" key={s.id}>
                  <Link
                    className={`nav-link${s.id === section ? ' active' : ''}`}
                    aria-current={s.id === section ? 'page' : undefined}
                    href={`/console/${tenant}/${s.id}`}
                  >
                    {t(s.label)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <h1 className="h2 console-chrome">
            {t((SECTIONS.find((s) => s.id === section)?.label ?? 'console.entities') as MessageKey)}
          </h1>
          {section === 'entities' && entityId ? (
            <EntityDetail key={`${tenant}/${entityId}`} tenant={tenant} id={entityId} user={user} />
          ) : null}
          {section === 'entities' && !entityId ? (
            detail.data?.id === tenant ? (
              <Entities
                key={tenant}
                tenant={tenant}
                center={detail.data.center ?? null}
                boundary={detail.data.boundary}
              />
            ) : null
          ) : null}
          {section === 'devices' ? <Devices key={tenant} tenant={tenant} user={user} /> : null}
          {section === 'subscriptions' ? <Subscriptions key={tenant} tenant={tenant} user={user} /> : null}
          {section === 'apikeys' && admin ? <ApiKeys key={tenant} tenant={tenant} /> : null}
          {section === 'users' && admin ? <Users key={tenant} tenant={tenant} /> : null}
          {section === 'audit' && admin ? <Audit key={tenant} tenant={tenant} /> : null}
          {section === 'mobilita' ? (
            <Suspense fallback={<p>{t('common.loading')}</p>}>
              <Mobility key={tenant} tenant={tenant} user={user} page={parts[2]} />
            </Suspense>
          ) : null}
        </>
      ) : null}
    </Layout>
  )
}
