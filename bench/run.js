// `npm run bench`: the NGSI-LD broker benchmark (see docs/performance.md). Builds nothing itself: the npm script
// runs scripts/build.js first, and the servers run a private copy of that build (bench/lib/dist-snapshot.js).
import os from 'node:os'
import path from 'node:path'
import { loadSettings } from './lib/config.js'
import { runEmbedded, runPostgres } from './lib/databases.js'
import { machineBusy } from './lib/cpu.js'
import { removeSnapshot, snapshotDist } from './lib/dist-snapshot.js'
import { helloWorld } from './lib/limits.js'
import { progress } from './lib/log.js'
import { judge, renderCpu, renderProblems, renderTable, writeJson } from './lib/report.js'

const settings = loadSettings()

if (settings.waitIdleMinutes) {
  const until = Date.now() + settings.waitIdleMinutes * 60_000
  let quiet = 0
  for (;;) {
    const busy = await machineBusy(5)
    quiet = busy < 0.15 ? quiet + 1 : 0
    if (quiet === 3) break // 15 s in a row
    if (quiet) continue
    if (Date.now() > until) {
      progress(`still ${busy.toFixed(2)} cores busy after ${settings.waitIdleMinutes} min: running anyway`)
      break
    }
    progress(`waiting for the machine to be idle (${busy.toFixed(2)} cores busy)...`)
  }
}

const started = new Date()
const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  memoryGB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  loadavgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
}
progress(
  `${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, load average ${machine.loadavgAtStart.join(' ')}`,
)
if (machine.loadavgAtStart[0] > 0.5)
  progress('note: the machine is not idle; other work skews the figures (see "other" in the CPU table)')

const rows = []
const out = { started: started.toISOString(), machine, settings: { ...settings, resultsDir: undefined } }
let failed
let hello
let snapshot
try {
  snapshot = await snapshotDist(settings.resultsDir)
  process.env.URBE_BENCH_DIST = snapshot
  hello = await helloWorld(settings)
  out.hello = hello
  rows.push({
    key: 'hello',
    variant: `${settings.connections} connections`,
    database: '-',
    value: hello.rps,
    unit: 'req/s',
    valid: hello.valid,
    details: hello,
    ...(hello.problem ? { problem: hello.problem } : {}),
  })
  if (settings.only !== 'embedded') await runPostgres(settings, rows, out)
  if (settings.only !== 'postgres') await runEmbedded(settings, rows)
} catch (e) {
  failed = e
  progress(`bench failed: ${e.stack ?? e}`)
} finally {
  removeSnapshot(snapshot)
}
judge(rows, { hello })

out.finished = new Date().toISOString()
out.minutes = Math.round(((Date.now() - started.getTime()) / 60000) * 10) / 10
out.rows = rows.map(({ details, ...r }) => ({ ...r, details }))
out.loadavgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100)
const others = rows.map((r) => r.details?.cpu?.other).filter((x) => x !== undefined)
const otherMean = others.length ? others.reduce((a, b) => a + b, 0) / others.length : 0
out.otherCoresMean = Math.round(otherMean * 100) / 100
const file = writeJson(settings.resultsDir, out)

if (rows.length) {
  const pgInfo = out.postgres
    ? `PostgreSQL ${out.postgres.version.replace('PostgreSQL ', '')}, PostGIS ${out.postgres.postgis}, synchronous_commit=${out.postgres.synchronousCommit}`
    : ''
  process.stdout.write(
    `\nUrbe NGSI-LD benchmark, ${out.started.slice(0, 16).replace('T', ' ')} UTC, ${machine.cpus} CPUs, Node ${machine.node}${pgInfo ? `, ${pgInfo}` : ''}\n`,
  )
  process.stdout.write(
    `(${settings.quick ? 'QUICK smoke run: figures not comparable; ' : ''}throughput: ${settings.duration} s per scenario after ${settings.warmup} s of warm-up; latency: ${settings.samples} sequential queries)\n\n`,
  )
  process.stdout.write(`${renderTable(rows)}\n\n`)
  const cpu = renderCpu(rows)
  if (cpu) process.stdout.write(`${cpu}\n\n`)
  if (otherMean > 0.25) {
    process.stdout.write(
      `WARNING: other work on this machine used ${otherMean.toFixed(2)} of ${machine.cpus} cores on average during the measurements ("other" above): the figures are pessimistic. Rerun on an idle machine (--wait-idle).\n\n`,
    )
  }
  const problems = renderProblems(rows)
  if (problems) process.stdout.write(`${problems}\n\n`)
}
process.stdout.write(`results: ${path.relative(process.cwd(), file)} (${out.minutes} min)\n`)
process.exit(failed ? 1 : 0)
