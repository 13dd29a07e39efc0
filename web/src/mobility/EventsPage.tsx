/** Eventi e allerte: the days that stand out against days of their type, the alerts, and a new evaluation. */
import { useState } from 'react'
import { ApiError, send } from '../api'
import { formatDateTime, formatNumber } from '../format'
import { type MobKey, useMobI18n } from './messages'
import { useFetch } from '../use-fetch'
import { CellText } from './CellText'
import { formatChange, formatDay, lastDays, mobUrl } from './cells'
import type { Alert, Alerts, Events, Meta, Zones } from './types'

const SEVERITY: Record<string, string> = {
  critical: 'bg-danger',
  high: 'bg-danger',
  medium: 'bg-warning text-dark',
  low: 'bg-secondary',
  informational: 'bg-secondary',
}
const SEVERITY_KEYS = new Set(Object.keys(SEVERITY))

export function EventsPage({ tenant, meta, canEvaluate }: { tenant: string; meta: Meta; canEvaluate: boolean }) {
  const { t, lang } = useMobI18n()
  const events = useFetch<Events>(
    mobUrl(tenant, '/events', meta.range ? lastDays(meta.range.to, 365, meta.range.from) : {}),
  )
  const alerts = useFetch<Alerts>(mobUrl(tenant, '/alerts', { limit: 50 }))
  const zones = useFetch<Zones>(mobUrl(tenant, '/zones'))
  const zoneNames = new Map((zones.data?.features ?? []).map((f) => [String(f.properties.zone), f.properties.name]))
  const [busy, setBusy] = useState(false)
  const [msg, setMsg] = useState<{ ok: boolean; text: string }>()
  const evaluate = async () => {
    setBusy(true)
    setMsg(undefined)
    try {
      const r = await send<{ day: string; checked: number; alerts: Alert[] }>(
        'POST',
        mobUrl(tenant, '/alerts/evaluate'),
        {},
      )
      setMsg({ ok: true, text: t('mob.evaluated', { day: formatDay(r.day, lang), n: r.checked, a: r.alerts.length }) })
      alerts.reload()
    } catch (e) {
      setMsg({ ok: false, text: e instanceof ApiError ? e.message : String(e) })
    } finally {
      setBusy(false)
    }
  }
  const items = events.data?.items ?? []
  const maxRatio = Math.max(1, ...items.map((e) => Math.abs((e.ratio ?? 1) - 1)))
  return (
    <div data-testid="mob-events">
      <section className="mb-4" aria-labelledby="events-h">
        <h3 id="events-h" className="h4">
          {t('mob.events')}
        </h3>
        <p className="small">{t('mob.eventsHelp')}</p>
        {events.error ? <p className="text-danger">{t('common.error', { msg: events.error.message })}</p> : null}
        {events.data && items.length === 0 ? <p>{t('mob.noEvents')}</p> : null}
        {items.length > 0 ? (
          <div className="table-scroll">
            <table className="table table-sm" data-testid="events-table">
              <caption className="visually-hidden">{t('mob.events')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('mob.date')}</th>
                  <th scope="col">{t('mob.dayType')}</th>
                  <th scope="col" className="text-end">
                    {t('mob.people')}
                  </th>
                  <th scope="col" className="text-end">
                    {t('mob.usual')}
                  </th>
                  <th scope="col">{t('mob.difference')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => {
                  const diff = e.ratio === null ? null : e.ratio - 1
                  return (
                    <tr key={e.date}>
                      <td>{formatDay(e.date, lang)}</td>
                      <td>
                        {t(`mob.day.${e.dayType}`)}
                        {e.holiday ? ` (${e.holiday})` : ''}
                      </td>
                      <td className="text-end">
                        <CellText cell={e.value} k={meta.k} />
                      </td>
                      <td className="text-end">
                        <CellText cell={e.usual} k={meta.k} />
                      </td>
                      <td className="mob-diff">
                        <span
                          className={`mob-bar${diff !== null && diff < 0 ? ' mob-bar-down' : ''}`}
                          style={{ width: `${diff === null ? 0 : Math.max(2, (Math.abs(diff) / maxRatio) * 60)}%` }}
                          aria-hidden="true"
                        />{' '}
                        {formatChange(diff, lang)}
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <section aria-labelledby="alerts-h">
        <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">
          <h3 id="alerts-h" className="h4 mb-0">
            {t('mob.alerts')}
          </h3>
          {canEvaluate ? (
            <button
              type="button"
              className="btn btn-primary btn-sm"
              onClick={evaluate}
              disabled={busy}
              data-testid="evaluate"
            >
              {t('mob.evaluate')}
            </button>
          ) : null}
        </div>
        {msg ? (
          <div className={`alert ${msg.ok ? 'alert-success' : 'alert-danger'}`} role={msg.ok ? 'status' : 'alert'}>
            {msg.text}
          </div>
        ) : null}
        {alerts.data && alerts.data.items.length === 0 ? <p>{t('mob.noAlerts')}</p> : null}
        {alerts.data && alerts.data.items.length > 0 ? (
          <div className="table-scroll">
            <table className="table table-sm" data-testid="alerts-table">
              <caption className="visually-hidden">{t('mob.alerts')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('mob.when')}</th>
                  <th scope="col">{t('mob.zone')}</th>
                  <th scope="col">{t('mob.severity')}</th>
                  <th scope="col" className="text-end">
                    {t('mob.observed')}
                  </th>
                  <th scope="col" className="text-end">
                    {t('mob.expected')}
                  </th>
                  <th scope="col">{t('mob.description')}</th>
                </tr>
              </thead>
              <tbody>
                {alerts.data.items.map((a) => (
                  <tr key={a.id}>
                    <td>{formatDateTime(a.observedAt, lang)}</td>
                    <td>{a.zoneName && a.zoneName !== a.zone ? a.zoneName : (zoneNames.get(a.zone) ?? a.zone)}</td>
                    <td>
                      <span className={`badge ${SEVERITY[a.severity] ?? 'bg-secondary'}`}>
                        {SEVERITY_KEYS.has(a.severity) ? t(`mob.sev.${a.severity}` as MobKey) : a.severity}
                      </span>
                    </td>
                    <td className="text-end">{a.observed === null ? '—' : formatNumber(a.observed, lang, 0)}</td>
                    <td className="text-end">
                      {a.forecast === null ? '—' : formatNumber(a.forecast, lang, 0)}
                      {a.lower !== null && a.upper !== null
                        ? ` (${formatNumber(a.lower, lang, 0)}–${formatNumber(a.upper, lang, 0)})`
                        : ''}
                    </td>
                    <td>{a.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  )
}
