/**
 * One database layer over PostgreSQL (a pool) or embedded PGlite with PostGIS (one serialized connection).
 * The same SQL and the same migrations run on both.
 */
import fs from 'node:fs'
import { prepareRepeatedStatements } from './prepared.js'
import { Kysely, type LogEvent, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { lockDataDir } from './data-dir-lock.js'
import { Mutex, PgliteDialect } from './pglite-dialect.js'
import type { DB } from './schema.js'

export type DbKind = 'pglite' | 'postgres'

export interface PoolStats {
  total: number
  idle: number
  waiting: number
}

export interface Database {
  readonly kind: DbKind
  readonly db: Kysely<DB>
  /** Runs a script of several statements (migrations). */
  execScript(text: string): Promise<void>
  stats(): PoolStats
  /** Observes every executed statement (tests, diagnostics); returns the unsubscribe function. */
  onQuery(fn: (sql: string) => void): () => void
  close(): Promise<void>
}

function queryObservers() {
  const fns = new Set<(sql: string) => void>()
  return {
    log: (e: LogEvent) => {
      for (const fn of fns) fn(e.query.sql)
    },
    onQuery(fn: (sql: string) => void) {
      fns.add(fn)
      return () => {
        fns.delete(fn)
      }
    },
  }
}

export interface OpenOptions {
  databaseUrl?: string | undefined
  /** Folder for the embedded database; `undefined` with no URL = in memory. */
  dataDir?: string | undefined
  poolSize?: number
  /** PostgreSQL: the longest a statement may run (a guard against runaway queries). */
  statementTimeoutMs?: number
  /** Named statements for repeated SQL (PostgreSQL only; default true). */
  prepare?: boolean
}

// int8 (counts, bigserial) as numbers, numeric as numbers: same on both engines.
const INT8 = 20
const NUMERIC = 1700
pg.types.setTypeParser(INT8, (v) => Number(v))
pg.types.setTypeParser(NUMERIC, (v) => Number(v))

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  return opts.databaseUrl
    ? openPostgres(opts.databaseUrl, opts.poolSize ?? 10, opts.statementTimeoutMs ?? 30_000, opts.prepare ?? true)
    : openPglite(opts.dataDir)
}

async function openPostgres(url: string, max: number, statementTimeout: number, prepare: boolean): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    idleTimeoutMillis: 30_000,
    application_name: 'urbe',
    statement_timeout: statementTimeout,
  })
  pool.on('error', () => {
    /* idle client errors are reported by the next query */
  })
  if (prepare) prepareRepeatedStatements(pool)
  const obs = queryObservers()
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log: obs.log })
  await sql`SELECT 1`.execute(db)
  return {
    kind: 'postgres',
    db,
    async execScript(text) {
      await pool.query(text)
    },
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    onQuery: obs.onQuery,
    close: () => db.destroy(),
  }
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const { PGlite, types } = await import('@electric-sql/pglite')
  const { postgis } = await import('@electric-sql/pglite-postgis')
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true })
  const unlock = dataDir ? lockDataDir(dataDir) : () => {}
  let pgl: InstanceType<typeof PGlite>
  try {
    pgl = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      extensions: { postgis },
      parsers: { [types.INT8]: (v: string) => Number(v), [types.NUMERIC]: (v: string) => Number(v) },
    })
  } catch (e) {
    unlock()
    throw e
  }
  const mutex = new Mutex()
  const obs = queryObservers()
  const db = new Kysely<DB>({ dialect: new PgliteDialect(pgl, mutex), log: obs.log })
  let closed = false
  return {
    kind: 'pglite',
    db,
    async execScript(text) {
      const release = await mutex.acquire()
      try {
        await pgl.exec(text)
      } finally {
        release()
      }
    },
    stats: () => ({ total: 1, idle: mutex.pending === 0 ? 1 : 0, waiting: mutex.pending }),
    onQuery: obs.onQuery,
    async close() {
      if (closed) return
      closed = true
      const release = await mutex.acquire()
      try {
        await pgl.close()
      } finally {
        release()
        unlock()
      }
    },
  }
}
