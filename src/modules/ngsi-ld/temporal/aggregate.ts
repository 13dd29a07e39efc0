/**
 * Aggregated temporal representation (clause 4.5.19): totalCount, distinctCount, sum, avg, min, max, stddev, sumsq per
 * period, computed by PostgreSQL. Periods are `date_bin` buckets of `aggrPeriodDuration` from the origin (timeAt with
 * after/between, else 1970-01-01T00:00:00Z), calendar months (UTC) for month durations, or the whole window for PT0S.
 *
 * The first statement reads only the series index (eid, sid, observed_at) INCLUDE (tenant, dataset_id, num, deleted), so
 * numbers aggregate with index-only scans. Only periods holding non-numeric values (strings, relationships, ...) need
 * a second statement over the stored instances: their type, distinctCount over JSON values, and min/max of strings
 * (lexicographic, so ISO dates too). stddev is the sample standard deviation (`stddev_samp`: null for one value).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { DB } from '../../../db/schema.js'
import type { Period } from './duration.js'
import type { AggrMethod, TimeWindow } from './params.js'
import { epochMs, pairsTable, seriesMatch, timeColumn, windowConditions } from './repo.js'

export const EPOCH = '1970-01-01T00:00:00.000Z'

const NUMERIC: Record<AggrMethod, RawBuilder<unknown>> = {
  totalCount: sql`count(*)`,
  distinctCount: sql`count(DISTINCT h.num)`,
  sum: sql`sum(h.num)`,
  avg: sql`avg(h.num)`,
  min: sql`min(h.num)`,
  max: sql`max(h.num)`,
  stddev: sql`stddev_samp(h.num)`,
  sumsq: sql`sum(h.num * h.num)`,
}

const VALUE = sql`COALESCE(to_jsonb(h.num), h.inst->'value', h.inst->'object', h.inst->'languageMap', h.inst->'json',
  h.inst->'valueList', h.inst->'objectList', h.inst->'vocab')`
const STRINGS = sql`FILTER (WHERE h.num IS NULL AND jsonb_typeof(h.inst->'value') = 'string')`

/** The origin of the periods: timeAt for after/between, else the epoch. */
export const periodOrigin = (w: TimeWindow): string =>
  (w.timerel === 'after' || w.timerel === 'between') && w.timeAt ? w.timeAt : EPOCH

/** SQL of the start of the period holding `col`. */
function bucket(period: Period, col: RawBuilder<unknown>, origin: string): RawBuilder<unknown> {
  if (period.kind === 'fixed') {
    return sql`date_bin(make_interval(secs => ${period.ms / 1000}::float8), ${col}, ${origin}::timestamptz)`
  }
  if (period.kind === 'months') {
    // month index (year * 12 + month - 1) in UTC, floored to a multiple of n counted from the origin's month
    const idx = (e: RawBuilder<unknown>) =>
      sql`(extract(year FROM ${e} AT TIME ZONE 'UTC')::int * 12 + extract(month FROM ${e} AT TIME ZONE 'UTC')::int - 1)`
    const o = idx(sql`${origin}::timestamptz`)
    const k = sql`(${o} + floor((${idx(col)} - ${o})::numeric / ${period.months})::int * ${period.months})`
    return sql`make_timestamptz(${k} / 12, ${k} % 12 + 1, 1, 0, 0, 0, 'UTC')`
  }
  return sql`NULL::timestamptz`
}

export interface AggregateRow {
  entity_id: string
  attr: string
  dataset_id: string
  /** Period start (null for the whole window). */
  start: Date | null
  first: Date
  last: Date
  /** 'Property' when the period holds only numbers, else the type of its other instances. */
  type: string | null
  [method: string]: unknown
}

interface Pair {
  entityId: string
  attr: string
}

export interface AggregateOptions {
  methods: AggrMethod[]
  period: Period
  datasetId?: string[] | undefined
}

async function aggregate(
  db: Kysely<DB>,
  tenant: string,
  pairs: readonly Pair[],
  w: TimeWindow,
  opts: AggregateOptions,
  select: RawBuilder<unknown>[],
): Promise<AggregateRow[]> {
  const col = timeColumn(w)
  const conds = [
    sql<boolean>`h.tenant = ${tenant}`,
    ...windowConditions(w, { datasetId: opts.datasetId, withDeletions: false }),
  ]
  // one aggregation per pair (LATERAL): the planner sees a few hundred rows per group and aggregates them by hash,
  // rather than sorting the whole window; pairs are numbered (k.i) and mapped back below. Rows are grouped by the
  // bucket's timestamp, turned into epoch milliseconds once per group (numeric arithmetic per row costs a third).
  const r = await sql<AggregateRow & { i: number; b?: unknown }>`SELECT k.i, x.* FROM ${pairsTable(pairs)}
    CROSS JOIN LATERAL (
      SELECT ${epochMs(sql`g.b`)} AS start, g.* FROM (
        SELECT h.dataset_id, ${bucket(opts.period, col, periodOrigin(w))} AS b, ${sql.join(select)}
        FROM ngsi_attr_history h
        WHERE ${seriesMatch(sql`k.e`, sql`k.a`)} AND ${sql.join(conds, sql` AND `)}
        GROUP BY 1, 2
      ) g
    ) x
    ORDER BY k.i, x.dataset_id, x.start`.execute(db)
  return r.rows.map(({ i, b: _bucket, ...row }) => {
    const p = pairs[Number(i) - 1]!
    const start = row.start as unknown as number | null
    const first = row.first as unknown as number | undefined
    const last = row.last as unknown as number | undefined
    return {
      ...row,
      entity_id: p.entityId,
      attr: p.attr,
      start: start === null ? null : new Date(start),
      ...(first === undefined ? {} : { first: new Date(first) }),
      ...(last === undefined ? {} : { last: new Date(last) }),
    }
  })
}

const groupKey = (r: { entity_id: string; attr: string; dataset_id: string; start: Date | null }) =>
  `${r.entity_id}\u0000${r.attr}\u0000${r.dataset_id}\u0000${r.start?.getTime() ?? ''}`

export async function selectAggregates(
  db: Kysely<DB>,
  tenant: string,
  pairs: readonly Pair[],
  w: TimeWindow,
  opts: AggregateOptions,
): Promise<AggregateRow[]> {
  if (pairs.length === 0) return []
  const col = timeColumn(w)
  const numeric = opts.methods.map((m) => sql`${NUMERIC[m]} AS ${sql.id(m)}`)
  const rows = await aggregate(db, tenant, pairs, w, opts, [
    sql`${epochMs(sql`min(${col})`)} AS first`,
    sql`${epochMs(sql`max(${col})`)} AS last`,
    sql`count(*) - count(h.num) AS others`,
    ...numeric,
  ])
  const mixed = rows.filter((r) => Number(r.others) > 0)
  for (const r of rows) {
    r.type = 'Property'
    delete r.others
  }
  if (mixed.length === 0) return rows
  // periods with other values than numbers: read their instances
  const seen = new Set(mixed.map((r) => `${r.entity_id}\u0000${r.attr}`))
  const again = pairs.filter((p) => seen.has(`${p.entityId}\u0000${p.attr}`))
  const extra = await aggregate(db, tenant, again, w, opts, [
    sql`max(h.inst->>'type') FILTER (WHERE h.num IS NULL) AS type`,
    sql`count(DISTINCT ${VALUE}) AS "distinctCount"`,
    sql`to_jsonb(min(h.inst->>'value') ${STRINGS}) AS min`,
    sql`to_jsonb(max(h.inst->>'value') ${STRINGS}) AS max`,
  ])
  const byKey = new Map(extra.map((x) => [groupKey(x), x]))
  for (const r of mixed) {
    const x = byKey.get(groupKey(r))
    if (!x) continue
    if (x.type) r.type = x.type
    if (opts.methods.includes('distinctCount')) r.distinctCount = x.distinctCount
    // numbers win over strings for min and max
    if (opts.methods.includes('min') && r.min == null) r.min = x.min
    if (opts.methods.includes('max') && r.max == null) r.max = x.max
  }
  return rows
}
