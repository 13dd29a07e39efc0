import { useState } from 'react'
import { formatDateTime } from '../format'
import { useI18n } from '../i18n'
import { useFetch } from '../use-fetch'

interface Entry {
  id: number
  at: string
  actor: string
  action: string
  target: string
  details: Record<string, unknown>
}

const PAGE = 50

export function Audit({ tenant }: { tenant: string }) {
  const { t, lang } = useI18n()
  const [offset, setOffset] = useState(0)
  const list = useFetch<{ entries: Entry[]; total: number }>(
    `/api/tenants/${tenant}/audit?limit=${PAGE}&offset=${offset}`,
  )
  const total = list.data?.total ?? 0
  const pages = Math.max(1, Math.ceil(total / PAGE))
  const page = offset / PAGE + 1
  return (
    <div data-testid="audit">
      {list.error ? <div className="alert alert-danger">{list.error.message}</div> : null}
      <div className="table-scroll">
        <table className="table table-sm">
          <caption>{t('console.audit')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.when')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.target')}</th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.entries ?? []).map((e) => (
              <tr key={e.id}>
                <td className="text-nowrap">{formatDateTime(e.at, lang)}</td>
                <td>{e.actor}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td className="text-break">{e.target}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="d-flex gap-3 align-items-center" aria-label={t('entities.page', { p: page, n: pages })}>
        <button
          type="button"
          className="btn btn-outline-primary btn-sm"
          disabled={offset === 0}
          onClick={() => setOffset(offset - PAGE)}
        >
          {t('common.previous')}
        </button>
        <span>{t('entities.page', { p: page, n: pages })}</span>
        <button
          type="button"
          className="btn btn-outline-primary btn-sm"
          disabled={page >= pages}
          onClick={() => setOffset(offset + PAGE)}
        >
          {t('common.next')}
        </button>
      </nav>
    </div>
  )
}
