/**
 * Applies the versioned migrations. Each runs in its own transaction under an advisory lock, so several servers
 * starting at once on one PostgreSQL apply each migration exactly once.
 */
import { sql } from 'kysely'
import type { Database } from './database.js'
import { MIGRATIONS, type Migration } from './migrations/index.js'

const LOCK_KEY = 7_315_420_001 // arbitrary, stable

export interface MigrateResult {
  applied: { version: number; name: string }[]
  current: number
}

async function ensureTable(database: Database): Promise<void> {
  await database.execScript(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`)
}

export async function appliedVersions(database: Database): Promise<number[]> {
  const rows = await database.db.selectFrom('schema_migrations').select('version').orderBy('version').execute()
  return rows.map((r) => r.version)
}

export async function migrate(
  database: Database,
  migrations: readonly Migration[] = MIGRATIONS,
  onApply?: (m: Migration) => void,
): Promise<MigrateResult> {
  await ensureTable(database)
  const applied: MigrateResult['applied'] = []
  for (const m of migrations) {
    const did = await database.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx)
      const exists = await trx
        .selectFrom('schema_migrations')
        .select('version')
        .where('version', '=', m.version)
        .executeTakeFirst()
      if (exists) return false
      onApply?.(m)
      await sql.raw(m.sql).execute(trx)
      await trx.insertInto('schema_migrations').values({ version: m.version, name: m.name }).execute()
      return true
    })
    if (did) applied.push({ version: m.version, name: m.name })
  }
  const last = migrations[migrations.length - 1]
  return { applied, current: last ? last.version : 0 }
}

/** True when every known migration has been applied (used by /ready). */
export async function isUpToDate(database: Database): Promise<boolean> {
  const versions = new Set(await appliedVersions(database))
  return MIGRATIONS.every((m) => versions.has(m.version))
}
