/**
 * SQL of the NGSI-LD current state. Every operation is one statement (or one per table) whatever the number of
 * entities: batches travel as one JSON parameter, unpacked by PostgreSQL.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { AttrInstance, AttrMap, StoredEntity } from './model.js'
import { searchDoc, searchDocDelta } from './search-doc.js'
import { epochMs } from './temporal/repo.js'

type Db = Kysely<DB>

/**
 * Entity ids as a parameter the planner does not look into (a scalar subquery): the plan then does not depend on how
 * many there are, so that PostgreSQL keeps one generic plan for a named statement (src/db/prepared.ts) instead of
 * planning it again at every execution (the custom plan of a known short array always looks cheaper). The primary
 * key still finds the rows, one probe per id.
 */
const idList = (ids: readonly string[]) => sql`(SELECT ${[...ids]}::text[])::text[]`

interface EntityRow {
  id: string
  types: string[]
  scopes: string[] | null
  attrs: AttrMap | string
  /** Epoch milliseconds as selected by COLUMNS (a Date or a string from other selections). */
  created_at: number | Date | string
  modified_at: number | Date | string
}

const iso = (d: number | Date | string) => (d instanceof Date ? d : new Date(d)).toISOString()

export function rowToEntity(r: EntityRow): StoredEntity {
  return {
    id: r.id,
    types: r.types,
    ...(r.scopes?.length ? { scopes: r.scopes } : {}),
    attrs: typeof r.attrs === 'string' ? (JSON.parse(r.attrs) as AttrMap) : r.attrs,
    createdAt: iso(r.created_at),
    modifiedAt: iso(r.modified_at),
  }
}

/** Times as epoch milliseconds: the driver parses a number in half the time of a date-time (two per entity read). */
const COLUMNS = sql`e.id, e.types, e.scopes, e.attrs, ${epochMs(sql`e.created_at`)} AS created_at,
  ${epochMs(sql`e.modified_at`)} AS modified_at`

interface VersionedRow extends EntityRow {
  v: string
  t_types: string[] | null
  t_names: string[] | null
}

/**
 * The rows of these entities, one statement whatever their number: with `version`, each row's version (`xmin`, the
 * transaction that wrote it) and the entity's temporal record (its registered types and attribute names, when it has
 * one); with `lock`, locked for the rest of the transaction, in id order.
 */
async function selectEntities(
  db: Db,
  tenant: string,
  ids: readonly string[],
  opts: { lock?: boolean; version?: boolean } = {},
): Promise<(EntityRow & Partial<VersionedRow>)[]> {
  if (ids.length === 0) return []
  // The record is probed per row (LATERAL with LIMIT): a primary-key lookup whatever the planner knows of the table.
  const r = await sql<EntityRow & Partial<VersionedRow>>`SELECT ${COLUMNS}${
    opts.version ? sql`, e.xmin::text AS v, to_json(t.types) AS t_types, to_json(t.attr_names) AS t_names` : sql``
  }
    FROM ngsi_entities e${
      opts.version
        ? sql` LEFT JOIN LATERAL (SELECT r.types, r.attr_names FROM ngsi_temporal_entities r
      WHERE r.tenant = ${tenant} AND r.id = e.id LIMIT 1) t ON true`
        : sql``
    }
    WHERE e.tenant = ${tenant} AND e.id = ANY(${idList(ids)})${opts.lock ? sql` ORDER BY e.id FOR UPDATE` : sql``}`.execute(
    db,
  )
  return r.rows
}

/** The current state of these entities (see read-batch.ts). */
export async function getEntities(db: Db, tenant: string, ids: readonly string[]): Promise<Map<string, StoredEntity>> {
  return new Map((await selectEntities(db, tenant, ids)).map((row) => [row.id, rowToEntity(row)]))
}

/** The current state of these entities, locked for the rest of the transaction. */
export async function lockEntities(
  trx: Db,
  tenant: string,
  ids: readonly string[],
): Promise<Map<string, StoredEntity>> {
  return new Map((await selectEntities(trx, tenant, ids, { lock: true })).map((row) => [row.id, rowToEntity(row)]))
}

/** What an entity's temporal record holds (ngsi_temporal_entities): the types and attribute names registered. */
export interface TemporalRecord {
  types: string[]
  attrNames: string[]
}

/**
 * An entity's state, the version of its row (`xmin`, the transaction that wrote it) and its temporal record as read
 * with it (null: none): for writes without a lock.
 */
export interface Versioned {
  entity: StoredEntity
  version: string
  temporal: TemporalRecord | null
}

/**
 * The current state of these entities with their row versions and temporal records, not locked. The record read is
 * still the entity's when a write checks the row version: whatever removes from a record changes the entity's row
 * first (temporal/repo-writes.ts, `fenceEntity`).
 */
export async function readVersioned(db: Db, tenant: string, ids: readonly string[]): Promise<Map<string, Versioned>> {
  const rows = await selectEntities(db, tenant, ids, { version: true })
  return new Map(
    rows.map((row) => [
      row.id,
      {
        entity: rowToEntity(row),
        version: row.v!,
        temporal: row.t_types ? { types: row.t_types, attrNames: row.t_names ?? [] } : null,
      },
    ]),
  )
}

/**
 * A batch of entities as one JSON parameter: one native `JSON.stringify` instead of six array parameters of JSON
 * strings (node-pg escapes every quote of an array literal), unpacked by PostgreSQL with `jsonb_to_recordset`.
 */
function rowsJson(entities: readonly StoredEntity[]): string {
  return JSON.stringify(
    entities.map((e) => ({
      id: e.id,
      types: e.types,
      scopes: e.scopes?.length ? e.scopes : null,
      attrs: e.attrs,
      search: searchDoc(e.attrs),
      created: e.createdAt,
      modified: e.modifiedAt,
    })),
  )
}

const unnested = (json: string) => sql`SELECT u.id, u.types, u.scopes, u.attrs, u.search, u.created, u.modified
  FROM jsonb_to_recordset(${json}::jsonb)
    AS u(id text, types text[], scopes text[], attrs jsonb, search jsonb, created timestamptz, modified timestamptz)`

/** Inserts new entities; returns the ids that already existed (and were left alone). */
export async function insertEntities(trx: Db, tenant: string, entities: readonly StoredEntity[]): Promise<Set<string>> {
  if (entities.length === 0) return new Set()
  const r = await sql<{
    id: string
  }>`INSERT INTO ngsi_entities (tenant, id, types, scopes, attrs, search, created_at, modified_at)
    SELECT ${tenant}, x.* FROM (${unnested(rowsJson(entities))}) AS x
    ON CONFLICT (tenant, id) DO NOTHING RETURNING id`.execute(trx)
  const inserted = new Set(r.rows.map((x) => x.id))
  return new Set(entities.map((e) => e.id).filter((id) => !inserted.has(id)))
}

/** Writes the full new state of entities (insert or overwrite; createdAt of existing rows is kept). */
export async function writeEntities(trx: Db, tenant: string, entities: readonly StoredEntity[]): Promise<void> {
  if (entities.length === 0) return
  await sql`INSERT INTO ngsi_entities (tenant, id, types, scopes, attrs, search, created_at, modified_at)
    SELECT ${tenant}, x.* FROM (${unnested(rowsJson(entities))}) AS x
    ON CONFLICT (tenant, id) DO UPDATE SET types = EXCLUDED.types, scopes = EXCLUDED.scopes, attrs = EXCLUDED.attrs,
      search = EXCLUDED.search, modified_at = EXCLUDED.modified_at`.execute(trx)
}

/**
 * What a listener adds to a one-statement write (`writeVersioned`). `written` is a subquery of the ids the write
 * changed: every part restricts itself to those.
 */
export interface WritePart {
  /** Data-modifying statements (INSERT, UPDATE, DELETE), each run as a CTE of the write. */
  writes?(written: RawBuilder<unknown>): RawBuilder<unknown>[]
  /** Queries run for their side effect (e.g. `pg_notify`), only when something was written. */
  effects?(written: RawBuilder<unknown>): RawBuilder<unknown>[]
  /** What the listener's decisions assumed, checked in the write's snapshot: when false, nothing is written. */
  guard?: RawBuilder<boolean>
}

/** The new state of an entity and the read (state and row version) it was computed from. */
export interface DirectWrite {
  entity: StoredEntity
  read: Versioned
}

/**
 * A row of `writeVersioned`: the attributes that differ from the state read (updates never modify an attribute list
 * in place: a list that is not the one read is a changed one), the removed ones, and the index document's change.
 */
function deltaRow({ entity, read }: DirectWrite) {
  const next = entity.attrs
  const prev = read.entity.attrs
  const set: AttrMap = {}
  const changed: string[] = []
  const del: string[] = []
  for (const k in next) {
    if (next[k] === prev[k]) continue
    set[k] = next[k]!
    changed.push(k)
  }
  for (const k in prev) {
    if (next[k] !== undefined) continue
    del.push(k)
    changed.push(k)
  }
  const search = searchDocDelta(next, prev, changed)
  return {
    id: entity.id,
    v: read.version,
    types: entity.types,
    scopes: entity.scopes?.length ? entity.scopes : null,
    set,
    ...(del.length ? { del } : {}),
    ...(search === undefined ? { search: searchDoc(next) } : {}),
    ...(search && Object.keys(search.set).length ? { sset: search.set } : {}),
    ...(search?.del.length ? { sdel: search.del } : {}),
    modified: entity.modifiedAt,
  }
}

/**
 * Writes the new states of entities, each only where its row still has the version it was read at, and the parts
 * of the listeners, in one statement (one implicit transaction: all or nothing, nothing locked beforehand). Only what
 * changed travels: the attributes that differ replace theirs in the stored document, and the index document is
 * changed only where it differs (a new reading leaves it as it is). Returns the ids written: an entity missing from
 * it was written (or deleted) by someone else since it was read. Geometries are not re-projected: an entity whose
 * geometry moves goes through `writeEntities` and `syncGeo`.
 */
export async function writeVersioned(
  db: Db,
  tenant: string,
  entries: readonly DirectWrite[],
  parts: readonly WritePart[],
): Promise<Set<string>> {
  if (entries.length === 0) return new Set()
  const r = await writeVersionedStatement(tenant, entries, parts).execute(db)
  return new Set(r.rows.map((x) => x.id))
}

/** The statement of `writeVersioned` (exported for the test of its plan). */
export function writeVersionedStatement(tenant: string, entries: readonly DirectWrite[], parts: readonly WritePart[]) {
  const written = sql`(SELECT id FROM w)`
  const guards = parts.flatMap((p) => (p.guard ? [sql` AND ${p.guard}`] : []))
  const ctes = parts.flatMap((p) => p.writes?.(written) ?? []).map((c, i) => sql`, ${sql.raw(`p${i}`)} AS (${c})`)
  const effects = parts.flatMap((p) => p.effects?.(written) ?? [])
  const run = effects.map((_, i) => sql`, (SELECT count(*) FROM ${sql.raw(`x${i}`)})`)
  // Rows in id order: the UPDATE locks them in the order of the JSON rows, so two writes of overlapping entities (two
  // processes) take their locks in the same order, as the lock query of a transaction does (ORDER BY id), and cannot
  // deadlock.
  const rows = [...entries].sort((a, b) => (a.entity.id < b.entity.id ? -1 : a.entity.id > b.entity.id ? 1 : 0))
  const json = JSON.stringify(rows.map(deltaRow))
  // The ids again as an array: the primary key then finds the rows whatever the planner knows of the table (without
  // statistics, as on the embedded database, it joined the JSON rows to a scan of every entity).
  const ids = rows.map((x) => x.entity.id)
  return sql<{ id: string }>`WITH w AS (UPDATE ngsi_entities e SET types = u.types, scopes = u.scopes,
      attrs = (e.attrs - coalesce(u.del, '{}')) || u.set,
      search = CASE WHEN u.search IS NOT NULL THEN u.search WHEN u.sset IS NULL AND u.sdel IS NULL THEN e.search
        ELSE (e.search - coalesce(u.sdel, '{}')) || coalesce(u.sset, '{}') END,
      modified_at = u.modified
    FROM jsonb_to_recordset(${json}::jsonb) AS u(id text, v text, types text[], scopes text[], set jsonb, del text[],
      search jsonb, sset jsonb, sdel text[], modified timestamptz)
    WHERE e.tenant = ${tenant} AND e.id = ANY(${idList(ids)}) AND e.id = u.id AND e.xmin = u.v::xid${sql.join(guards, sql``)}
    RETURNING e.id)
    ${sql.join(ctes, sql``)}${sql.join(
      effects.map((e, i) => sql`, ${sql.raw(`x${i}`)} AS (${e})`),
      sql``,
    )}
    SELECT w.id${sql.join(run, sql``)} FROM w`
}

/** Deletes entities and their geometries (ngsi_entity_geo has no foreign key to cascade: migration 11). */
export async function deleteEntities(trx: Db, tenant: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const r = await sql<{ id: string }>`WITH d AS (DELETE FROM ngsi_entities
      WHERE tenant = ${tenant} AND id = ANY(${idList(ids)}) RETURNING id),
    g AS (DELETE FROM ngsi_entity_geo WHERE tenant = ${tenant} AND entity_id IN (SELECT id FROM d))
    SELECT id FROM d`.execute(trx)
  return new Set(r.rows.map((x) => x.id))
}

/** Re-projects the GeoProperties of these entities into ngsi_entity_geo. */
export async function syncGeo(trx: Db, tenant: string, entities: readonly StoredEntity[]): Promise<void> {
  if (entities.length === 0) return
  const ids: string[] = []
  const attrs: string[] = []
  const datasets: string[] = []
  const geoms: string[] = []
  for (const e of entities) {
    for (const [attr, instances] of Object.entries(e.attrs)) {
      for (const inst of instances as AttrInstance[]) {
        if (inst.type !== 'GeoProperty' || !inst.value) continue
        ids.push(e.id)
        attrs.push(attr)
        datasets.push(inst.datasetId ?? '')
        geoms.push(JSON.stringify(inst.value))
      }
    }
  }
  await sql`DELETE FROM ngsi_entity_geo WHERE tenant = ${tenant} AND entity_id = ANY(${idList(entities.map((e) => e.id))})`.execute(
    trx,
  )
  if (ids.length === 0) return
  await sql`INSERT INTO ngsi_entity_geo (tenant, entity_id, attr, dataset_id, geom)
    SELECT ${tenant}, u.id, u.attr, u.ds, ST_SetSRID(ST_GeomFromGeoJSON(u.g), 4326)
    FROM unnest(${ids}::text[], ${attrs}::text[], ${datasets}::text[], ${geoms}::text[]) AS u(id, attr, ds, g)`.execute(
    trx,
  )
}

export interface QueryFilter {
  /** Boolean SQL fragments over `ngsi_entities e`, AND-ed. */
  where: RawBuilder<boolean>[]
  /** Order: by id (stable pages) or by an expression (e.g. distance). */
  orderBy?: RawBuilder<unknown>
}

const whereOf = (tenant: string, f: QueryFilter) => sql.join([sql`e.tenant = ${tenant}`, ...f.where], sql` AND `)

export async function queryEntities(
  db: Db,
  tenant: string,
  f: QueryFilter,
  page: { limit: number; offset: number },
): Promise<StoredEntity[]> {
  if (page.limit === 0) return []
  const order = f.orderBy ? sql`${f.orderBy}, e.id` : sql`e.id`
  const r = await sql<EntityRow>`SELECT ${COLUMNS} FROM ngsi_entities e WHERE ${whereOf(tenant, f)}
    ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db)
  return r.rows.map(rowToEntity)
}

export async function countEntities(db: Db, tenant: string, f: QueryFilter): Promise<number> {
  const r = await sql<{
    n: number
  }>`SELECT count(*)::int AS n FROM ngsi_entities e WHERE ${whereOf(tenant, f)}`.execute(db)
  return Number(r.rows[0]?.n ?? 0)
}

// ---- discovery (clause 5.7.5 - 5.7.10)

export async function typeNames(db: Db, tenant: string): Promise<string[]> {
  const r = await sql<{
    t: string
  }>`SELECT DISTINCT unnest(types) AS t FROM ngsi_entities WHERE tenant = ${tenant} ORDER BY 1`.execute(db)
  return r.rows.map((x) => x.t)
}

export interface TypeStats {
  type: string
  entityCount: number
  attrs: { attr: string; attrTypes: string[] }[]
}

/** Per type: entity count and the attributes its entities have, with their NGSI-LD attribute types. */
export async function typeStats(db: Db, tenant: string, type?: string): Promise<TypeStats[]> {
  const typeFilter = type ? sql`AND ${type} = ANY(e.types)` : sql``
  const counts = await sql<{ t: string; n: number }>`SELECT t, count(*)::int AS n
    FROM ngsi_entities e, unnest(e.types) t WHERE e.tenant = ${tenant} ${typeFilter} GROUP BY t ORDER BY t`.execute(db)
  const attrs = await sql<{
    t: string
    k: string
    kinds: string[]
  }>`SELECT t, k, array_agg(DISTINCT i->>'type') AS kinds
    FROM ngsi_entities e, unnest(e.types) t, jsonb_each(e.attrs) a(k, v), jsonb_array_elements(a.v) i
    WHERE e.tenant = ${tenant} ${typeFilter} GROUP BY t, k ORDER BY t, k`.execute(db)
  const out = new Map<string, TypeStats>()
  for (const c of counts.rows) out.set(c.t, { type: c.t, entityCount: Number(c.n), attrs: [] })
  for (const a of attrs.rows) out.get(a.t)?.attrs.push({ attr: a.k, attrTypes: a.kinds.filter(Boolean).sort() })
  return [...out.values()].filter((s) => !type || s.type === type)
}

export interface AttrStats {
  attr: string
  count: number
  attrTypes: string[]
  typeNames: string[]
}

export async function attributeStats(db: Db, tenant: string, attr?: string): Promise<AttrStats[]> {
  const filter = attr ? sql`AND a.k = ${attr}` : sql``
  const r = await sql<{ k: string; n: number; kinds: string[]; ts: string[] }>`SELECT a.k, count(*)::int AS n,
      array_agg(DISTINCT i->>'type') AS kinds,
      (SELECT array_agg(DISTINCT t) FROM ngsi_entities e2, unnest(e2.types) t
        WHERE e2.tenant = ${tenant} AND e2.attrs ? a.k) AS ts
    FROM ngsi_entities e, jsonb_each(e.attrs) a(k, v), jsonb_array_elements(a.v) i
    WHERE e.tenant = ${tenant} ${filter} GROUP BY a.k ORDER BY a.k`.execute(db)
  return r.rows.map((x) => ({
    attr: x.k,
    count: Number(x.n),
    attrTypes: (x.kinds ?? []).filter(Boolean).sort(),
    typeNames: (x.ts ?? []).sort(),
  }))
}
