/**
 * SQL of the public portal over the broker's tables: one statement per question. Public entities are those of a
 * catalog member (type, and measurementType where the member names one), found through the GIN indexes on
 * `types` and on the index document `search` (src/modules/ngsi-ld/search-doc.ts); only the shown attributes travel
 * back.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { AttrInstance } from '../ngsi-ld/model.js'
import { searchKey } from '../ngsi-ld/search-doc.js'
import { seriesMatch } from '../ngsi-ld/temporal/repo.js'
import type { Catalog, ResolvedMember } from './catalog.js'

type Db = Kysely<DB>

/** The SQL condition (over `ngsi_entities e`) of one member. */
export function memberCondition(m: ResolvedMember): RawBuilder<boolean> {
  const type = sql<boolean>`e.types @> ARRAY[${m.typeIri}]::text[]`
  if (!m.measurementType) return type
  const { iri, value } = m.measurementType
  const doc = JSON.stringify({ [iri]: [{ value }] })
  // A string value is kept in the index document (measurement or not): the GIN index finds the candidates.
  const indexed = JSON.stringify({ [searchKey(iri)]: [{ value }] })
  return sql<boolean>`(${type} AND e.search @> ${indexed}::jsonb AND e.attrs @> ${doc}::jsonb)`
}

const anyOf = (members: readonly ResolvedMember[]) =>
  members.length ? sql<boolean>`(${sql.join(members.map(memberCondition), sql` OR `)})` : sql<boolean>`false`

/** The member index of each entity: the first member whose condition holds. */
const memberIndex = (members: readonly ResolvedMember[]) =>
  members.length
    ? sql<number>`CASE ${sql.join(
        members.map((m) => sql`WHEN ${memberCondition(m)} THEN ${sql.lit(m.index)}`),
        sql` `,
      )} END`
    : sql<number>`NULL::int`

export interface EntityRows {
  total: number
  items: { id: string; m: number; attrs: Record<string, AttrInstance[]> | null }[]
}

/**
 * A page of public entities (ordered by id) and how many match, in one statement. `ids` restricts to these entities
 * (a single entity, the changed ones of the live feed).
 */
export async function selectEntities(
  db: Db,
  tenant: string,
  catalog: Catalog,
  members: readonly ResolvedMember[],
  page: { limit: number; offset: number; ids?: readonly string[] },
): Promise<EntityRows> {
  const idFilter = page.ids ? sql`AND e.id = ANY(${[...page.ids]}::text[])` : sql``
  const r = await sql<{ total: number; items: EntityRows['items'] | string }>`WITH sel AS (
      SELECT e.id, ${memberIndex(members)} AS m FROM ngsi_entities e
      WHERE e.tenant = ${tenant} AND ${anyOf(members)} ${idFilter}
    )
    SELECT (SELECT count(*) FROM sel)::int AS total,
      COALESCE((SELECT jsonb_agg(jsonb_build_object('id', p.id, 'm', p.m, 'attrs', p.attrs) ORDER BY p.id) FROM (
        SELECT s.id, s.m, (SELECT jsonb_object_agg(a.k, a.v) FROM jsonb_each(e.attrs) AS a(k, v)
          WHERE a.k = ANY(${catalog.attrIris}::text[])) AS attrs
        FROM (SELECT * FROM sel ORDER BY id LIMIT ${page.limit} OFFSET ${page.offset}) s
        JOIN ngsi_entities e ON e.tenant = ${tenant} AND e.id = s.id
      ) p), '[]'::jsonb) AS items`.execute(db)
  const row = r.rows[0]
  const items = typeof row?.items === 'string' ? JSON.parse(row.items) : (row?.items ?? [])
  return { total: Number(row?.total ?? 0), items }
}

// ---- the city now

/** The number in the default instance of an attribute of `e`, or NULL. */
const num = (iri: string) =>
  sql<number>`CASE WHEN jsonb_typeof(e.attrs->${iri}->0->'value') = 'number'
    THEN (e.attrs->${iri}->0->>'value')::float8 END`
const isTrue = (iri: string) => sql<boolean>`(e.attrs->${iri}->0->'value') = 'true'::jsonb`
const observed = (iri: string) => sql<string>`max((e.attrs->${iri}->0->>'observedAt')::timestamptz)`

export interface NowIris {
  air: { m: ResolvedMember[]; no2: string; pm10: string; pm25: string; o3: string }
  weather: {
    m: ResolvedMember[]
    temperature: string
    relativeHumidity: string
    precipitation: string
    windSpeed: string
  }
  traffic: { m: ResolvedMember[]; intensity: string; speed: string; congested: string }
  parking: { m: ResolvedMember[]; free: string; total: string }
  energy: { m: ResolvedMember[]; power: string; energy: string }
}

export interface NowRow {
  air: { n: number; no2: number | null; pm10: number | null; pm25: number | null; o3: number | null; at: string | null }
  weather: {
    n: number
    temperature: number | null
    relativeHumidity: number | null
    precipitation: number | null
    windSpeed: number | null
    at: string | null
  }
  traffic: { n: number; intensity: number | null; speed: number | null; congested: number; at: string | null }
  parking: { n: number; free: number | null; total: number | null; at: string | null }
  energy: { n: number; power: number | null; kwh: number | null; at: string | null }
}

/**
 * Averages and sums over the current state of the stations that report (a station that never sent a value does not
 * count), and the energy used today: per electricity meter, the
 * largest minus the smallest reading of the cumulative `totalActiveEnergyImport` since midnight in the Comune's time
 * zone (its history, one index range scan per meter), summed.
 */
export async function selectNow(db: Db, tenant: string, k: NowIris): Promise<NowRow> {
  const from = (ms: ResolvedMember[]) => sql`FROM ngsi_entities e WHERE e.tenant = ${tenant} AND ${anyOf(ms)}`
  const e = k.energy.energy
  const r = await sql<{ [K in keyof NowRow]: NowRow[K] | string }>`WITH
    tz AS (SELECT COALESCE((SELECT timezone FROM tenants WHERE id = ${tenant}), 'Europe/Rome') AS z),
    midnight AS (SELECT date_trunc('day', now() AT TIME ZONE tz.z) AT TIME ZONE tz.z AS t FROM tz),
    air AS (SELECT count(*) FILTER (WHERE ${num(k.air.no2)} IS NOT NULL OR ${num(k.air.pm10)} IS NOT NULL
        OR ${num(k.air.pm25)} IS NOT NULL OR ${num(k.air.o3)} IS NOT NULL)::int AS n, avg(${num(k.air.no2)}) AS no2, avg(${num(k.air.pm10)}) AS pm10,
      avg(${num(k.air.pm25)}) AS pm25, avg(${num(k.air.o3)}) AS o3, ${observed(k.air.no2)} AS at ${from(k.air.m)}),
    weather AS (SELECT count(${num(k.weather.temperature)})::int AS n, avg(${num(k.weather.temperature)}) AS temperature,
      avg(${num(k.weather.relativeHumidity)}) AS "relativeHumidity",
      avg(${num(k.weather.precipitation)}) AS precipitation, avg(${num(k.weather.windSpeed)}) AS "windSpeed",
      ${observed(k.weather.temperature)} AS at ${from(k.weather.m)}),
    traffic AS (SELECT count(${num(k.traffic.intensity)})::int AS n, sum(${num(k.traffic.intensity)}) AS intensity,
      avg(${num(k.traffic.speed)}) AS speed, count(*) FILTER (WHERE ${isTrue(k.traffic.congested)})::int AS congested,
      ${observed(k.traffic.intensity)} AS at ${from(k.traffic.m)}),
    parking AS (SELECT count(${num(k.parking.free)})::int AS n, sum(${num(k.parking.free)}) AS free,
      sum(${num(k.parking.total)}) FILTER (WHERE ${num(k.parking.free)} IS NOT NULL) AS total,
      ${observed(k.parking.free)} AS at ${from(k.parking.m)}),
    meters AS (SELECT e.id, ${num(k.energy.power)} AS power, (e.attrs->${k.energy.power}->0->>'observedAt') AS at
      ${from(k.energy.m)}),
    energy AS (SELECT count(*)::int AS n, sum(m.power) AS power, sum(d.kwh) AS kwh, max(m.at::timestamptz) AS at
      FROM meters m LEFT JOIN LATERAL (
        SELECT max(h.num) - min(h.num) AS kwh FROM ngsi_attr_history h
        WHERE h.tenant = ${tenant} AND ${seriesMatch(sql`m.id`, sql`${e}::text`)}
          AND h.observed_at >= (SELECT t FROM midnight) AND h.entity_id = m.id AND h.attr = ${e} AND NOT h.deleted
      ) d ON true)
    SELECT to_jsonb(air) AS air, to_jsonb(weather) AS weather, to_jsonb(traffic) AS traffic,
      to_jsonb(parking) AS parking, to_jsonb(energy) AS energy
    FROM air, weather, traffic, parking, energy`.execute(db)
  const row = r.rows[0]!
  const parse = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v)
  return {
    air: parse(row.air),
    weather: parse(row.weather),
    traffic: parse(row.traffic),
    parking: parse(row.parking),
    energy: parse(row.energy),
  }
}
