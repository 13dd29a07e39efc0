/**
 * SQL of the history (`ngsi_attr_history`) and of the temporal entities (`ngsi_temporal_entities`), see migration 003.
 * A write is one statement whatever its size: rows travel as one JSON array (jsonb_to_recordset).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { DB } from '../../../db/schema.js'
import type { HistoryRow, TemporalEntityRow } from './history-rows.js'
import type { TimeWindow } from './params.js'

type Db = Kysely<DB>

/**
 * The rows as one compact JSON array: PostgreSQL parses the whole parameter before the first row is inserted, and that
 * parse (with three date-times per row) was about half of the statement. Attribute names travel once (`a` indexes a
 * short text array), and members that repeat the common case are left out: `m` when it is the write's most frequent
 * modifiedAt (`$m`), `c` when it equals the row's modifiedAt, `t` when it equals it too, `d` when empty, `x` when false,
 * `n` when null. Entity ids stay in the rows: subscripting a long text array costs a walk from its start per row.
 */
export function compactHistory(rows: readonly HistoryRow[]) {
  const attrs = new Map<string, number>()
  const attrIndex = (k: string) => {
    let i = attrs.get(k)
    if (i === undefined) {
      i = attrs.size + 1 // PostgreSQL arrays start at 1
      attrs.set(k, i)
    }
    return i
  }
  const counts = new Map<string, number>()
  let modified = ''
  let best = 0
  for (const r of rows) {
    const n = (counts.get(r.modifiedAt) ?? 0) + 1
    counts.set(r.modifiedAt, n)
    if (n > best) {
      best = n
      modified = r.modifiedAt
    }
  }
  const recs = rows.map((r) => {
    const rec: Record<string, unknown> = { e: r.entityId, a: attrIndex(r.attr) }
    if (r.modifiedAt !== modified) rec.m = r.modifiedAt
    if (r.createdAt !== r.modifiedAt) rec.c = r.createdAt
    if (r.time !== r.modifiedAt) rec.t = r.time
    if (r.datasetId !== '') rec.d = r.datasetId
    if (r.deleted) rec.x = true
    if (r.num !== null) rec.n = r.num
    rec.i = r.inst
    return rec
  })
  return { json: JSON.stringify(recs), attrs: [...attrs.keys()], modified }
}

/**
 * Appends history rows and records temporal entities, in one statement. A record that already has these types and
 * attribute names is left alone (a primary key probe, no write).
 */
export async function insertHistory(
  trx: Db,
  tenant: string,
  rows: readonly HistoryRow[],
  entities: readonly TemporalEntityRow[],
): Promise<void> {
  const [a, b] = historyStatements(tenant, rows, entities)
  if (b) await sql`WITH reg AS (${a}) ${b}`.execute(trx)
  else await a?.execute(trx)
}

/**
 * The statements of `insertHistory`: the registration of temporal entities and the INSERT of the rows (none, one or
 * both). With `written` (a subquery of entity ids), only those entities' rows and records: as CTEs of a one-statement
 * entity write.
 */
export function historyStatements(
  tenant: string,
  rows: readonly HistoryRow[],
  entities: readonly TemporalEntityRow[],
  written?: RawBuilder<unknown>,
): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = []
  if (entities.length > 0) out.push(registration(tenant, entities, written))
  if (rows.length > 0) out.push(historyRows(tenant, rows, written))
  return out
}

function historyRows(tenant: string, rows: readonly HistoryRow[], written?: RawBuilder<unknown>) {
  const h = compactHistory(rows)
  return sql`INSERT INTO ngsi_attr_history
      (observed_at, created_at, modified_at, num, deleted, tenant, entity_id, attr, dataset_id, inst)
    SELECT coalesce(x.t, x.m, ${h.modified}::timestamptz), coalesce(x.c, x.m, ${h.modified}::timestamptz),
      coalesce(x.m, ${h.modified}::timestamptz), x.n, coalesce(x.x, false), ${tenant},
      x.e, (${h.attrs}::text[])[x.a], coalesce(x.d, ''), x.i
    FROM jsonb_to_recordset(${h.json}::jsonb)
      AS x(e text, a int, m timestamptz, c timestamptz, t timestamptz, d text, x boolean, n float8, i jsonb)
    ${written ? sql`WHERE x.e IN ${written}` : sql``}`
}

function registration(tenant: string, entities: readonly TemporalEntityRow[], written?: RawBuilder<unknown>) {
  // The probe of the existing record is a LATERAL subquery with LIMIT, so that it stays a primary-key lookup per row:
  // written as NOT EXISTS, the planner turned it into a hash anti-join over every temporal entity of the tenant (a
  // scan of 100,000 rows for a one-attribute PATCH).
  return sql`INSERT INTO ngsi_temporal_entities AS r (tenant, id, types, attr_names, created_at)
    SELECT ${tenant}, u.id, g.ty, g.na, u.c
    FROM jsonb_to_recordset(${registrationGroups(entities)}::jsonb)
      AS g(ty text[], na text[], ids text[], cs timestamptz[])
    CROSS JOIN LATERAL unnest(g.ids, g.cs) AS u(id, c)
    LEFT JOIN LATERAL (SELECT o.types, o.attr_names FROM ngsi_temporal_entities o
      WHERE o.tenant = ${tenant} AND o.id = u.id LIMIT 1) o ON true
    WHERE (o.types IS NULL OR o.types <> g.ty OR NOT (o.attr_names @> g.na))${written ? sql` AND u.id IN ${written}` : sql``}
    ON CONFLICT (tenant, id) DO UPDATE SET types = EXCLUDED.types,
      attr_names = ARRAY(SELECT DISTINCT n FROM unnest(r.attr_names || EXCLUDED.attr_names) AS n ORDER BY n)`
}

/**
 * The temporal entities to record as groups sharing their types and attribute names (the entities of a batch mostly
 * do): PostgreSQL converts each group's arrays once rather than once per entity, which made the registration of a
 * batch of 1,000 unchanged entities cost ~17 ms instead of ~4 ms.
 */
function registrationGroups(entities: readonly TemporalEntityRow[]): string {
  const groups = new Map<string, { ty: string[]; na: string[]; ids: string[]; cs: string[] }>()
  for (const e of dedupe(entities)) {
    const key = JSON.stringify([e.types, e.attrNames])
    let g = groups.get(key)
    if (!g) {
      g = { ty: e.types, na: e.attrNames, ids: [], cs: [] }
      groups.set(key, g)
    }
    g.ids.push(e.id)
    g.cs.push(e.createdAt)
  }
  return JSON.stringify([...groups.values()])
}

function dedupe(entities: readonly TemporalEntityRow[]): TemporalEntityRow[] {
  const byId = new Map<string, TemporalEntityRow>()
  for (const e of entities) {
    const prev = byId.get(e.id)
    byId.set(e.id, prev ? { ...e, attrNames: [...new Set([...prev.attrNames, ...e.attrNames])] } : e)
  }
  return [...byId.values()]
}

export interface TemporalEntity {
  id: string
  types: string[]
  attrNames: string[]
}

export async function getTemporalEntity(db: Db, tenant: string, id: string): Promise<TemporalEntity | undefined> {
  const r = await sql<{ id: string; types: string[]; attr_names: string[] }>`SELECT id, types, attr_names
    FROM ngsi_temporal_entities WHERE tenant = ${tenant} AND id = ${id}`.execute(db)
  const row = r.rows[0]
  return row && { id: row.id, types: row.types, attrNames: row.attr_names }
}

export async function lockTemporalEntity(trx: Db, tenant: string, id: string): Promise<TemporalEntity | undefined> {
  const r = await sql<{ id: string; types: string[]; attr_names: string[] }>`SELECT id, types, attr_names
    FROM ngsi_temporal_entities WHERE tenant = ${tenant} AND id = ${id} FOR UPDATE`.execute(trx)
  const row = r.rows[0]
  return row && { id: row.id, types: row.types, attrNames: row.attr_names }
}

/** Which temporal entities a query selects: filters on the temporal entity, and on the current entity (q, geo...). */
export interface TemporalFilter {
  /** Boolean SQL over `ngsi_temporal_entities e` (type, id, idPattern). */
  own: RawBuilder<boolean>[]
  /** Boolean SQL over `ngsi_entities e` (q, scopeQ, geo-queries): the entity's current state. */
  state: RawBuilder<boolean>[]
  /** Entities with history of one of these attributes. */
  attrs?: string[]
}

function selection(tenant: string, f: TemporalFilter) {
  const own = sql.join([sql`e.tenant = ${tenant}`, ...f.own], sql` AND `)
  const conds: RawBuilder<boolean>[] = []
  if (f.state.length) {
    conds.push(sql<boolean>`EXISTS (SELECT 1 FROM ngsi_entities e WHERE e.tenant = ${tenant} AND e.id = te.id AND
      ${sql.join(f.state, sql` AND `)})`)
  }
  if (f.attrs?.length) conds.push(sql<boolean>`te.attr_names && ${f.attrs}::text[]`)
  const where = conds.length ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``
  return sql`(SELECT e.id, e.types, e.attr_names FROM ngsi_temporal_entities e WHERE ${own}) te ${where}`
}

export async function queryTemporalEntities(
  db: Db,
  tenant: string,
  f: TemporalFilter,
  page: { limit: number; offset: number },
): Promise<TemporalEntity[]> {
  if (page.limit === 0) return []
  const r = await sql<{ id: string; types: string[]; attr_names: string[] }>`SELECT te.id, te.types, te.attr_names
    FROM ${selection(tenant, f)} ORDER BY te.id LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db)
  return r.rows.map((x) => ({ id: x.id, types: x.types, attrNames: x.attr_names }))
}

export async function countTemporalEntities(db: Db, tenant: string, f: TemporalFilter): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${selection(tenant, f)}`.execute(db)
  return Number(r.rows[0]?.n ?? 0)
}

// ---- the time window

/**
 * A timestamptz as epoch milliseconds (float8): parsing numbers costs the driver far less than parsing date-times
 * (thousands of rows per answer). Microseconds are kept as a fraction.
 */
export const epochMs = (e: RawBuilder<unknown>) => sql`(extract(epoch FROM ${e}) * 1000)::float8`

/** The two hashes of a series (entity, attribute): the generated columns `eid` (migration 010) and `sid` (003). */
export const seriesHashes = (entityId: RawBuilder<unknown>, attr: RawBuilder<unknown>) => ({
  eid: sql`hashtextextended(${entityId}, 0)`,
  sid: sql`hashtextextended(${entityId} || ' ' || ${attr}, 0)`,
})

/**
 * The rows of one series of `ngsi_attr_history h`, as its index is read: entity hash, then series hash. Both are
 * 64-bit hashes; callers check entity_id and attr as well.
 */
export function seriesMatch(entityId: RawBuilder<unknown>, attr: RawBuilder<unknown>) {
  const k = seriesHashes(entityId, attr)
  return sql<boolean>`h.eid = ${k.eid} AND h.sid = ${k.sid}`
}

/** (entity, attribute) pairs as a table `k(e, a)`. */
export const pairsTable = (pairs: readonly { entityId: string; attr: string }[]) =>
  sql`unnest(${pairs.map((p) => p.entityId)}::text[], ${pairs.map((p) => p.attr)}::text[]) WITH ORDINALITY AS k(e, a, i)`

const COLUMNS = {
  observedAt: 'observed_at',
  createdAt: 'created_at',
  modifiedAt: 'modified_at',
  deletedAt: 'observed_at',
}

/** The history column a time property reads (deletedAt: the time of deletion markers). */
export const timeColumn = (w: TimeWindow) => sql.ref(`h.${COLUMNS[w.timeproperty]}`)

/** Conditions on `ngsi_attr_history h` for the window, the datasets and whether deletions are wanted. */
export function windowConditions(
  w: TimeWindow,
  opts: { datasetId?: string[] | undefined; withDeletions: boolean },
): RawBuilder<boolean>[] {
  const col = timeColumn(w)
  const out: RawBuilder<boolean>[] = []
  if (w.timerel === 'before') out.push(sql<boolean>`${col} < ${w.timeAt}::timestamptz`)
  else if (w.timerel === 'after') out.push(sql<boolean>`${col} >= ${w.timeAt}::timestamptz`)
  else if (w.timerel === 'between') {
    out.push(sql<boolean>`${col} >= ${w.timeAt}::timestamptz AND ${col} < ${w.endTimeAt}::timestamptz`)
  }
  if (w.timeproperty === 'deletedAt') out.push(sql<boolean>`h.deleted`)
  else if (!opts.withDeletions) out.push(sql<boolean>`NOT h.deleted`)
  if (opts.datasetId) {
    out.push(sql<boolean>`h.dataset_id = ANY(${opts.datasetId.map((d) => (d === '@none' ? '' : d))}::text[])`)
  }
  return out
}

export interface InstanceRow {
  entity_id: string
  attr: string
  dataset_id: string
  instance_id: string
  t: Date
  observed_at: Date
  created_at: Date
  modified_at: Date
  deleted: boolean
  inst: Record<string, unknown>
}

/**
 * (The check of entity_id and attr, against a collision of the 64-bit series hash, stays outside the per-series scan:
 * inside, it makes the planner expect a handful of rows and sort them instead of reading the index in order.)
 * The first (or, descending, the last) `perSeries` instances of each (entity, attribute) in the window: one index
 * range scan per pair on (eid, sid, observed_at), in one statement.
 */
export async function selectInstances(
  db: Db,
  tenant: string,
  pairs: { entityId: string; attr: string }[],
  w: TimeWindow,
  opts: { datasetId?: string[] | undefined; withDeletions: boolean; perSeries: number; descending: boolean },
): Promise<InstanceRow[]> {
  if (pairs.length === 0) return []
  const col = timeColumn(w)
  const conds = windowConditions(w, opts)
  const more = conds.length ? sql`AND ${sql.join(conds, sql` AND `)}` : sql``
  const dir = opts.descending ? sql`DESC` : sql`ASC`
  const r = await sql<RawInstanceRow>`SELECT x.* FROM ${pairsTable(pairs)}
    CROSS JOIN LATERAL (
      SELECT h.entity_id, h.attr, h.dataset_id, h.instance_id::text AS instance_id, ${epochMs(col)} AS t,
        ${epochMs(sql`h.observed_at`)} AS observed_at, ${epochMs(sql`h.created_at`)} AS created_at,
        ${epochMs(sql`h.modified_at`)} AS modified_at, h.deleted, h.inst
      FROM ngsi_attr_history h
      WHERE h.tenant = ${tenant} AND ${seriesMatch(sql`k.e`, sql`k.a`)} ${more}
      ORDER BY ${col} ${dir} LIMIT ${opts.perSeries}
    ) x
    WHERE x.entity_id = k.e AND x.attr = k.a`.execute(db)
  return r.rows.map(toInstanceRow)
}

/** An instance row as selected with epochMs times. */
export type RawInstanceRow = Omit<InstanceRow, 't' | 'observed_at' | 'created_at' | 'modified_at'> & {
  t: number
  observed_at: number
  created_at: number
  modified_at: number
}

export const toInstanceRow = (r: RawInstanceRow): InstanceRow => ({
  ...r,
  t: new Date(r.t),
  observed_at: new Date(r.observed_at),
  created_at: new Date(r.created_at),
  modified_at: new Date(r.modified_at),
})
