/**
 * Test support (not a test file): an embedded PostgreSQL + PostGIS (PGlite) with the `ngsi_entities` and
 * `ngsi_entity_geo` tables laid out as in model.ts, and helpers to run compiled predicates.
 */
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
  sql,
} from 'kysely'
import ngsiLdMigration from '../../../db/migrations/002-ngsi-ld.js'
import searchDocMigration from '../../../db/migrations/008-search-doc.js'
import { type AttrInstance, type AttrMap, CORE_MEMBERS } from '../model.js'
import { searchDoc } from '../search-doc.js'

export const NS = 'https://example.org/ns/'
/** Test @context: every short name maps to NS + name; compact/absolute IRIs are kept. */
export const expand = (term: string) => (term.includes(':') ? term : NS + term)
export const VOCAB_NS = 'https://example.org/vocab/'
export const expandVocab = (v: string) => (v.includes(':') ? v : VOCAB_NS + v)

/** A compile-only Kysely: turns raw builders into `{ sql, parameters }`. */
export const kdb = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

/** The broker's own tables, from its migration (so tests and product cannot drift apart). */
export const SCHEMA = `CREATE EXTENSION IF NOT EXISTS postgis;\n${ngsiLdMigration}\n${searchDocMigration}`

export async function openTestDb(): Promise<PGlite> {
  const db = await PGlite.create({ extensions: { postgis } })
  await db.exec(SCHEMA)
  return db
}

export interface TestEntity {
  id: string
  type?: string
  tenant?: string
  scopes?: string[]
  /** Attributes by SHORT name; instances may be given as one object or an array (datasetIds). */
  attrs?: Record<string, AttrInstance | AttrInstance[]>
  createdAt?: string
  modifiedAt?: string
}

/** Expands attribute and sub-attribute names (keys that are not core members) of an instance. */
function expandInstance(inst: AttrInstance): AttrInstance {
  const core = CORE_MEMBERS
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(inst)) {
    out[core.has(k) ? k : expand(k)] = core.has(k) ? v : expandInstance(v as AttrInstance)
  }
  return out as AttrInstance
}

export async function insertEntities(db: PGlite, entities: TestEntity[]): Promise<void> {
  for (const e of entities) {
    const attrs: AttrMap = {}
    for (const [name, inst] of Object.entries(e.attrs ?? {})) {
      attrs[expand(name)] = (Array.isArray(inst) ? inst : [inst]).map(expandInstance)
    }
    await db.query(
      `INSERT INTO ngsi_entities (tenant, id, types, scopes, attrs, search, created_at, modified_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)`,
      [
        e.tenant ?? 't1',
        e.id,
        [expand(e.type ?? 'Thing')],
        e.scopes ?? null,
        JSON.stringify(attrs),
        JSON.stringify(searchDoc(attrs)),
        e.createdAt ?? '2024-01-01T00:00:00Z',
        e.modifiedAt ?? '2024-06-01T00:00:00Z',
      ],
    )
  }
}

/** Runs `SELECT e.id FROM ngsi_entities e WHERE e.tenant = $t AND <pred>` and returns the ids, sorted in JS. */
export async function selectIds(db: PGlite, pred: RawBuilder<boolean>, tenant = 't1'): Promise<string[]> {
  const q = sql`SELECT e.id FROM ngsi_entities e WHERE e.tenant = ${tenant} AND ${pred}`.compile(kdb)
  const r = await db.query<{ id: string }>(q.sql, [...q.parameters])
  return r.rows.map((row) => row.id).sort()
}

/** Compiles a full statement around a predicate (for EXPLAIN and inspection). */
export function compileWhere(pred: RawBuilder<boolean>) {
  return sql`SELECT e.id FROM ngsi_entities e WHERE ${pred}`.compile(kdb)
}

/** Adds a row to `ngsi_entity_geo` (the projection of a GeoProperty instance). */
export async function insertGeo(
  db: PGlite,
  row: {
    id: string
    attr?: string
    datasetId?: string
    tenant?: string
    geometry: { type: string; coordinates: unknown }
  },
): Promise<void> {
  await db.query(
    `INSERT INTO ngsi_entity_geo (tenant, entity_id, attr, dataset_id, geom)
     VALUES ($1, $2, $3, $4, ST_SetSRID(ST_GeomFromGeoJSON($5::text), 4326))`,
    [row.tenant ?? 't1', row.id, expand(row.attr ?? 'location'), row.datasetId ?? '', JSON.stringify(row.geometry)],
  )
}
