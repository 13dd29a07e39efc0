// Where does the server's CPU go in one scenario? `node bench/profile.js <get|patch|upsert|upsert-existing|q|geo> [--entities=N]
// [--duration=S]` (after `npm run build`): loads N entities (default 20,000) into a fresh PostgreSQL database with
// an unprofiled server, then runs the scenario against a server started with --cpu-prof and summarizes the samples
// of the scenario's time window. The profile stays in bench/results/profiles/ (open it in Chrome DevTools).
import fs from 'node:fs'
import path from 'node:path'
import { loadSettings } from './lib/config.js'
import { renderSummary, summarize } from './lib/cpuprofile.js'
import { removeSnapshot, snapshotDist } from './lib/dist-snapshot.js'
import { throughput } from './lib/http-load.js'
import { latencies } from './lib/latency.js'
import { upsertAll } from './lib/load.js'
import { progress } from './lib/log.js'
import { vacuumAnalyze, createDatabase, dropDatabase } from './lib/pg-admin.js'
import { operatorKey, startUrbe } from './lib/processes.js'
import { geoNear, getById, patchAttr, selectiveQ } from './lib/scenarios.js'

const scenario = process.argv[2]
if (!['get', 'patch', 'upsert', 'upsert-existing', 'q', 'geo'].includes(scenario)) {
  process.stderr.write(
    'usage: node bench/profile.js <get|patch|upsert|upsert-existing|q|geo> [--entities=N] [--duration=S]\n',
  )
  process.exit(2)
}
const settings = loadSettings(process.argv.slice(3), { BENCH_ENTITIES: '20000', ...process.env })
const dir = path.join(settings.resultsDir, 'profiles')
const nowUs = () => Number(process.hrtime.bigint() / 1000n)

const snapshot = await snapshotDist(settings.resultsDir)
process.env.URBE_BENCH_DIST = snapshot
const db = await createDatabase(settings.pgUrl)
const env = { DATABASE_URL: db.url }
try {
  let server = await startUrbe({ env, label: 'load' })
  let key = await operatorKey(server.url)
  const load = {
    count: settings.entities,
    size: settings.batchSize,
    concurrency: settings.loadConcurrency,
    expect: 201,
    label: 'load',
  }
  if (scenario !== 'upsert') {
    await upsertAll(server.url, key, load)
    await vacuumAnalyze(db.url)
  }
  await server.stop()
  const label = `${scenario}-${Date.now()}`
  server = await startUrbe({ env, label, profileDir: dir })
  key = await operatorKey(server.url)
  const headers = { authorization: `Bearer ${key}` }
  progress(`profiling ${scenario}...`)
  let from
  let result
  if (scenario === 'get' || scenario === 'patch') {
    const s = scenario === 'get' ? getById(settings.entities) : patchAttr(settings.entities)
    // Warm-up outside the window; then the measured window.
    const common = {
      urls: [server.url],
      connections: settings.connections,
      method: s.method,
      path: s.path,
      body: s.body,
      headers: { ...headers, ...(s.extraHeaders ?? {}) },
      check: s.check,
      warmup: 0,
    }
    await throughput({ ...common, duration: 2 })
    from = nowUs()
    result = await throughput({ ...common, duration: settings.duration })
  } else if (scenario === 'upsert') {
    from = nowUs()
    result = await upsertAll(server.url, key, load)
  } else if (scenario === 'upsert-existing') {
    from = nowUs()
    result = await upsertAll(server.url, key, { ...load, shift: 1, expect: 204, label: 'upsert existing' })
  } else {
    const s = scenario === 'q' ? selectiveQ() : geoNear()
    from = nowUs()
    result = await latencies({
      url: server.url,
      samples: settings.samples * 3,
      headers,
      makeQuery: s.makeQuery,
      check: s.check,
    })
  }
  const to = nowUs()
  await server.stop()
  const file = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(label))
    .map((f) => path.join(dir, f))[0]
  const { latencyMs, ...brief } = result
  process.stdout.write(
    `${JSON.stringify(brief)}\n\n${renderSummary(summarize(file, { fromUs: from, toUs: to }))}\n\nprofile: ${file}\n`,
  )
} finally {
  await dropDatabase(settings.pgUrl, db.name)
  removeSnapshot(snapshot)
}
