// `npm run bench:history`: the figures of the history and subscriptions issue, on PostgreSQL (BENCH_PG_URL) and on
// the embedded database. For each database: one `urbe serve` on a fresh database, then
//   1. batch ingestion with history on: new entities through /entityOperations/upsert (every attribute of every
//      entity becomes a history instance in the same transaction), and beside it PostgreSQL's own COPY of the same
//      history rows into a table like the history table (same indexes): the raw rate;
//   2. history seeded through POST /temporal/entities: 1,000 sensors x 1 day of 5-minute data, 20 of them x 30 days;
//   3. latency (300 sequential queries, p95): hourly average over 30 days of one sensor, daily average of every
//      sensor of the type for one day, lastN=100 of one attribute;
//   4. notifications (PostgreSQL only): a subscription to a local HTTP receiver and 2,000 changes/s for 10 s.
// Prints one table; writes bench/results/history-latest.json.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { ROOT } from './lib/config.js'
import { removeSnapshot, snapshotDist } from './lib/dist-snapshot.js'
import { latencies } from './lib/latency.js'
import { upsertAll } from './lib/load.js'
import { fmt, progress } from './lib/log.js'
import { measureNotifications } from './lib/notifications.js'
import { createDatabase, dropDatabase, serverInfo } from './lib/pg-admin.js'
import { copyIn, copyOut } from './lib/pg-copy.js'
import { operatorKey, startUrbe } from './lib/processes.js'
import { dailyAvgPerType, hourlyAvgOneEntity, lastN100, seedHistory, TEMPORAL_TARGETS } from './lib/temporal.js'

const arg = (n, d) => process.argv.find((a) => a.startsWith(`--${n}=`))?.split('=')[1] ?? d
const quick = process.argv.includes('--quick')
const only = arg('only')
const pgUrl = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
const samples = Number(arg('samples', quick ? 50 : 300))
const loadEntities = Number(arg('entities', quick ? 5000 : 50_000))
const sensors = quick ? 100 : 1000
const longSensors = quick ? 5 : 20
const rows = []
const add = (database, figure, value, unit, target, reference, extra = '') =>
  rows.push({ database, figure, value, unit, target, reference, extra })

async function ingestion(database, server, key, dbUrl) {
  progress(`${database}: batch upsert of ${fmt(loadEntities)} new entities (8 attributes each) with history on...`)
  const r = await upsertAll(server.url, key, {
    count: loadEntities,
    size: 1000,
    concurrency: 2,
    expect: 201,
    label: database,
  })
  progress(`${database}: ${fmt(r.attrsPerSecond)} attribute instances/s`)
  let reference = ''
  if (dbUrl) {
    const c = new pg.Client({ connectionString: dbUrl })
    await c.connect()
    try {
      // every column but the generated series hash, which PostgreSQL computes on the way in (as it does for Urbe)
      const cols =
        'observed_at, created_at, modified_at, num, instance_id, deleted, tenant, entity_id, attr, dataset_id, inst'
      const out = await copyOut(c, `COPY (SELECT ${cols} FROM ngsi_attr_history) TO STDOUT`)
      await c.query('CREATE TABLE bench_history_copy (LIKE ngsi_attr_history INCLUDING ALL)')
      await c.query('CHECKPOINT')
      const t = process.hrtime.bigint()
      const n = await copyIn(c, `COPY bench_history_copy (${cols}) FROM STDIN`, out.chunks)
      const s = Number(process.hrtime.bigint() - t) / 1e9
      await c.query('DROP TABLE bench_history_copy')
      reference = `PostgreSQL COPY of the same ${fmt(n)} history rows: ${fmt(n / s)} rows/s (history table alone)`
      progress(`${database}: ${reference}`)
    } finally {
      await c.end()
    }
  }
  add(database, 'batch ingestion with history on', r.attrsPerSecond, 'instances/s', '>= 30,000', reference)
}

async function temporal(database, server, key, dbUrl) {
  progress(`${database}: seeding history: ${sensors} sensors x 1 day, ${longSensors} x 29 more days (5-minute data)...`)
  const a = await seedHistory(server.url, key, { entities: sensors, days: 1 })
  const b = await seedHistory(server.url, key, { entities: longSensors, days: 29, firstDay: 1 })
  const instances = a.instances + b.instances
  const seconds = a.seconds + b.seconds
  progress(`${database}: ${fmt(instances)} instances in ${seconds.toFixed(1)} s`)
  if (dbUrl) {
    // What autovacuum does soon after a bulk insert (autovacuum_vacuum_insert_threshold): it marks the pages
    // all-visible, so that aggregations read the covering index alone. A month of history is in that state.
    progress(`${database}: VACUUM (ANALYZE) of the history, as autovacuum does after inserts`)
    const c = new pg.Client({ connectionString: dbUrl })
    await c.connect()
    try {
      await c.query('VACUUM (ANALYZE) ngsi_attr_history')
    } finally {
      await c.end()
    }
  }
  add(
    database,
    'POST /temporal/entities (seeding)',
    instances / seconds,
    'instances/s',
    '',
    '',
    `${fmt(instances)} instances`,
  )
  const scenarios = [
    ['hourlyAvg', hourlyAvgOneEntity({ entities: longSensors, days: 30 }), 30],
    ['dailyAvgType', dailyAvgPerType({ entities: sensors, days: 1 }), 300],
    ['lastN', lastN100({ entities: sensors }), 10],
  ]
  for (const [name, s, max] of scenarios) {
    const t = TEMPORAL_TARGETS[name]
    progress(`${database}: ${t.label}: ${samples} sequential queries...`)
    const r = await latencies({
      url: server.url,
      samples,
      headers: { authorization: `Bearer ${key}` },
      makeQuery: s.makeQuery,
      check: s.check,
    })
    progress(
      `${database}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms${r.valid ? '' : ` INVALID ${r.problem}`}`,
    )
    add(
      database,
      t.label,
      r.valid ? r.p95 : Number.NaN,
      'ms p95',
      `<= ${max}`,
      t.reference,
      `p50 ${r.p50.toFixed(1)} ms${r.valid ? '' : `; INVALID: ${r.problem}`}`,
    )
  }
}

async function notifications(database, server, key) {
  progress(`${database}: notifications, 2,000 changes/s for 10 s to a local HTTP receiver...`)
  const r = await measureNotifications(server.url, key, { rate: 2000, seconds: quick ? 3 : 10 })
  progress(
    `${database}: ${fmt(r.notificationsPerSecond)} notified entities/s, p95 ${r.latencyMs.p95} ms, ${r.received}/${r.changes} received, ${r.outOfOrder} out of order`,
  )
  add(
    database,
    'notifications delivered (entities/s)',
    r.notificationsPerSecond,
    '/s',
    '>= 2,000',
    `writes sent at ${fmt(r.writeRate)}/s`,
    `${r.received}/${r.changes} received, ${r.posts} POSTs, ${r.outOfOrder} out of order`,
  )
  add(database, 'change-to-receipt latency', r.latencyMs.p95, 'ms p95', '<= 200', '', `p50 ${r.latencyMs.p50} ms`)
}

const snapshot = await snapshotDist(path.join(ROOT, 'bench/results'))
process.env.URBE_BENCH_DIST = snapshot
let failed
const info = {}
try {
  if (only !== 'embedded') {
    const db = await createDatabase(pgUrl)
    info.postgres = await serverInfo(db.url)
    const server = await startUrbe({ env: { DATABASE_URL: db.url }, label: 'urbe-history-pg' })
    try {
      const key = await operatorKey(server.url)
      await ingestion('PostgreSQL', server, key, db.url)
      await temporal('PostgreSQL', server, key, db.url)
      await notifications('PostgreSQL', server, key)
    } finally {
      await server.stop()
      await dropDatabase(pgUrl, db.name).catch(() => {})
    }
  }
  if (only !== 'postgres') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urbe-bench-'))
    const server = await startUrbe({
      env: { DATABASE_URL: '', URBE_DATA_DIR: dataDir },
      label: 'urbe-history-embedded',
    })
    try {
      const key = await operatorKey(server.url)
      await ingestion('embedded', server, key)
      await temporal('embedded', server, key)
    } finally {
      await server.stop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
} catch (e) {
  failed = e
  progress(`bench failed: ${e.stack ?? e}`)
} finally {
  removeSnapshot(snapshot)
}

const head = ['database', 'figure', 'value', 'target', 'verdict', 'reference / details']
const verdict = (r) => {
  if (Number.isNaN(r.value)) return 'invalid'
  if (!r.target) return ''
  const n = Number(r.target.replace(/[^0-9.]/g, ''))
  return (r.target.startsWith('>=') ? r.value >= n : r.value <= n) ? 'pass' : 'FAIL'
}
const table = rows.map((r) => [
  r.database,
  r.figure,
  `${fmt(r.value, r.unit.startsWith('ms') ? 1 : 0)} ${r.unit}`,
  r.target ? `${r.target} ${r.unit.replace('instances/s', '/s')}` : '',
  verdict(r),
  [r.reference, r.extra].filter(Boolean).join('; '),
])
const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => String(t[i]).length)))
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`
process.stdout.write(
  `\nUrbe history and notifications benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${os.cpus().length} CPUs, Node ${process.version}${info.postgres ? `, ${info.postgres.version}` : ''}\n\n`,
)
process.stdout.write(`${[line(head), line(widths.map((w) => '-'.repeat(w))), ...table.map(line)].join('\n')}\n`)
fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true })
fs.writeFileSync(
  path.join(ROOT, 'bench/results/history-latest.json'),
  JSON.stringify({ when: new Date().toISOString(), info, rows }, null, 2),
)
process.exit(failed ? 1 : 0)
