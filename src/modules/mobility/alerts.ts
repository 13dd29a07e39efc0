/**
 * Presence alerts: a day's observed presence (all people, the Comune and each zone) compared hour by hour with the
 * forecast made from the eight weeks before it; hours outside the ~95 % interval make one NGSI-LD `Alert` entity
 * (Smart Data Models dataModel.Alert terms) per zone and day, written through the broker's batch upsert so that
 * history and subscriptions apply (an operator subscribed to type Alert is notified). Evaluating a day again
 * replaces its alerts. The entity id is urn:ngsi-ld:Alert:mobility:{zone}:{day}.
 */
import { sql } from 'kysely'
import type { NgsiLd } from '../ngsi-ld/plugin.js'
import { addDays } from './calendar/holidays.js'
import { fitAndForecast } from './forecasting.js'
import type { Db } from './repo.js'
import type { MobilityService } from './service.js'
import { localIso } from './time.js'

const SDM = 'https://smartdatamodels.org/dataModel.Alert/'
export const ALERT_CONTEXT = {
  Alert: `${SDM}Alert`,
  category: `${SDM}category`,
  subCategory: `${SDM}subCategory`,
  severity: `${SDM}severity`,
  description: 'https://uri.etsi.org/ngsi-ld/description',
  dateIssued: `${SDM}dateIssued`,
  validFrom: `${SDM}validFrom`,
  validTo: `${SDM}validTo`,
  alertSource: `${SDM}alertSource`,
  observedPresence: 'https://urbe.dev/mobility/observedPresence',
  expectedPresence: 'https://urbe.dev/mobility/expectedPresence',
  expectedLower: 'https://urbe.dev/mobility/expectedLower',
  expectedUpper: 'https://urbe.dev/mobility/expectedUpper',
  hoursOutside: 'https://urbe.dev/mobility/hoursOutside',
  zone: 'https://urbe.dev/mobility/zone',
}
const MAX_ZONES = 200
const MIN_HOURS = 3
const MIN_DEVIATION = 0.25

export interface AlertItem {
  id: string
  zone: string
  zoneName: string
  class: 'all'
  day: string
  observedAt: string
  observed: number
  forecast: number
  lower: number
  upper: number
  hours: number[]
  severity: string
  description: string
}

function severityOf(ratio: number): string {
  const d = Math.abs(ratio - 1)
  return d >= 1 ? 'high' : d >= 0.5 ? 'medium' : 'low'
}

export async function evaluateDay(deps: { svc: MobilityService; ngsi: NgsiLd }, tenant: string, day?: string) {
  const { svc, ngsi } = deps
  const target = day ?? (await svc.lastDay(tenant))
  if (!target) return { day: null, checked: 0, alerts: [] as AlertItem[] }
  const names = await svc.zoneNames(tenant)
  const heat = await svc.heatmap(tenant, target, 'all')
  const zones = ['all', ...heat.zones.map((z) => z.zone).slice(0, MAX_ZONES)]
  const alerts: AlertItem[] = []
  let checked = 0
  for (const zone of zones) {
    let fit: Awaited<ReturnType<typeof fitAndForecast>>
    try {
      fit = await fitAndForecast(svc, tenant, zone, 'all', addDays(target, -1), 24)
    } catch {
      continue // not enough published history for this zone
    }
    checked++
    const observed = (await svc.hourly(tenant, zone, 'all', target, target)).values
    const hours: number[] = []
    let worst = -1
    for (let h = 0; h < 24; h++) {
      const v = observed[h]
      if (v === null || v === undefined) continue
      if (v < fit.f.lower[h]! || v > fit.f.upper[h]!) {
        hours.push(h)
        if (worst < 0 || Math.abs(v - fit.f.mean[h]!) > Math.abs(observed[worst]! - fit.f.mean[worst]!)) worst = h
      }
    }
    const obs = observed[worst] ?? 0
    const exp = Math.max(1, fit.f.mean[worst] ?? 0)
    // 24 hours tested a day: one hour outside a 95 % interval is common; an alert needs a run of them and a real size
    if (hours.length < MIN_HOURS || Math.abs(obs / exp - 1) < MIN_DEVIATION) continue
    const name = zone === 'all' ? 'Comune' : (names.get(zone)?.name ?? zone)
    const pctDiff = Math.round((obs / exp - 1) * 100)
    alerts.push({
      id: `urn:ngsi-ld:Alert:mobility:${zone}:${target}`,
      zone,
      zoneName: name,
      class: 'all',
      day: target,
      observedAt: localIso(target, worst),
      observed: Math.round(obs),
      forecast: Math.round(fit.f.mean[worst]!),
      lower: Math.round(fit.f.lower[worst]!),
      upper: Math.round(fit.f.upper[worst]!),
      hours,
      severity: severityOf(obs / exp),
      description: `${name}: presenze ${pctDiff >= 0 ? 'superiori' : 'inferiori'} alla previsione del ${Math.abs(pctDiff)} % alle ${String(worst).padStart(2, '0')}:00 (${Math.round(obs)} osservate, attese ${Math.round(fit.f.lower[worst]!)}-${Math.round(fit.f.upper[worst]!)}); ore fuori intervallo: ${hours.length}`,
    })
  }
  if (alerts.length) {
    const ctx = await ngsi.resolver.resolve(ALERT_CONTEXT)
    const center = (zone: string) => names.get(zone)?.at
    const items = alerts.map((a) => {
      const at = center(a.zone)
      return {
        ctx,
        body: {
          id: a.id,
          type: 'Alert',
          category: { type: 'Property', value: 'traffic' },
          subCategory: {
            type: 'Property',
            value: a.observed > a.forecast ? 'unusualCrowding' : 'unusuallyLowPresence',
          },
          severity: { type: 'Property', value: a.severity },
          description: { type: 'Property', value: a.description },
          dateIssued: { type: 'Property', value: { '@type': 'DateTime', '@value': new Date().toISOString() } },
          validFrom: {
            type: 'Property',
            value: { '@type': 'DateTime', '@value': new Date(Date.parse(localIso(a.day, 0))).toISOString() },
          },
          validTo: {
            type: 'Property',
            value: {
              '@type': 'DateTime',
              '@value': new Date(Date.parse(localIso(addDays(a.day, 1), 0))).toISOString(),
            },
          },
          alertSource: { type: 'Property', value: 'urbe:mobility' },
          zone: { type: 'Property', value: a.zone },
          observedPresence: {
            type: 'Property',
            value: a.observed,
            observedAt: new Date(Date.parse(a.observedAt)).toISOString(),
          },
          expectedPresence: { type: 'Property', value: a.forecast },
          expectedLower: { type: 'Property', value: a.lower },
          expectedUpper: { type: 'Property', value: a.upper },
          hoursOutside: { type: 'Property', value: a.hours },
          ...(at ? { location: { type: 'GeoProperty', value: { type: 'Point', coordinates: at } } } : {}),
        },
      }
    })
    await ngsi.batch.upsert(tenant, items, 'replace')
  }
  return { day: target, checked, alerts }
}

/** The alerts this module wrote, newest day first (names as the alert @context expands them). */
export async function listAlerts(deps: { db: Db; ngsi: NgsiLd; svc: MobilityService }, tenant: string, limit: number) {
  const ctx = await deps.ngsi.resolver.resolve(ALERT_CONTEXT)
  const v = (term: keyof typeof ALERT_CONTEXT) => sql`(e.attrs->${ctx.expand(term)}->0->'value')`
  const [r, names] = await Promise.all([
    sql<{
      id: string
      zone: string | null
      severity: string | null
      description: string | null
      observed: number | null
      forecast: number | null
      lower: number | null
      upper: number | null
      hours: number[] | null
      observedAt: string | null
    }>`SELECT e.id, ${v('zone')}#>>'{}' AS zone, ${v('severity')}#>>'{}' AS severity,
        ${v('description')}#>>'{}' AS description, ${v('observedPresence')}::float8 AS observed,
        ${v('expectedPresence')}::float8 AS forecast, ${v('expectedLower')}::float8 AS lower,
        ${v('expectedUpper')}::float8 AS upper, ${v('hoursOutside')} AS hours,
        e.attrs->${ctx.expand('observedPresence')}->0->>'observedAt' AS "observedAt"
      FROM ngsi_entities e
      WHERE e.tenant = ${tenant} AND e.types @> ARRAY[${ctx.expand('Alert')}]::text[]
        AND e.id LIKE 'urn:ngsi-ld:Alert:mobility:%'
      ORDER BY split_part(e.id, ':', 6) DESC, e.id LIMIT ${limit}`.execute(deps.db),
    deps.svc.zoneNames(tenant),
  ])
  return {
    items: r.rows.map((x) => ({
      ...x,
      zoneName: x.zone === 'all' ? 'Comune' : (names.get(x.zone ?? '')?.name ?? x.zone),
      day: x.id.split(':').pop() ?? null,
      class: 'all',
    })),
  }
}
