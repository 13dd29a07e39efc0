// One run per database. PostgreSQL: a fresh database (created, dropped at the end), one `urbe serve` and, for the
// two-process rows, a second one on the same database. Embedded: PGlite in a temporary data folder (removed at the
// end), one process (the embedded database belongs to one process), a smaller data set.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setOurDatabase } from './cpu.js'
import { pgliteCopyLimit } from './limits.js'
import { fmt, progress } from './log.js'
import { pgbench } from './pgbench.js'
import { vacuumAnalyze, copyLimit, createDatabase, dropDatabase, serverInfo } from './pg-admin.js'
import { startUrbe } from './processes.js'
import { createSuite } from './suite.js'

const TENANT = '046017'
const profileDir = (settings) => (settings.profile ? path.join(settings.resultsDir, 'profiles') : undefined)

function copyRow(suite, r) {
  progress(`COPY: ${r.rows} rows in ${r.seconds.toFixed(2)} s: ${fmt(r.attrsPerSecond)} attributes/s`)
  const how = r.streams ? `${r.streams} stream${r.streams > 1 ? 's' : ''}, ` : ''
  suite.add(
    'copy',
    `${how}${r.rows} rows, ${r.mb.toFixed(0)} MB, with the table's indexes`,
    r.attrsPerSecond,
    'attrs/s',
    r,
  )
}

function pgbenchRow(suite, url, kind, settings) {
  const r = pgbench(url, kind, { entities: settings.entities, seconds: settings.duration })
  if (r) suite.add(`pg${kind}`, `pgbench, ${r.clients} clients`, r.tps, 'tx/s', r)
}

/** Appends its rows to `rows` as they are measured (a failure keeps what was measured); sets out.postgres. */
export async function runPostgres(settings, rows, out) {
  progress(`PostgreSQL: creating a fresh database on ${new URL(settings.pgUrl).host}...`)
  const db = await createDatabase(settings.pgUrl)
  out.postgres = await serverInfo(db.url)
  setOurDatabase(db.name)
  const servers = []
  const env = { DATABASE_URL: db.url }
  const suite = createSuite({
    settings,
    database: 'PostgreSQL',
    entities: settings.entities,
    servers: () => servers,
    rows,
  })
  try {
    servers.push(await startUrbe({ env, label: 'urbe-pg-1', profileDir: profileDir(settings) }))
    await suite.init()
    await suite.load()
    progress('PostgreSQL: VACUUM (ANALYZE), what autovacuum does soon after a bulk load')
    await vacuumAnalyze(db.url)
    copyRow(suite, await copyLimit(db.url, TENANT, { streams: 1 }))
    copyRow(suite, await copyLimit(db.url, TENANT, { streams: settings.loadConcurrency }))
    await suite.queries()
    await suite.throughput('get', 1)
    pgbenchRow(suite, db.url, 'get', settings)
    progress('PostgreSQL: starting a second server process on the same database...')
    servers.push(await startUrbe({ env, label: 'urbe-pg-2', profileDir: profileDir(settings) }))
    await suite.throughput('get', 2)
    await suite.throughput('patch', 1)
    await suite.throughput('patch', 2)
    pgbenchRow(suite, db.url, 'patch', settings)
    await servers.pop().stop()
    await suite.reupsert(50_000, Math.min(5_000, Math.floor(settings.entities / 10)))
  } finally {
    for (const s of servers) await s.stop()
    setOurDatabase(undefined)
    await dropDatabase(settings.pgUrl, db.name).catch((e) => progress(`could not drop ${db.name}: ${e.message}`))
  }
}

export async function runEmbedded(settings, rows) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urbe-bench-'))
  progress(`embedded: PGlite in ${dataDir}, ${fmt(settings.embeddedEntities)} entities`)
  const servers = []
  const suite = createSuite({
    settings,
    database: 'embedded',
    entities: settings.embeddedEntities,
    servers: () => servers,
    rows,
  })
  try {
    const env = { DATABASE_URL: '', URBE_DATA_DIR: dataDir }
    servers.push(await startUrbe({ env, label: 'urbe-embedded', profileDir: profileDir(settings) }))
    await suite.init()
    await suite.load()
    await suite.queries()
    await suite.throughput('get', 1)
    await suite.throughput('patch', 1)
    await suite.reupsert(5_000, Math.min(1_000, Math.floor(settings.embeddedEntities / 10)))
    await servers.pop().stop()
    copyRow(suite, await pgliteCopyLimit(dataDir, TENANT))
  } finally {
    for (const s of servers) await s.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
