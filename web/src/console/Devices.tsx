import { type FormEvent, useEffect, useState } from 'react'
import { getJson, send } from '../api'
import { Link } from '../components/Link'
import { formatDateTime, formatRelative } from '../format'
import { useI18n } from '../i18n'
import { useFetch } from '../use-fetch'
import { ngsiHeaders, SDM, TYPE_DOMAIN, TYPES } from './ngsi'
import { canWrite, type User } from './session'

interface Device {
  device_id: string
  apikey: string
  entity_name: string
  entity_type: string
  protocol: string
  context?: string
  commands: { name: string }[]
  status?: { last_seen_at: string | null; messages: number; error_count: number; last_error: string | null }
}
interface Group {
  apikey: string
  entity_type: string
  protocol: string
  commands: { name: string }[]
  context?: string
}
interface Command {
  id: number
  device_id: string
  command: string
  value: unknown
  status: string
  info: unknown
  created_at: string
}

const PAGE = 25

function CommandForm({
  tenant,
  device,
  group,
  onSent,
}: {
  tenant: string
  device: Device
  group?: Group
  onSent(): void
}) {
  const { t } = useI18n()
  const names = [...new Set([...(device.commands ?? []), ...(group?.commands ?? [])].map((c) => c.name))]
  const [name, setName] = useState(names[0] ?? '')
  const [value, setValue] = useState('')
  const [error, setError] = useState<string>()
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(undefined)
    let v: unknown = value
    const n = Number(value)
    if (value.trim() !== '' && Number.isFinite(n)) v = n
    else if (value.trim() === '') v = true
    try {
      const context = device.context ?? group?.context ?? SDM(TYPE_DOMAIN[device.entity_type] ?? 'Environment')
      await send(
        'PATCH',
        `/ngsi-ld/v1/entities/${encodeURIComponent(device.entity_name)}/attrs`,
        { [name]: { type: 'Property', value: v } },
        ngsiHeaders(tenant, device.entity_type, context),
      )
      onSent()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  if (names.length === 0) return null
  const id = `cmd-${device.device_id}`
  return (
    <form onSubmit={submit} className="d-flex flex-wrap gap-2 align-items-end mt-2" data-testid="command-form">
      <div className="select-wrapper">
        <label htmlFor={`${id}-name`}>{t('devices.command')}</label>
        <select id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)}>
          {names.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </div>
      <div className="form-group mb-0">
        <label htmlFor={`${id}-value`} className="active">
          {t('devices.value')}
        </label>
        <input id={`${id}-value`} className="form-control" value={value} onChange={(e) => setValue(e.target.value)} />
      </div>
      <button type="submit" className="btn btn-primary btn-sm">
        {t('devices.send')}
      </button>
      {error ? (
        <div className="text-danger w-100" role="alert">
          {error}
        </div>
      ) : null}
    </form>
  )
}

function Provision({ tenant, groups, onDone }: { tenant: string; groups: Group[]; onDone(): void }) {
  const { t } = useI18n()
  const [f, setF] = useState({
    device_id: '',
    apikey: groups[0]?.apikey ?? '',
    entity_type: TYPES[0]!,
    protocol: 'json',
    lat: '',
    lon: '',
  })
  const [msg, setMsg] = useState<{ ok: boolean; text: string }>()
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value })
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const d: Record<string, unknown> = {
      device_id: f.device_id,
      apikey: f.apikey || undefined,
      entity_type: f.entity_type,
      protocol: f.protocol,
      context: SDM(TYPE_DOMAIN[f.entity_type] ?? 'Environment'),
    }
    if (f.lat && f.lon) d.location = { type: 'Point', coordinates: [Number(f.lon), Number(f.lat)] }
    try {
      await send('POST', `/api/tenants/${tenant}/iot/devices`, { devices: [d] })
      setMsg({ ok: true, text: f.device_id })
      onDone()
    } catch (err) {
      setMsg({ ok: false, text: (err as Error).message })
    }
  }
  return (
    <details className="mb-3">
      <summary className="btn btn-outline-primary btn-sm">{t('devices.provision')}</summary>
      <form className="row g-2 mt-2" onSubmit={submit}>
        <div className="col-md-3 form-group mb-0">
          <label htmlFor="p-id" className="active">
            {t('devices.id')}
          </label>
          <input
            id="p-id"
            className="form-control"
            required
            pattern="[A-Za-z0-9_.:\-]{1,128}"
            value={f.device_id}
            onChange={set('device_id')}
          />
        </div>
        <div className="col-md-3 select-wrapper">
          <label htmlFor="p-key">{t('devices.group')}</label>
          <select id="p-key" value={f.apikey} onChange={set('apikey')}>
            {groups.map((g) => (
              <option key={g.apikey}>{g.apikey}</option>
            ))}
          </select>
        </div>
        <div className="col-md-3 select-wrapper">
          <label htmlFor="p-type">{t('entities.type')}</label>
          <select id="p-type" value={f.entity_type} onChange={set('entity_type')}>
            {TYPES.map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
        </div>
        <div className="col-md-3 select-wrapper">
          <label htmlFor="p-proto">{t('devices.protocol')}</label>
          <select id="p-proto" value={f.protocol} onChange={set('protocol')}>
            <option value="json">JSON</option>
            <option value="ul">UltraLight 2.0</option>
          </select>
        </div>
        <div className="col-md-3 form-group mb-0">
          <label htmlFor="p-lat" className="active">
            Lat
          </label>
          <input id="p-lat" className="form-control" inputMode="decimal" value={f.lat} onChange={set('lat')} />
        </div>
        <div className="col-md-3 form-group mb-0">
          <label htmlFor="p-lon" className="active">
            Lon
          </label>
          <input id="p-lon" className="form-control" inputMode="decimal" value={f.lon} onChange={set('lon')} />
        </div>
        <div className="col-md-3 align-self-end">
          <button type="submit" className="btn btn-primary">
            {t('common.create')}
          </button>
        </div>
        {msg ? (
          <div className={`col-12 ${msg.ok ? 'text-success' : 'text-danger'}`} role="status">
            {msg.text}
          </div>
        ) : null}
      </form>
    </details>
  )
}

export function Devices({ tenant, user }: { tenant: string; user: User }) {
  const { t, lang } = useI18n()
  const [offset, setOffset] = useState(0)
  const list = useFetch<{ count: number; devices: Device[] }>(
    `/api/tenants/${tenant}/iot/devices?limit=${PAGE}&offset=${offset}`,
  )
  const groups = useFetch<Group[] | { services: Group[] }>(`/api/tenants/${tenant}/iot/services`)
  const groupList = Array.isArray(groups.data) ? groups.data : (groups.data?.services ?? [])
  const [selected, setSelected] = useState<string>()
  const cmds = useFetch<Command[] | { commands: Command[] }>(
    selected ? `/api/tenants/${tenant}/iot/commands?device=${encodeURIComponent(selected)}&limit=10` : null,
  )
  const cmdList = Array.isArray(cmds.data) ? cmds.data : (cmds.data?.commands ?? [])
  const writable = canWrite(user, tenant)
  const total = list.data?.count ?? 0
  // the list has no status: read each shown device (last seen, messages, errors)
  const [status, setStatus] = useState<Record<string, Device['status']>>({})
  useEffect(() => {
    let live = true
    for (const d of list.data?.devices ?? []) {
      getJson<Device>(`/api/tenants/${tenant}/iot/devices/${encodeURIComponent(d.device_id)}`)
        .then((x) => live && setStatus((s) => ({ ...s, [d.device_id]: x.status })))
        .catch(() => {})
    }
    return () => {
      live = false
    }
  }, [list.data, tenant])
  return (
    <div data-testid="devices">
      {writable && groups.data ? <Provision tenant={tenant} groups={groupList} onDone={list.reload} /> : null}
      {list.error ? <div className="alert alert-danger">{t('common.error', { msg: list.error.message })}</div> : null}
      <div className="table-scroll">
        <table className="table table-sm">
          <caption>{t('entities.count', { n: total })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('devices.id')}</th>
              <th scope="col">{t('devices.entity')}</th>
              <th scope="col">{t('devices.lastSeen')}</th>
              <th scope="col">{t('devices.messages')}</th>
              <th scope="col">{t('devices.errors')}</th>
              <th scope="col">{t('devices.commands')}</th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.devices ?? []).flatMap((row) => {
              const d = { ...row, status: row.status ?? status[row.device_id] }
              const rows = [
                <tr key={d.device_id}>
                  <td>
                    {d.device_id}
                    <div className="small text-muted">
                      {d.apikey} · {d.protocol}
                    </div>
                  </td>
                  <td className="text-break">
                    <Link href={`/console/${tenant}/entities/${encodeURIComponent(d.entity_name)}`}>
                      {d.entity_name}
                    </Link>
                  </td>
                  <td>{d.status?.last_seen_at ? formatRelative(d.status.last_seen_at, lang) : t('devices.never')}</td>
                  <td>{d.status?.messages ?? 0}</td>
                  <td title={d.status?.last_error ?? undefined}>{d.status?.error_count ?? 0}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-link btn-sm"
                      aria-expanded={selected === d.device_id}
                      onClick={() => setSelected(selected === d.device_id ? undefined : d.device_id)}
                    >
                      {t('devices.commands')}
                      <span className="visually-hidden"> {d.device_id}</span>
                    </button>
                  </td>
                </tr>,
              ]
              if (selected === d.device_id)
                rows.push(
                  <tr key={`${d.device_id}-cmd`}>
                    <td colSpan={6}>
                      {writable ? (
                        <CommandForm
                          tenant={tenant}
                          device={d}
                          group={groupList.find((g) => g.apikey === d.apikey)}
                          onSent={() => setTimeout(cmds.reload, 300)}
                        />
                      ) : null}
                      <table className="table table-sm mt-2" data-testid="command-list">
                        <caption>{t('devices.commands')}</caption>
                        <tbody>
                          {cmdList.map((c) => (
                            <tr key={c.id}>
                              <td>{formatDateTime(c.created_at, lang)}</td>
                              <td>{c.command}</td>
                              <td>{JSON.stringify(c.value)}</td>
                              <td>
                                <span
                                  className={`badge ${c.status === 'OK' ? 'bg-success' : c.status === 'PENDING' ? 'bg-warning text-dark' : 'bg-danger'}`}
                                >
                                  {c.status}
                                </span>
                              </td>
                              <td className="small">
                                {c.info ? String(typeof c.info === 'string' ? c.info : JSON.stringify(c.info)) : ''}
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                      <button type="button" className="btn btn-outline-primary btn-sm" onClick={cmds.reload}>
                        {t('common.refresh')}
                      </button>
                    </td>
                  </tr>,
                )
              return rows
            })}
          </tbody>
        </table>
      </div>
      <nav
        className="d-flex gap-3 align-items-center"
        aria-label={t('entities.page', { p: offset / PAGE + 1, n: Math.max(1, Math.ceil(total / PAGE)) })}
      >
        <button
          type="button"
          className="btn btn-outline-primary btn-sm"
          disabled={offset === 0}
          onClick={() => setOffset(offset - PAGE)}
        >
          {t('common.previous')}
        </button>
        <span>{t('entities.page', { p: offset / PAGE + 1, n: Math.max(1, Math.ceil(total / PAGE)) })}</span>
        <button
          type="button"
          className="btn btn-outline-primary btn-sm"
          disabled={offset + PAGE >= total}
          onClick={() => setOffset(offset + PAGE)}
        >
          {t('common.next')}
        </button>
      </nav>
    </div>
  )
}
