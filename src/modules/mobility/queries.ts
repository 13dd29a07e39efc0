/**
 * SQL of the mobility module's reads: one statement per question, over the day rows (24 hours each) and the
 * roll-ups. Hidden cells travel with their mask; publishing (privacy.ts) happens in the service.
 */
import { sql } from 'kysely'
import { AppError } from '../../errors.js'
import type { Db } from './repo.js'

export interface DayRow {
  day: string
  class: number
  counts: (number | null)[]
  hidden: number
}

export interface ZoneDayRow extends DayRow {
  zone: string
}

export async function meta(db: Db, tenant: string) {
  const r = await sql<{
    name: string | null
    from: string | null
    to: string | null
    zones: number
    layers: { layer: string; count: number }[] | null
    flows_from: string | null
    flows_to: string | null
    origins: boolean
  }>`SELECT
      (SELECT name FROM tenants WHERE id = ${tenant}) AS name,
      (SELECT to_char(min(day), 'YYYY-MM-DD') FROM mob_day WHERE tenant = ${tenant}) AS "from",
      (SELECT to_char(max(day), 'YYYY-MM-DD') FROM mob_day WHERE tenant = ${tenant}) AS "to",
      (SELECT count(*)::int FROM mob_zone WHERE tenant = ${tenant}) AS zones,
      (SELECT jsonb_agg(jsonb_build_object('layer', layer, 'count', n) ORDER BY layer) FROM
        (SELECT layer, count(*)::int AS n FROM mob_zone WHERE tenant = ${tenant} GROUP BY layer) l) AS layers,
      (SELECT to_char(min(day), 'YYYY-MM-DD') FROM mob_flow WHERE tenant = ${tenant}) AS flows_from,
      (SELECT to_char(max(day), 'YYYY-MM-DD') FROM mob_flow WHERE tenant = ${tenant}) AS flows_to,
      EXISTS (SELECT 1 FROM mob_day WHERE tenant = ${tenant} AND origin <> '') AS origins`.execute(db)
  return r.rows[0]!
}

export async function zones(db: Db, tenant: string, layer?: string) {
  const r = await sql<{
    zone: string
    name: string | null
    layer: string
    geometry: unknown
    lon: number
    lat: number
  }>`
    SELECT zone, name, layer, ST_AsGeoJSON(geom, 6)::jsonb AS geometry,
      ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
    FROM mob_zone WHERE tenant = ${tenant} ${layer ? sql`AND layer = ${layer}` : sql``} ORDER BY zone`.execute(db)
  return r.rows
}

export async function zoneNames(
  db: Db,
  tenant: string,
): Promise<Map<string, { name: string | null; at: [number, number] }>> {
  const r = await sql<{ zone: string; name: string | null; lon: number; lat: number }>`
    SELECT zone, name, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
    FROM mob_zone WHERE tenant = ${tenant}`.execute(db)
  return new Map(r.rows.map((x) => [x.zone, { name: x.name, at: [x.lon, x.lat] as [number, number] }]))
}

/** Replaces the zones of a layer (GeoJSON geometries, validated by PostGIS). */
export async function putZones(
  db: Db,
  tenant: string,
  layer: string,
  items: { zone: string; name: string | null; geometry: unknown }[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`DELETE FROM mob_zone WHERE tenant = ${tenant} AND layer = ${layer}`.execute(trx)
    for (let i = 0; i < items.length; i += 2000) {
      const part = items.slice(i, i + 2000)
      await sql`INSERT INTO mob_zone (tenant, zone, layer, name, geom)
        SELECT ${tenant}, r.zone, ${layer}, r.name, ST_SetSRID(ST_GeomFromGeoJSON(r.geometry::text), 4326)
        FROM jsonb_to_recordset(${JSON.stringify(part)}::jsonb) AS r(zone text, name text, geometry jsonb)
        ON CONFLICT (tenant, zone) DO UPDATE SET layer = excluded.layer, name = excluded.name, geom = excluded.geom`.execute(
        trx,
      )
    }
    const bad = await sql<{ zone: string; reason: string }>`SELECT zone, ST_IsValidReason(geom) AS reason FROM mob_zone
      WHERE tenant = ${tenant} AND layer = ${layer} AND NOT ST_IsValid(geom) LIMIT 1`.execute(trx)
    const b = bad.rows[0]
    if (b) throw new AppError('BadRequestData', `zone ${b.zone}: the geometry is not valid (${b.reason})`)
  })
}

export async function heatmap(db: Db, tenant: string, day: string, cls: number): Promise<ZoneDayRow[]> {
  const r = await sql<ZoneDayRow>`SELECT zone, to_char(day, 'YYYY-MM-DD') AS day, class, counts, hidden
    FROM mob_presence WHERE tenant = ${tenant} AND day = ${day}::date AND class = ${cls} AND origin = ''`.execute(db)
  return r.rows
}

/** Day rows of a zone ('' = the Comune's roll-up) for these classes, in day order. */
export async function zoneDays(
  db: Db,
  tenant: string,
  zone: string,
  classes: number[],
  from: string,
  to: string,
  origin = '',
): Promise<DayRow[]> {
  const r =
    zone === ''
      ? await sql<DayRow>`SELECT to_char(day, 'YYYY-MM-DD') AS day, class, counts, hidden FROM mob_day
          WHERE tenant = ${tenant} AND day BETWEEN ${from}::date AND ${to}::date AND class = ANY(${classes}::smallint[])
            AND origin = ${origin} ORDER BY day, class`.execute(db)
      : await sql<DayRow>`SELECT to_char(day, 'YYYY-MM-DD') AS day, class, counts, hidden FROM mob_presence
          WHERE tenant = ${tenant} AND zone = ${zone} AND day BETWEEN ${from}::date AND ${to}::date
            AND class = ANY(${classes}::smallint[]) AND origin = ${origin} ORDER BY day, class`.execute(db)
  return r.rows
}

/** Visitor-days per origin of a kind: for every day and class the peak of the published hours, added up. */
export async function originTotals(
  db: Db,
  tenant: string,
  prefix: string,
  classes: number[],
  from: string,
  to: string,
): Promise<{ origin: string; value: number }[]> {
  const r = await sql<{ origin: string; value: number }>`SELECT origin, sum(peak)::float8 AS value FROM (
      SELECT origin, (SELECT max(u.v) FROM unnest(counts) WITH ORDINALITY AS u(v, i)
        WHERE ((hidden >> (u.i::int - 1)) & 1) = 0) AS peak
      FROM mob_day WHERE tenant = ${tenant} AND day BETWEEN ${from}::date AND ${to}::date
        AND class = ANY(${classes}::smallint[]) AND origin LIKE ${`${prefix}%`}
    ) d WHERE peak IS NOT NULL GROUP BY origin ORDER BY value DESC, origin`.execute(db)
  return r.rows
}

/** Whole months in [from, to]: the roll-up answers; otherwise the day cells (only published ones: count >= k). */
function monthsCovering(from: string, to: string): string[] | null {
  if (!from.endsWith('-01')) return null
  const end = new Date(`${to}T00:00:00Z`)
  end.setUTCDate(end.getUTCDate() + 1)
  if (end.getUTCDate() !== 1) return null
  const months: string[] = []
  const d = new Date(`${from}T00:00:00Z`)
  while (d < end) {
    months.push(d.toISOString().slice(0, 10))
    d.setUTCMonth(d.getUTCMonth() + 1)
  }
  return months
}

export interface FlowSum {
  origin: string
  destination: string
  count: number
}

export async function topFlows(
  db: Db,
  tenant: string,
  from: string,
  to: string,
  classes: number[],
  k: number,
  limit: number,
): Promise<FlowSum[]> {
  const months = monthsCovering(from, to)
  const r = months
    ? await sql<FlowSum>`SELECT origin, destination, sum(count)::float8 AS count FROM mob_flow_month
        WHERE tenant = ${tenant} AND month = ANY(${months}::date[]) AND class = ANY(${classes}::smallint[])
        GROUP BY origin, destination ORDER BY count DESC, origin, destination LIMIT ${limit}`.execute(db)
    : await sql<FlowSum>`SELECT origin, destination, sum(count)::float8 AS count FROM mob_flow
        WHERE tenant = ${tenant} AND day BETWEEN ${from}::date AND ${to}::date AND class = ANY(${classes}::smallint[])
          AND count >= ${k}
        GROUP BY origin, destination ORDER BY count DESC, origin, destination LIMIT ${limit}`.execute(db)
  return r.rows
}

/** Published flow cells summed per band for trips entering (inflow) or leaving (outflow) the Comune's zones. */
export async function commuterBands(db: Db, tenant: string, from: string, to: string, cls: number, k: number) {
  const r = await sql<{ band: number; band_end: number; inflow: number; outflow: number; days: number }>`
    WITH f AS (
      SELECT f.band, f.band_end, f.count, f.day,
        EXISTS (SELECT 1 FROM mob_zone z WHERE z.tenant = ${tenant} AND z.zone = f.origin) AS o_in,
        EXISTS (SELECT 1 FROM mob_zone z WHERE z.tenant = ${tenant} AND z.zone = f.destination) AS d_in
      FROM mob_flow f WHERE f.tenant = ${tenant} AND f.day BETWEEN ${from}::date AND ${to}::date
        AND f.class = ${cls} AND f.count >= ${k})
    SELECT band, max(band_end)::int AS band_end,
      coalesce(sum(count) FILTER (WHERE d_in AND NOT o_in), 0)::float8 AS inflow,
      coalesce(sum(count) FILTER (WHERE o_in AND NOT d_in), 0)::float8 AS outflow,
      count(DISTINCT day)::int AS days
    FROM f GROUP BY band ORDER BY band`.execute(db)
  return r.rows
}

/** Mean dwell minutes per zone and class over a period, weighted by the people present, published hours only. */
export async function dwell(db: Db, tenant: string, from: string, to: string) {
  const r = await sql<{ zone: string; class: number; minutes: number }>`
    SELECT p.zone, p.class, (sum(u.d * u.c) / nullif(sum(u.c), 0))::float8 AS minutes
    FROM mob_presence p, unnest(p.dwell, p.counts) WITH ORDINALITY AS u(d, c, i)
    WHERE p.tenant = ${tenant} AND p.day BETWEEN ${from}::date AND ${to}::date AND p.origin = '' AND p.class < 4
      AND p.dwell IS NOT NULL AND u.d IS NOT NULL AND u.c > 0 AND ((p.hidden >> (u.i::int - 1)) & 1) = 0
    GROUP BY p.zone, p.class ORDER BY p.zone, p.class`.execute(db)
  return r.rows
}
