/**
 * Test databases. With URBE_TEST_DATABASE_URL set (CI's second pass), every caller gets a fresh PostgreSQL database
 * (created from that server, migrated, dropped at close). Otherwise an embedded PGlite copied from a migrated template
 * made once per run by the global setup (so a test file opens in ~2 s rather than ~8 s).
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { type Database, openDatabase } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrate.js'

export const PG_URL = process.env.URBE_TEST_DATABASE_URL || undefined
export const templateDir = () => path.join(os.tmpdir(), `urbe-test-template-${process.env.URBE_TEST_RUN_ID ?? 'local'}`)

export interface TestDatabase extends Database {
  /** Connection string (PostgreSQL) or data folder (PGlite) of this database, for a second process. */
  readonly location: { databaseUrl?: string; dataDir?: string }
}

function withDb(url: string, dbName: string): string {
  const u = new URL(url)
  u.pathname = `/${dbName}`
  return u.toString()
}

export async function openTestDatabase(): Promise<TestDatabase> {
  if (PG_URL) {
    const name = `urbe_t_${process.pid}_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const databaseUrl = withDb(PG_URL, name)
    const database = await openDatabase({ databaseUrl, poolSize: 10 })
    await migrate(database)
    return {
      ...database,
      location: { databaseUrl },
      async close() {
        await database.close()
        const c = new pg.Client({ connectionString: PG_URL })
        await c.connect()
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await c.end()
      },
    }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urbe-test-db-'))
  const template = templateDir()
  if (fs.existsSync(path.join(template, 'PG_VERSION'))) fs.cpSync(template, dataDir, { recursive: true })
  const database = await openDatabase({ dataDir })
  await migrate(database)
  return {
    ...database,
    location: { dataDir },
    async close() {
      await database.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Creates the migrated PGlite template (global setup). */
export async function prepareTemplate(): Promise<void> {
  if (PG_URL) return
  fs.rmSync(templateDir(), { recursive: true, force: true })
  const database = await openDatabase({ dataDir: templateDir() })
  await migrate(database)
  await database.close()
}
