/** Importazioni: upload a CSV of presence or flow counts with its progress, the summary and its problems, past imports. */
import { type FormEvent, useState } from 'react'
import { formatDateTime, formatNumber } from '../format'
import { useMobI18n } from './messages'
import { useFetch } from '../use-fetch'
import { mobUrl } from './cells'
import type { ImportProgress, ImportRecord, ImportSummary, Meta } from './types'
import { uploadCsv } from './upload'

export function ImportSummaryView({ s }: { s: ImportSummary }) {
  const { t, lang } = useMobI18n()
  const n = (v: number) => formatNumber(v, lang, 0)
  return (
    <div data-testid="import-summary" className="mb-3">
      <div className={`alert ${s.rejected ? 'alert-warning' : 'alert-success'}`} role="status">
        {t('mob.importDone', { rows: n(s.rows), imported: n(s.imported), rejected: n(s.rejected) })}
        {s.days ? ` ${t('mob.importDays', { from: s.days.from, to: s.days.to })}` : ''}
        {Number.isFinite(s.seconds)
          ? ` (${s.seconds < 0.1 ? `< ${formatNumber(0.1, lang, 1)}` : formatNumber(s.seconds, lang, 1)} s)`
          : ''}
      </div>
      {s.problems?.length ? (
        <table className="table table-sm" data-testid="import-problems">
          <caption>{t('mob.problems', { n: s.problems.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('mob.line')}</th>
              <th scope="col">{t('mob.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {s.problems.map((p) => (
              <tr key={`${p.line}-${p.reason}`} data-line={p.line}>
                <td>{p.line}</td>
                <td>{p.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  )
}

export function Imports({
  tenant,
  canImport,
  onImported,
}: {
  tenant: string
  meta: Meta
  canImport: boolean
  onImported(): void
}) {
  const { t, lang } = useMobI18n()
  const [kind, setKind] = useState<'presence' | 'flows'>('presence')
  const [file, setFile] = useState<File | null>(null)
  const [progress, setProgress] = useState<ImportProgress | null>(null)
  const [busy, setBusy] = useState(false)
  const [summary, setSummary] = useState<ImportSummary>()
  const [error, setError] = useState<string>()
  const past = useFetch<{ items: ImportRecord[] }>(canImport ? mobUrl(tenant, '/imports') : null)
  const list = past.data?.items ?? []
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!file) return
    setBusy(true)
    setError(undefined)
    setSummary(undefined)
    setProgress({ rows: 0, imported: 0, rejected: 0 })
    try {
      setSummary(await uploadCsv(tenant, kind, file, setProgress))
      past.reload()
      onImported()
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
      setProgress(null)
    }
  }
  const n = (v: number | undefined) => (v === undefined ? '—' : formatNumber(v, lang, 0))
  return (
    <div data-testid="mob-imports">
      {canImport ? (
        <form className="row g-3 align-items-end mb-3" onSubmit={submit} data-testid="import-form">
          <div className="col-12 col-md-3">
            <div className="select-wrapper">
              <label htmlFor="imp-kind">{t('mob.importKind')}</label>
              <select id="imp-kind" value={kind} onChange={(e) => setKind(e.target.value as 'presence' | 'flows')}>
                <option value="presence">{t('mob.importPresence')}</option>
                <option value="flows">{t('mob.importFlows')}</option>
              </select>
            </div>
          </div>
          <div className="col-12 col-md-6">
            <label htmlFor="imp-file" className="form-label fw-semibold">
              {t('mob.importFile')}
            </label>
            <input
              id="imp-file"
              type="file"
              className="form-control"
              accept=".csv,text/csv"
              aria-describedby="imp-help"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
            <small id="imp-help" className="form-text">
              {t('mob.importHelp')}
            </small>
          </div>
          <div className="col-12 col-md-3">
            <button type="submit" className="btn btn-primary w-100" disabled={!file || busy}>
              {t('mob.importStart')}
            </button>
          </div>
        </form>
      ) : (
        <p className="alert alert-info">{t('mob.importNotAllowed')}</p>
      )}
      {progress ? (
        <div className="mb-3" data-testid="import-progress">
          <div className="progress mb-1" style={{ height: '0.5rem' }}>
            <div className="progress-bar progress-bar-striped progress-bar-animated w-100" />
          </div>
          <p role="status" className="small mb-0">
            {t('mob.importProgress', {
              rows: n(progress.rows),
              imported: n(progress.imported),
              rejected: n(progress.rejected),
            })}
          </p>
        </div>
      ) : null}
      {error ? (
        <div className="alert alert-danger" role="alert">
          {t('common.error', { msg: error })}
        </div>
      ) : null}
      {summary ? <ImportSummaryView s={summary} /> : null}
      <h3 className="h4 mt-4">{t('mob.pastImports')}</h3>
      {list.length === 0 && past.data ? <p>{t('mob.noImports')}</p> : null}
      {list.length ? (
        <div className="table-scroll">
          <table className="table table-sm" data-testid="import-list">
            <caption className="visually-hidden">{t('mob.pastImports')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mob.when')}</th>
                <th scope="col">{t('mob.importFile')}</th>
                <th scope="col">{t('mob.importKind')}</th>
                <th scope="col">{t('mob.status')}</th>
                <th scope="col" className="text-end">
                  {t('mob.rows')}
                </th>
                <th scope="col" className="text-end">
                  {t('mob.imported')}
                </th>
                <th scope="col" className="text-end">
                  {t('mob.rejected')}
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr key={r.id}>
                  <td>{formatDateTime(r.startedAt, lang)}</td>
                  <td>{r.filename ?? '—'}</td>
                  <td>
                    {r.kind === 'flows' ? t('mob.importFlows') : t('mob.importPresence')} ({r.format})
                  </td>
                  <td>{r.status}</td>
                  <td className="text-end">{n(r.rows)}</td>
                  <td className="text-end">{n(r.imported)}</td>
                  <td className="text-end">{n(r.rejected)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  )
}
