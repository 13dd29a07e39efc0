import { type FormEvent, useState } from 'react'
import { send } from '../api'
import { Link } from '../components/Link'
import { formatDateTime, formatValue } from '../format'
import { useI18n } from '../i18n'
import { useFetch } from '../use-fetch'
import { type NgsiAttr, type NgsiEntity, ngsiHeaders, parseAttrInput } from './ngsi'
import { canWrite, type User } from './session'

const META = new Set(['id', 'type', '@context'])

/** Temporal representation -> [time, value] rows, newest first (normalized or temporalValues). */
export function historyRows(attr: unknown): [string, unknown][] {
  const rows: [string, unknown][] = []
  if (Array.isArray(attr))
    for (const i of attr as NgsiAttr[]) rows.push([String(i.observedAt ?? ''), i.value ?? i.object])
  else if (attr && typeof attr === 'object' && Array.isArray((attr as { values?: unknown }).values)) {
    for (const [v, t] of (attr as { values: [unknown, string][] }).values) rows.push([t, v])
  } else if (attr && typeof attr === 'object')
    rows.push([String((attr as NgsiAttr).observedAt ?? ''), (attr as NgsiAttr).value])
  return rows.sort((a, b) => b[0].localeCompare(a[0]))
}

function History({ tenant, id, type, attr }: { tenant: string; id: string; type: string; attr: string }) {
  const { t, lang } = useI18n()
  const h = useFetch<Record<string, unknown>>(
    `/ngsi-ld/v1/temporal/entities/${encodeURIComponent(id)}?attrs=${encodeURIComponent(attr)}&lastN=20`,
    ngsiHeaders(tenant, type),
  )
  if (h.error) return <p className="text-danger">{t('common.error', { msg: h.error.message })}</p>
  if (!h.data) return <p>{t('common.loading')}</p>
  const rows = historyRows(h.data[attr])
  if (rows.length === 0) return <p>{t('common.none')}</p>
  return (
    <table className="table table-sm" data-testid="history">
      <caption>
        {t('entities.history')}: {attr}
      </caption>
      <tbody>
        {rows.map(([time, v]) => (
          <tr key={time + JSON.stringify(v)}>
            <td>{formatDateTime(time, lang)}</td>
            <td>{formatValue(v, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Editor({
  tenant,
  id,
  type,
  name,
  attr,
  onSaved,
}: {
  tenant: string
  id: string
  type: string
  name: string
  attr: NgsiAttr
  onSaved(): void
}) {
  const { t } = useI18n()
  const current = attr.value
  const [text, setText] = useState(typeof current === 'object' ? JSON.stringify(current) : String(current ?? ''))
  const [error, setError] = useState<string>()
  const [saved, setSaved] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setSaved(false)
    const p = parseAttrInput(current, text)
    if (!p.ok) {
      setError(t('entities.invalid', { kind: t(p.kind === 'number' ? 'entities.number' : 'entities.json') }))
      return
    }
    setError(undefined)
    const body: Record<string, unknown> = { type: 'Property', value: p.value }
    if (attr.unitCode) body.unitCode = attr.unitCode
    // a measured attribute keeps a time: the correction is observed now
    if (attr.observedAt) body.observedAt = new Date().toISOString()
    try {
      await send(
        'PATCH',
        `/ngsi-ld/v1/entities/${encodeURIComponent(id)}/attrs`,
        { [name]: body },
        ngsiHeaders(tenant, type),
      )
      setSaved(true)
      onSaved()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  const inputId = `edit-${name}`
  return (
    <form onSubmit={submit} className="d-flex flex-wrap gap-2 align-items-start" noValidate data-testid="attr-editor">
      <div className="form-group mb-0">
        <label htmlFor={inputId} className="active">
          {t('entities.newValue', { attr: name })}
        </label>
        <input
          id={inputId}
          className={`form-control${error ? ' is-invalid' : ''}`}
          inputMode={typeof current === 'number' ? 'decimal' : undefined}
          value={text}
          aria-invalid={!!error}
          aria-describedby={error ? `${inputId}-err` : undefined}
          onChange={(e) => setText(e.target.value)}
        />
        {error ? (
          <div id={`${inputId}-err`} className="invalid-feedback d-block" role="alert">
            {error}
          </div>
        ) : null}
        {saved ? (
          <div className="text-success small" role="status">
            {t('entities.saved')}
          </div>
        ) : null}
      </div>
      <button type="submit" className="btn btn-primary btn-sm mt-4">
        {t('common.save')}
      </button>
    </form>
  )
}

export function EntityDetail({ tenant, id, user }: { tenant: string; id: string; user: User }) {
  const { t, lang } = useI18n()
  // the type is needed for the @context: read once with the core context to learn it, then with the type's context
  const probe = useFetch<NgsiEntity>(`/ngsi-ld/v1/entities/${encodeURIComponent(id)}?attrs=__none__`, {
    'NGSILD-Tenant': tenant,
  })
  const typeIri = probe.data?.type ?? (probe.error ? '' : undefined)
  const type = typeIri?.split(/[/#]/).pop()
  const ent = useFetch<NgsiEntity>(
    type !== undefined ? `/ngsi-ld/v1/entities/${encodeURIComponent(id)}` : null,
    ngsiHeaders(tenant, type),
  )
  const [open, setOpen] = useState<{ attr: string; mode: 'history' | 'edit' } | null>(null)
  const writable = canWrite(user, tenant)
  const e = ent.data
  return (
    <div data-testid="entity-detail">
      <p>
        <Link href={`/console/${tenant}/entities`}>← {t('common.back')}</Link>
      </p>
      <h2 className="h4 text-break">{id}</h2>
      {ent.error ? <div className="alert alert-danger">{t('common.error', { msg: ent.error.message })}</div> : null}
      {e ? (
        <>
          <p>
            {t('entities.type')}: <strong>{e.type}</strong>
          </p>
          <div className="table-scroll">
            <table className="table">
              <caption>{t('entities.attrs')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('sensor.attr')}</th>
                  <th scope="col">{t('devices.value')}</th>
                  <th scope="col">observedAt</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('entities.edit')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(e)
                  .filter(([k]) => !META.has(k))
                  .flatMap(([k, raw]) => {
                    const a = (Array.isArray(raw) ? raw[0] : raw) as NgsiAttr
                    const isProp = a?.type === 'Property'
                    const row = (
                      <tr key={k} data-attr={k}>
                        <th scope="row">{k}</th>
                        <td className="text-break" data-testid={`attr-${k}`}>
                          {a?.type === 'GeoProperty'
                            ? JSON.stringify(a.value)
                            : formatValue(a?.value ?? a?.object, lang, a?.unitCode)}
                        </td>
                        <td className="small">{formatDateTime(a?.observedAt, lang)}</td>
                        <td className="text-nowrap">
                          {isProp ? (
                            <button
                              type="button"
                              className="btn btn-link btn-sm"
                              onClick={() =>
                                setOpen(
                                  open?.attr === k && open.mode === 'history' ? null : { attr: k, mode: 'history' },
                                )
                              }
                              aria-expanded={open?.attr === k && open.mode === 'history'}
                            >
                              {t('entities.history')}
                              <span className="visually-hidden"> {k}</span>
                            </button>
                          ) : null}
                          {isProp && writable ? (
                            <button
                              type="button"
                              className="btn btn-link btn-sm"
                              data-testid={`edit-${k}`}
                              onClick={() =>
                                setOpen(open?.attr === k && open.mode === 'edit' ? null : { attr: k, mode: 'edit' })
                              }
                              aria-expanded={open?.attr === k && open.mode === 'edit'}
                            >
                              {t('entities.edit')}
                              <span className="visually-hidden"> {k}</span>
                            </button>
                          ) : null}
                        </td>
                      </tr>
                    )
                    if (open?.attr !== k) return [row]
                    return [
                      row,
                      <tr key={`${k}-open`}>
                        <td colSpan={4}>
                          {open.mode === 'history' ? (
                            <History tenant={tenant} id={id} type={e.type} attr={k} />
                          ) : (
                            <Editor tenant={tenant} id={id} type={e.type} name={k} attr={a} onSaved={ent.reload} />
                          )}
                        </td>
                      </tr>,
                    ]
                  })}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p>{t('common.loading')}</p>
      )}
    </div>
  )
}
