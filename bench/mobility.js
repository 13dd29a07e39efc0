// `npm run bench:mobility`: the figures of the mobility issue, on PostgreSQL (BENCH_PG_URL), beside DuckDB on the
// same files. `node bench/mobility.js --help` lists the options.
//   1. data: a presence CSV (zone,time,class,count; one year, 570 zones, hourly, 4 classes: ~20 M rows), a flows
//      CSV (~3.6 M rows) and the zones as GeoJSON, generated into os.tmpdir()/urbe-bench-mobility/ and kept there
//      for the next run (see lib/mobility-data.js);
//   2. DuckDB in this process (2 threads): read_csv of both files into tables, then the three questions in SQL;
//   3. Urbe: one `urbe serve` on a fresh database, a tenant of its own, PUT of the zones, the two CSV files streamed
//      to POST /imports/presence and /imports/flows (wall time to the summary -> rows/s), VACUUM (ANALYZE) of the
//      mobility tables (what autovacuum does after a bulk load; not counted), then the three questions as GETs:
//      heatmap of one day over all zones, one zone's series over the whole period by hour, top-100 OD flows of a
//      month; same parameters and number of samples as DuckDB;
//   4. a cross-check of Urbe's answers against DuckDB's (same parameters), one table, bench/results/mobility-latest.json.
import './lib/mobility-cleanup.js' // first: its signal handlers must run before those of processes.js
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { ROOT } from './lib/config.js'
import { machineBusy, measureCpu, setOurDatabase } from './lib/cpu.js'
import { removeSnapshot, snapshotDist } from './lib/dist-snapshot.js'
import { fmt, progress } from './lib/log.js'
import { cleanup } from './lib/mobility-cleanup.js'
import { addDays, generate, isoLocal, localMidnight, zoneId } from './lib/mobility-data.js'
import { runDuckDB } from './lib/mobility-duckdb.js'
import { prng } from './lib/data.js'
import { importCsv, putZones, runQuestions, tenantKey } from './lib/mobility-urbe.js'
import { createDatabase, dropDatabase, serverInfo } from './lib/pg-admin.js'
import { startUrbe } from './lib/processes.js'

const HELP = `npm run bench:mobility [-- options]

Generates (once) the mobility data set, loads it into Urbe on a fresh PostgreSQL database (created and dropped) and
into DuckDB (in this process), asks both the same questions, prints a table, writes bench/results/mobility-latest.json.

Options:
  --quick          a quarter of the zones, a fifth of the days (1/20 of the rows): a smoke test
  --zones=N        zones (default 570, quick 143): 570 x 365 days x 24 h x 4 classes = 20 M presence rows
  --days=N         days from 2025-01-01 (default 365, quick 73)
  --samples=N      timed queries per question (default 100), after 5 unmeasured ones
  --only=urbe|duckdb   one side only
  --embedded       Urbe on the embedded database (PGlite) instead of PostgreSQL: no targets apply
  --generate-only  write the data files and stop
Data files: ${path.join(os.tmpdir(), 'urbe-bench-mobility')} (kept; delete to regenerate).
PostgreSQL: BENCH_PG_URL [postgres://postgres@127.0.0.1:5432/postgres], a role that may CREATE DATABASE and
CREATE EXTENSION postgis (the server needs PostGIS installed).`

const argv = process.argv.slice(2)
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(`${HELP}\n`)
  process.exit(0)
}
const arg = (n) => argv.find((a) => a.startsWith(`--${n}=`))?.split('=')[1]
const int = (n, d) => {
  const v = arg(n)
  if (v === undefined) return d
  const x = Number(v)
  if (!Number.isInteger(x) || x <= 0) throw new Error(`--${n} must be a positive integer`)
  return x
}
const quick = argv.includes('--quick')
const only = arg('only')
const embedded = argv.includes('--embedded')
if (only && only !== 'urbe' && only !== 'duckdb') throw new Error('--only must be urbe or duckdb')
const pgUrl = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(pgUrl).hostname)) {
  throw new Error('BENCH_PG_URL must point to this machine (127.0.0.1)')
}
const zones = int('zones', quick ? 143 : 570)
const days = int('days', quick ? 73 : 365)
const samples = int('samples', 100)
if (zones > 9999) throw new Error('--zones: at most 9999')

/** Urbe's default k-threshold (the benchmark's tenant keeps it). */
const K = 30

// ---- the parameters of every sample, shared by both sides (sample i asks the same question of both)

function makeQuestions(p) {
  const rnd = prng(2026)
  const n = samples + 10
  const dayList = Array.from({ length: n }, () => addDays(p.firstDay, Math.floor(rnd() * p.days)))
  const zoneList = Array.from({ length: n }, () => zoneId(Math.floor(rnd() * p.zones)))
  // whole months inside the period (or the first 30 days when there is none)
  const months = []
  for (let d = p.firstDay; d <= p.lastDay; d = addDays(d, 1)) {
    if (d.endsWith('-01')) {
      const next = new Date(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 1)).toISOString().slice(0, 10)
      const last = addDays(next, -1)
      if (last <= p.lastDay) months.push([d, last])
    }
  }
  if (!months.length) {
    const last = addDays(p.firstDay, Math.min(29, p.days - 1))
    months.push([p.firstDay, last])
  }
  const monthList = Array.from({ length: n }, () => months[Math.floor(rnd() * months.length)])
  const bounds = (day) => [isoLocal(localMidnight(day)), isoLocal(localMidnight(addDays(day, 1)))]
  return {
    dayOf: (i) => dayList[i % n],
    zoneOf: (i) => zoneList[i % n],
    monthOf: (i) => monthList[i % n],
    heatmapBounds: (i) => bounds(dayList[i % n]),
    seriesArgs: (i) => [zoneList[i % n], bounds(p.firstDay)[0], bounds(p.lastDay)[1]],
    k: K,
  }
}

// ---- PostgreSQL housekeeping

async function withClient(url, fn) {
  const c = new pg.Client({ connectionString: url, application_name: 'urbe-bench' })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}

/** Drops the databases this process created (pg-admin.js names them urbe_bench_<pid>_...). */
async function dropOwnDatabases() {
  const names = await withClient(pgUrl, async (c) =>
    (
      await c.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`urbe\\_bench\\_${process.pid}\\_%`])
    ).rows.map((r) => r.datname),
  ).catch(() => [])
  for (const n of names) await dropDatabase(pgUrl, n).catch(() => {})
}

/** VACUUM (ANALYZE) of the mobility tables; returns their sizes. */
async function vacuumMobility(url) {
  return withClient(url, async (c) => {
    const tables = (
      await c.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'mob\\_%'")
    ).rows.map((r) => r.tablename)
    const t = Date.now()
    for (const tb of tables) await c.query(`VACUUM (ANALYZE) ${tb}`)
    const sizes = {}
    for (const tb of tables) {
      const r = await c.query('SELECT pg_total_relation_size($1::regclass) AS b', [tb])
      sizes[tb] = Number(r.rows[0].b)
    }
    return { seconds: (Date.now() - t) / 1000, sizes }
  })
}

// ---- the cross-check: Urbe's answers of sample 0 against DuckDB's

function crossCheck(urbe, duck) {
  const out = {}
  if (urbe.heatmap && duck.heatmap) {
    const ref = new Map(duck.heatmap.map(([z, h, v]) => [`${z} ${h}`, v]))
    let equal = 0
    let different = 0
    let suppressed = 0
    let example
    for (const z of urbe.heatmap.zones ?? []) {
      z.values.forEach((v, h) => {
        if (typeof v !== 'number') {
          if (v === 'suppressed') suppressed++
          return
        }
        if (ref.get(`${z.zone} ${h}`) === v) equal++
        else {
          different++
          example ??= `${z.zone} hour ${h}: Urbe ${v}, DuckDB ${ref.get(`${z.zone} ${h}`)}`
        }
      })
    }
    out.heatmap = { equal, different, suppressed, ...(example ? { example } : {}) }
  }
  if (urbe.series && duck.series) {
    const total = (urbe.series.total ?? []).filter((v) => typeof v === 'number')
    const u = total.reduce((a, b) => a + b, 0)
    const d = duck.series.reduce((a, r) => a + r[5], 0)
    out.series = {
      urbeHours: urbe.series.times?.length,
      duckdbHours: duck.series.length,
      urbeSum: u,
      duckdbSum: d,
      suppressed: (urbe.series.total ?? []).filter((v) => v === 'suppressed').length,
    }
  }
  if (urbe.flows && duck.flows) {
    // Urbe's month totals add the published cells only (a day-band-class count below k is left out): compared with
    // the plain sums and with the sums of the cells of at least k
    const compare = (rows) => {
      const ref = new Map(rows.map(([o, d, n]) => [`${o}>${d}`, n]))
      let equal = 0
      let different = 0
      let example
      for (const it of urbe.flows.items ?? []) {
        const want = ref.get(`${it.origin}>${it.destination}`)
        if (want === it.count) equal++
        else {
          different++
          example ??= `${it.origin}>${it.destination}: Urbe ${it.count}, DuckDB ${want ?? 'not in its top 100'}`
        }
      }
      return { equal, different, ...(example ? { example } : {}) }
    }
    out.flows = compare(duck.flows)
    if (duck.flowsPublished) out.flowsPublished = compare(duck.flowsPublished)
  }
  return out
}

// ---- the run

const started = new Date()
const result = { when: started.toISOString(), quick, embedded, samples, urbe: {}, duckdb: {}, info: {} }
let failed
let p
try {
  progress(`data: ${zones} zones x ${days} days from 2025-01-01 (${quick ? 'quick' : 'full'})`)
  p = await generate({ zones, days })
  result.params = { ...p }
  if (argv.includes('--generate-only')) process.exit(0)
  const questions = makeQuestions(p)
  // other work on the machine skews every figure here: said so in the output
  result.info.busyCoresBefore = Math.round((await machineBusy(3)) * 100) / 100
  if (result.info.busyCoresBefore > 0.3) {
    progress(`the machine is not idle: ${result.info.busyCoresBefore} cores busy over 3 s before the run`)
  }

  if (only !== 'urbe') {
    try {
      await runDuckDB(p, questions, samples, result.duckdb)
    } catch (e) {
      failed = e
      progress(`DuckDB failed: ${e.stack ?? e}`)
    }
  }

  if (only !== 'duckdb') {
    const snapshot = await snapshotDist(path.join(ROOT, 'bench/results'))
    cleanup.dir(snapshot)
    process.env.URBE_BENCH_DIST = snapshot
    let db
    let dataDir
    let server
    try {
      // no synthetic mobility data for the demo Comuni: it would be generated while the benchmark measures
      const env = { URBE_MOBILITY_DEMO_DAYS: '0' }
      if (embedded) {
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urbe-bench-'))
        cleanup.dir(dataDir)
        progress(`Urbe: embedded database (PGlite) in ${dataDir}...`)
        Object.assign(env, { DATABASE_URL: '', URBE_DATA_DIR: dataDir })
      } else {
        progress(`Urbe: fresh database on ${new URL(pgUrl).host}...`)
        db = await createDatabase(pgUrl).catch(async (e) => {
          await dropOwnDatabases() // createDatabase leaves the database behind when CREATE EXTENSION fails
          if (/extension "postgis" is not available/.test(e.message)) {
            throw new Error(
              `the PostgreSQL server at ${new URL(pgUrl).host} has no PostGIS, which Urbe needs: install it (Debian: apt-get install postgresql-15-postgis-3) or point BENCH_PG_URL to one that has it; --embedded runs Urbe on PGlite instead`,
            )
          }
          throw e
        })
        cleanup.database(pgUrl, db.name)
        setOurDatabase(db.name)
        result.info.postgres = await serverInfo(db.url)
        env.DATABASE_URL = db.url
      }
      server = await startUrbe({ env, label: `urbe-mobility-${embedded ? 'embedded' : 'pg'}` })
      const key = await tenantKey(server.url)
      const z = await putZones(server.url, key, p.zonesFile)
      progress(`Urbe: zones: ${JSON.stringify(z).slice(0, 200)}`)
      const u = result.urbe
      progress(`Urbe: POST /imports/presence of ${fmt(p.presenceRows)} rows (${p.presenceFile})...`)
      let stop = measureCpu([server.proc.pid])
      u.load = await importCsv(server.url, key, 'presence', p.presenceFile, p.presenceRows)
      u.load.cpu = stop()
      progress(
        `Urbe: presence: ${fmt(u.load.imported)} imported, ${fmt(u.load.rejected)} rejected in ${u.load.seconds.toFixed(1)} s: ${fmt(u.load.rowsPerSecond)} rows/s`,
      )
      progress(`Urbe: POST /imports/flows of ${fmt(p.flowRows)} rows...`)
      stop = measureCpu([server.proc.pid])
      u.flowsLoad = await importCsv(server.url, key, 'flows', p.flowsFile, p.flowRows)
      u.flowsLoad.cpu = stop()
      progress(
        `Urbe: flows: ${fmt(u.flowsLoad.imported)} imported, ${fmt(u.flowsLoad.rejected)} rejected in ${u.flowsLoad.seconds.toFixed(1)} s: ${fmt(u.flowsLoad.rowsPerSecond)} rows/s`,
      )
      if (db) {
        progress('Urbe: VACUUM (ANALYZE) of the mobility tables, as autovacuum does after a bulk load (not timed)')
        u.vacuum = await vacuumMobility(db.url)
      }
      await runQuestions(server.url, key, p, questions, samples, u)
    } catch (e) {
      failed ??= e
      progress(`Urbe failed: ${e.stack ?? e}`)
    } finally {
      await server?.stop()
      if (db) await dropDatabase(pgUrl, db.name).catch((e) => progress(`could not drop ${db.name}: ${e.message}`))
      setOurDatabase(undefined)
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
      removeSnapshot(snapshot)
      cleanup.done()
    }
  }
  if (result.urbe.answers && result.duckdb.answers) {
    result.crossCheck = crossCheck(result.urbe.answers, result.duckdb.answers)
  }
} catch (e) {
  failed ??= e
  progress(`bench failed: ${e.stack ?? e}`)
}

// ---- the table

const rows = []
/** Cores used during an import: the Urbe process, PostgreSQL (our database's backends and the server-wide ones). */
const cpuText = (c) =>
  c
    ? ` (cores: Urbe ${c.server}, ${embedded ? 'PGlite inside Urbe' : `PostgreSQL ${c.postgres}`}, this process ${c.loadgen}, other ${c.other}, iowait ${c.iowait})`
    : ''
const speed = (name, key, target) => {
  const u = result.urbe[key]
  const d = result.duckdb[key]
  rows.push({
    figure: name,
    urbe: u?.rowsPerSecond,
    duckdb: d?.rowsPerSecond,
    unit: 'rows/s',
    ratio: u && d ? d.rowsPerSecond / u.rowsPerSecond : undefined,
    target,
    pass: target && u && !embedded ? u.rowsPerSecond >= target && !u.rejected : undefined,
    details: [
      u
        ? `Urbe ${fmt(u.imported)} rows in ${u.seconds.toFixed(1)} s, ${fmt(u.rejected)} rejected${cpuText(u.cpu)}`
        : '',
      d ? `DuckDB ${fmt(d.rows)} rows in ${d.seconds.toFixed(1)} s` : '',
    ]
      .filter(Boolean)
      .join('; '),
  })
}
const latency = (name, key, target) => {
  const u = result.urbe[key]
  const d = result.duckdb[key]
  const uv = u?.valid ? u.p95 : u ? Number.NaN : undefined
  const dv = d?.valid ? d.p95 : d ? Number.NaN : undefined
  rows.push({
    figure: name,
    urbe: uv,
    duckdb: dv,
    unit: 'ms p95',
    ratio: u && d ? uv / dv : undefined,
    target,
    pass: target && u && !embedded ? u.valid && u.p95 <= target : undefined,
    details: [
      u ? `Urbe p50 ${u.p50.toFixed(1)}${u.valid ? '' : ` INVALID: ${u.problem.slice(0, 200)}`}` : '',
      d ? `DuckDB p50 ${d.p50.toFixed(1)}${d.valid ? '' : ` INVALID: ${d.problem}`}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  })
}
speed(`import presence CSV (${fmt(p?.presenceRows)} rows)`, 'load', 200_000)
speed(`import flows CSV (${fmt(p?.flowRows)} rows)`, 'flowsLoad')
latency(`heatmap: one day, all ${p?.zones} zones`, 'heatmap', 200)
latency(`series: one zone, ${p?.days} days by hour`, 'series', 300)
latency('flows: top 100 OD pairs of a month', 'flows', 500)
result.rows = rows

const num = (v, unit) =>
  v === undefined ? '-' : Number.isNaN(v) ? 'invalid' : unit === 'rows/s' ? fmt(v) : `${v.toFixed(1)} ms`
const table = rows.map((r) => [
  r.figure,
  num(r.urbe, r.unit),
  num(r.duckdb, r.unit),
  r.ratio === undefined || Number.isNaN(r.ratio) ? '-' : `${r.ratio.toFixed(r.ratio < 10 ? 2 : 0)}x`,
  r.target ? `${r.unit === 'rows/s' ? '>=' : '<='} ${fmt(r.target)} ${r.unit}` : '',
  r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL',
  r.details,
])
const head = [
  'figure',
  embedded ? 'Urbe (embedded)' : 'Urbe (PostgreSQL)',
  'DuckDB',
  'DuckDB advantage',
  'target (Urbe)',
  'result',
  'details',
]
const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => String(t[i]).length)))
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`
const pgInfo = result.info.postgres ? `, ${result.info.postgres.version}` : ''
const out = [
  '',
  `Urbe mobility benchmark${quick ? ' (--quick: a smoke test, not the issue figures)' : ''}, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${os.cpus().length} CPUs, Node ${process.version}${pgInfo}, DuckDB 2 threads`,
  p
    ? `${p.zones} zones x ${p.days} days (${p.firstDay}..${p.lastDay}): ${fmt(p.presenceRows)} presence rows, ${fmt(p.flowRows)} flow rows; ${samples} sequential samples per question (same parameters on both sides)`
    : '',
  '',
  line(head),
  line(widths.map((w) => '-'.repeat(w))),
  ...table.map(line),
  '',
  'DuckDB advantage: DuckDB rows/s / Urbe rows/s for imports, Urbe ms / DuckDB ms for queries: how many times faster',
  'DuckDB was (below 1: Urbe was faster). Targets apply to Urbe on PostgreSQL; Urbe times are HTTP round trips',
  "(query, k-anonymity suppression, JSON), DuckDB's are in-process SQL with the rows read into JavaScript.",
]
if (result.urbe.vacuum) {
  const mb = (b) => `${fmt(b / 1e6)} MB`
  out.push(
    `PostgreSQL tables after the imports: ${Object.entries(result.urbe.vacuum.sizes)
      .map(([t, b]) => `${t} ${mb(b)}`)
      .join(', ')}; VACUUM (ANALYZE) ${result.urbe.vacuum.seconds.toFixed(1)} s (not counted).`,
  )
}
if (result.crossCheck) {
  const c = result.crossCheck
  const parts = []
  if (c.heatmap)
    parts.push(
      `heatmap cells equal ${c.heatmap.equal}, different ${c.heatmap.different}, suppressed ${c.heatmap.suppressed}${c.heatmap.example ? ` (e.g. ${c.heatmap.example})` : ''}`,
    )
  if (c.series)
    parts.push(
      `series ${c.series.urbeHours} vs ${c.series.duckdbHours} hours, totals ${fmt(c.series.urbeSum)} vs ${fmt(c.series.duckdbSum)} (${c.series.suppressed} suppressed)`,
    )
  const flows = (f) => `equal ${f.equal}, different ${f.different}${f.example ? ` (e.g. ${f.example})` : ''}`
  if (c.flows) parts.push(`top-100 flows vs plain sums: ${flows(c.flows)}`)
  if (c.flowsPublished) parts.push(`vs sums of the cells >= k (${K}): ${flows(c.flowsPublished)}`)
  out.push(`Cross-check of sample 0, Urbe vs DuckDB: ${parts.join('; ')}.`)
}
if (result.info.busyCoresBefore > 0.3) {
  out.push(`The machine was not idle: ${result.info.busyCoresBefore} cores busy over 3 s before the run.`)
}
if (failed) out.push(`FAILED: ${String(failed.message ?? failed).slice(0, 500)}`)
process.stdout.write(`${out.join('\n')}\n`)

delete result.urbe.answers
delete result.duckdb.answers
const dir = path.join(ROOT, 'bench/results')
fs.mkdirSync(dir, { recursive: true })
fs.writeFileSync(path.join(dir, 'mobility-latest.json'), `${JSON.stringify(result, null, 2)}\n`)
process.exit(failed ? 1 : 0)
