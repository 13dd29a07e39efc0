/**
 * SQL of the mobility module's writes and bookkeeping: settings, zones, a day of presence (read back for merging,
 * written in one statement per table), flows and their monthly roll-up, and the import log. Reads are in
 * queries.ts. Rows travel as one JSON parameter (jsonb_to_recordset): one round trip per day or chunk.
 */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../../db/schema.js'
import { computeDay, type DayRows, rowsFromStored, type StoredRow } from './day-cube.js'
import type { Mapping } from './import/mapping.js'

export type Db = Kysely<DB>

export interface Settings {
  k: number
  mapping: Mapping
  synthetic: boolean
}

export const DEFAULT_K = 30

export async function getSettings(db: Db, tenant: string): Promise<Settings> {
  const r = await sql<{ k: number; mapping: Mapping; synthetic: boolean }>`
    SELECT k, mapping, synthetic FROM mob_settings WHERE tenant = ${tenant}`.execute(db)
  const row = r.rows[0]
  return row
    ? { k: row.k, mapping: row.mapping ?? {}, synthetic: row.synthetic }
    : { k: DEFAULT_K, mapping: {}, synthetic: false }
}

export async function putSettings(db: Db, tenant: string, s: Partial<Settings>): Promise<void> {
  const cur = await getSettings(db, tenant)
  const next = { ...cur, ...s }
  await sql`INSERT INTO mob_settings (tenant, k, mapping, synthetic) VALUES
      (${tenant}, ${next.k}, ${JSON.stringify(next.mapping)}::jsonb, ${next.synthetic})
    ON CONFLICT (tenant) DO UPDATE SET k = excluded.k, mapping = excluded.mapping, synthetic = excluded.synthetic,
      updated_at = now()`.execute(db)
}

/** Serialises the writers of one tenant's day (two imports touching the same day merge, never overwrite). */
export async function lockDay(db: Db, tenant: string, day: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`mob:${tenant}`}), hashtext(${day}))`.execute(db)
}

export interface ExistingRow {
  zone: string
  class: number
  origin: string
  counts: (number | null)[]
  dwell: (number | null)[] | null
}

/** The given rows of a day (not the derived "all classes" rows). */
export async function readDay(db: Db, tenant: string, day: string): Promise<ExistingRow[]> {
  const r = await sql<ExistingRow>`SELECT zone, class, origin, counts, dwell FROM mob_presence
    WHERE tenant = ${tenant} AND day = ${day}::date AND class <> 9`.execute(db)
  return r.rows
}

/** Has the tenant any presence on these days? (The fast path of a first import skips reading them.) */
export async function daysPresent(db: Db, tenant: string, from: string, to: string): Promise<Set<string>> {
  const r = await sql<{ day: string }>`SELECT DISTINCT to_char(day, 'YYYY-MM-DD') AS day FROM mob_day
    WHERE tenant = ${tenant} AND day BETWEEN ${from}::date AND ${to}::date`.execute(db)
  return new Set(r.rows.map((x) => x.day))
}

export async function writeDay(db: Db, tenant: string, day: string, zones: StoredRow[], comune: StoredRow[]) {
  if (zones.length) {
    await sql`INSERT INTO mob_presence (tenant, zone, day, class, origin, counts, dwell, hidden)
      SELECT ${tenant}, r.zone, ${day}::date, r.class, r.origin, r.counts, r.dwell, r.hidden
      FROM jsonb_to_recordset(${JSON.stringify(zones)}::jsonb)
        AS r(zone text, class smallint, origin text, counts real[], dwell real[], hidden integer)
      ON CONFLICT (tenant, zone, day, class, origin)
      DO UPDATE SET counts = excluded.counts, dwell = excluded.dwell, hidden = excluded.hidden`.execute(db)
  }
  await sql`DELETE FROM mob_day WHERE tenant = ${tenant} AND day = ${day}::date`.execute(db)
  if (comune.length) {
    await sql`INSERT INTO mob_day (tenant, day, class, origin, counts, hidden)
      SELECT ${tenant}, ${day}::date, r.class, r.origin, r.counts, r.hidden
      FROM jsonb_to_recordset(${JSON.stringify(comune)}::jsonb)
        AS r(class smallint, origin text, counts real[], hidden integer)`.execute(db)
  }
}

/**
 * (Re)writes a stored day in one transaction under its lock: reads its given rows, lets `merge` change them (an
 * import's new values; nothing when only k changed), computes the derived rows and hidden cells, writes it all.
 */
export async function storeDay(db: Db, tenant: string, day: string, k: number, merge?: (rows: DayRows) => void) {
  await db.transaction().execute(async (trx) => {
    await lockDay(trx, tenant, day)
    const rows = rowsFromStored(await readDay(trx, tenant, day))
    merge?.(rows)
    const { zones, comune } = computeDay(rows, k)
    await writeDay(trx, tenant, day, zones, comune)
  })
}

/** Every day of the tenant with presence (to recompute the hidden cells when k changes). */
export async function allDays(db: Db, tenant: string): Promise<string[]> {
  const r = await sql<{ day: string }>`SELECT DISTINCT to_char(day, 'YYYY-MM-DD') AS day FROM mob_presence
    WHERE tenant = ${tenant} ORDER BY 1`.execute(db)
  return r.rows.map((x) => x.day)
}

export interface FlowRow {
  day: string
  origin: string
  destination: string
  band: number
  band_end: number
  class: number
  count: number
}

export async function upsertFlows(db: Db, tenant: string, rows: FlowRow[]): Promise<void> {
  if (!rows.length) return
  await sql`INSERT INTO mob_flow (tenant, day, origin, destination, band, band_end, class, count)
    SELECT ${tenant}, r.day, r.origin, r.destination, r.band, r.band_end, r.class, r.count
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS r(day date, origin text, destination text, band smallint, band_end smallint, class smallint, count real)
    ON CONFLICT (tenant, day, origin, destination, band, class)
    DO UPDATE SET count = excluded.count, band_end = excluded.band_end`.execute(db)
}

/** Rebuilds the monthly roll-up of these months from the published flow cells (count >= k). */
export async function rollupFlowMonths(db: Db, tenant: string, months: string[], k: number): Promise<void> {
  if (!months.length) return
  const sorted = [...months].sort()
  const from = sorted[0]!
  const last = sorted[sorted.length - 1]!
  await db.transaction().execute(async (trx) => {
    await sql`DELETE FROM mob_flow_month WHERE tenant = ${tenant} AND month = ANY(${months}::date[])`.execute(trx)
    await sql`INSERT INTO mob_flow_month (tenant, month, class, origin, destination, count)
      SELECT ${tenant}, date_trunc('month', day)::date, class, origin, destination, sum(count)
      FROM mob_flow WHERE tenant = ${tenant} AND day >= ${from}::date
        AND day < (${last}::date + interval '1 month') AND count >= ${k}
        AND date_trunc('month', day)::date = ANY(${months}::date[])
      GROUP BY 2, 3, 4, 5`.execute(trx)
  })
}

export async function flowMonths(db: Db, tenant: string): Promise<string[]> {
  const r = await sql<{ m: string }>`SELECT DISTINCT to_char(date_trunc('month', day), 'YYYY-MM-DD') AS m
    FROM mob_flow WHERE tenant = ${tenant}`.execute(db)
  return r.rows.map((x) => x.m)
}

export interface ImportRecord {
  id: number
  kind: string
  format: string
  filename: string | null
  actor: string | null
  startedAt: string
  finishedAt: string | null
  status: string
  rows: number
  imported: number
  rejected: number
  firstDay: string | null
  lastDay: string | null
  problems: { line: number; reason: string }[]
}

export async function startImport(
  db: Db,
  tenant: string,
  v: { kind: string; format: string; filename?: string | undefined; actor?: string | undefined },
): Promise<number> {
  const r = await sql<{ id: number }>`INSERT INTO mob_import (tenant, kind, format, filename, actor)
    VALUES (${tenant}, ${v.kind}, ${v.format}, ${v.filename ?? null}, ${v.actor ?? null}) RETURNING id`.execute(db)
  return Number(r.rows[0]!.id)
}

export async function finishImport(
  db: Db,
  id: number,
  v: Pick<ImportRecord, 'status' | 'rows' | 'imported' | 'rejected' | 'firstDay' | 'lastDay'> & { problems: unknown[] },
): Promise<void> {
  await sql`UPDATE mob_import SET finished_at = now(), status = ${v.status}, rows = ${v.rows}, imported = ${v.imported},
    rejected = ${v.rejected}, first_day = ${v.firstDay}::date, last_day = ${v.lastDay}::date,
    problems = ${JSON.stringify(v.problems)}::jsonb WHERE id = ${id}`.execute(db)
}

export async function listImports(db: Db, tenant: string, limit: number): Promise<ImportRecord[]> {
  const r = await sql<ImportRecord>`SELECT id::int AS id, kind, format, filename, actor,
      to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "startedAt",
      to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "finishedAt",
      status, rows::int AS rows, imported::int AS imported, rejected::int AS rejected,
      to_char(first_day, 'YYYY-MM-DD') AS "firstDay", to_char(last_day, 'YYYY-MM-DD') AS "lastDay", problems
    FROM mob_import WHERE tenant = ${tenant} ORDER BY id DESC LIMIT ${limit}`.execute(db)
  return r.rows
}
