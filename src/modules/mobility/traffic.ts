/**
 * The broker's side of mobility: traffic counters (TrafficFlowObserved `intensity`, vehicles per hour) and
 * off-street parking (OffStreetParking `occupancy`, 0-1) from the NGSI-LD history, hour by local hour, beside the
 * Comune's presence of all people for the same hours, so that a page can set them side by side. One statement per
 * measure, through the history's series index (the series keys of the type's entities).
 */
import { sql } from 'kysely'
import type { ActiveContext } from '../ngsi-ld/context/index.js'
import type { NgsiLd } from '../ngsi-ld/plugin.js'
import { seriesHashes } from '../ngsi-ld/temporal/repo.js'
import { SDM_CONTEXT } from '../portal/categories.js'
import { addDays, daysBetween } from './calendar/holidays.js'
import type { Db } from './repo.js'
import type { MobilityService } from './service.js'
import { localIso } from './time.js'

async function hourlyMean(
  db: Db,
  tenant: string,
  ctx: ActiveContext,
  type: string,
  attr: string,
  from: string,
  to: string,
) {
  const typeIri = ctx.expand(type)
  const attrIri = ctx.expand(attr)
  const k = seriesHashes(sql`t.id`, sql`${attrIri}::text`)
  const r = await sql<{ hour: string; v: number; n: number }>`
    WITH series AS (
      SELECT ${k.eid} AS eid, ${k.sid} AS sid FROM ngsi_temporal_entities t
      WHERE t.tenant = ${tenant} AND t.types @> ARRAY[${typeIri}]::text[])
    SELECT to_char(date_trunc('hour', h.observed_at AT TIME ZONE 'Europe/Rome'), 'YYYY-MM-DD"T"HH24') AS hour,
      avg(h.num)::float8 AS v, count(DISTINCT h.sid)::int AS n
    FROM ngsi_attr_history h
    WHERE (h.eid, h.sid) IN (SELECT eid, sid FROM series) AND h.tenant = ${tenant} AND NOT h.deleted AND h.num IS NOT NULL
      AND h.observed_at >= (${from}::date::timestamp AT TIME ZONE 'Europe/Rome')
      AND h.observed_at < (${addDays(to, 1)}::date::timestamp AT TIME ZONE 'Europe/Rome')
    GROUP BY 1 ORDER BY 1`.execute(db)
  return r.rows
}

export async function trafficAndParking(
  deps: { db: Db; ngsi: NgsiLd; svc: MobilityService },
  tenant: string,
  from: string,
  to: string,
) {
  const { db, ngsi, svc } = deps
  const [transport, parking] = await Promise.all([
    ngsi.resolver.resolve(SDM_CONTEXT('Transportation')),
    ngsi.resolver.resolve(SDM_CONTEXT('Parking')),
  ])
  const [traffic, occupancy, presence] = await Promise.all([
    hourlyMean(db, tenant, transport, 'TrafficFlowObserved', 'intensity', from, to),
    hourlyMean(db, tenant, parking, 'OffStreetParking', 'occupancy', from, to),
    svc.hourly(tenant, 'all', 'all', from, to),
  ])
  const keys = daysBetween(from, to).flatMap((d) =>
    [...Array(24).keys()].map((h) => `${d}T${String(h).padStart(2, '0')}`),
  )
  const index = (rows: { hour: string; v: number; n: number }[]) => {
    const m = new Map(rows.map((x) => [x.hour, x]))
    return {
      values: keys.map((k) => {
        const v = m.get(k)?.v
        return v === undefined ? null : Math.round(v * 1000) / 1000
      }),
      series: Math.max(0, ...rows.map((x) => x.n)),
    }
  }
  const t = index(traffic)
  const p = index(occupancy)
  return {
    from,
    to,
    times: keys.map((k) => localIso(k.slice(0, 10), Number(k.slice(11)))),
    traffic: { sensors: t.series, unit: 'vehicles/h (mean per counter)', intensity: t.values },
    parking: { sites: p.series, unit: 'share of spaces taken (mean per car park)', occupancy: p.values },
    presence: { unit: 'people present (all classes)', values: presence.values },
  }
}
