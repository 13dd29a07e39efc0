/**
 * Test databases. With URBE_TEST_DATABASE_URL set (CI's second pass), every caller gets a fresh PostgreSQL database
 * (created on that server, migrated, dropped at close). Otherwise an embedded PGlite copied from a migrated template
 * made once per run by the global setup (a test file then opens its database in ~2 s rather than ~10 s).
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

export interface TestLocation {
  databaseUrl?: string
  dataDir?: string
  drop(): Promise<void>
}

export interface TestDatabase extends Database {
  /** Where this database lives (for a second process on PostgreSQL). */
  readonly location: TestLocation
}

async function adminQuery(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL })
  await c.connect()
  try {
    await c.query(text)
  } finally {
    await c.end()
  }
}

/** A fresh, migrated database that nobody has open: a PostgreSQL database or a PGlite folder. */
export async function createTestLocation(): Promise<TestLocation> {
  if (PG_URL) {
    const name = `urbe_t_${process.pid}_${randomBytes(4).toString('hex')}`
    await adminQuery(`CREATE DATABASE ${name}`)
    const u = new URL(PG_URL)
    u.pathname = `/${name}`
    const databaseUrl = u.toString()
    const d = await openDatabase({ databaseUrl, poolSize: 1 })
    await migrate(d)
    await d.close()
    return { databaseUrl, drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urbe-test-db-'))
  const template = templateDir()
  if (fs.existsSync(path.join(template, 'PG_VERSION'))) fs.cpSync(template, dataDir, { recursive: true })
  return { dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) }
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const location = await createTestLocation()
  const database = await openDatabase({ ...location, poolSize: 10 })
  await migrate(database)
  return {
    ...database,
    location,
    async close() {
      await database.close()
      await location.drop()
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
