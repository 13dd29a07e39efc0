// `npm run bench:mqtt`: sustained MQTT ingestion into PostgreSQL with history on (the device gateway issue).
// Needs Mosquitto installed (the bench starts one of its own on a free port, with a queue and an in-flight window fit
// for a high-rate consumer: bench/lib/mosquitto.js; or BENCH_MQTT_URL names a running one) and PostgreSQL with
// PostGIS (BENCH_PG_URL).
//   1. The limit: the same messages through Mosquitto alone, one publisher to one subscriber (QoS 1), paced like 2.
//   2. Urbe: `urbe serve` on a fresh database with MQTT_URL pointing to Mosquitto; 1,000 devices provisioned in one
//      service group; the publisher sends JSON measurements (2 attributes each) round robin over the devices, QoS 1,
//      `--inflight` messages unacknowledged at most, paced to stay at most `--window` messages ahead of what the
//      gateway has taken; the rate counts messages from the first publish until the last one is stored (history
//      rows counted in the database).
//   3. Publish-to-queryable latency during the load: `--probes` (4) probe devices each publish a fresh value, poll
//      GET /ngsi-ld/v1/entities/{id} every 10 ms until the value is there, pause 50 ms and start again.
// `--profile` runs the server with --cpu-prof and summarizes the load's window. Prints one table; writes
// bench/results/mqtt-latest.json.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import mqtt from 'mqtt'
import pg from 'pg'
import { ROOT } from './lib/config.js'
import { renderSummary, summarize } from './lib/cpuprofile.js'
import { removeSnapshot, snapshotDist } from './lib/dist-snapshot.js'
import { fmt, progress } from './lib/log.js'
import { startMosquitto } from './lib/mosquitto.js'
import { createDatabase, dropDatabase } from './lib/pg-admin.js'
import { operatorKey, startUrbe } from './lib/processes.js'

const arg = (n, d) => process.argv.find((a) => a.startsWith(`--${n}=`))?.split('=')[1] ?? d
const quick = process.argv.includes('--quick')
// --profile: the server runs with --cpu-prof; its samples of the load's window are summarized after the table
const profile = process.argv.includes('--profile')
const profileDir = path.join(ROOT, 'bench/results/profiles')
const nowUs = () => Number(process.hrtime.bigint() / 1000n)
const pgUrl = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
// A Mosquitto of the bench's own (bench/lib/mosquitto.js), unless BENCH_MQTT_URL names one
const own = process.env.BENCH_MQTT_URL ? undefined : await startMosquitto()
const mqttUrl = process.env.BENCH_MQTT_URL || own?.url || 'mqtt://127.0.0.1:1883'
const messages = Number(arg('messages', quick ? 20_000 : 200_000))
const devices = Number(arg('devices', 1000))
const inflight = Number(arg('inflight', 200))
const probes = Number(arg('probes', 4))
// how far the publisher may run ahead of what the receiver has taken (a broker of our own queues 100,000; the
// machine's default Mosquitto only 1,000, beyond which it drops)
const paceWindow = Number(arg('window', process.env.BENCH_MQTT_URL ? 300 : 3000))
const TENANT = '046017'
const pct = (s, p) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN

/**
 * Publishes `count` messages made by `payload(i)` on `topic(i)`, QoS 1, at most `inflight` unacknowledged. With
 * `ahead()`, no more than `window` messages beyond what it reports as taken by the receiver: Mosquitto drops QoS 1
 * messages beyond `max_queued_messages` (default 1,000) queued for a subscriber, so an unpaced publisher would measure
 * the broker's drops, not the gateway.
 */
async function publishAll(client, count, topic, payload, ahead, window = paceWindow) {
  let next = 0
  async function lane() {
    for (;;) {
      const i = next++
      if (i >= count) return
      while (ahead && i - ahead() > window) await new Promise((r) => setTimeout(r, 2))
      await client.publishAsync(topic(i), payload(i), { qos: 1 })
    }
  }
  await Promise.all(Array.from({ length: inflight }, lane))
}

async function mosquittoAlone(key) {
  progress(`Mosquitto alone: ${fmt(messages)} messages, publisher -> subscriber, QoS 1...`)
  const sub = await mqtt.connectAsync(mqttUrl, { clientId: `bench-sub-${key}`, clean: true })
  const pub = await mqtt.connectAsync(mqttUrl, { clientId: `bench-pub-${key}`, clean: true })
  let received = 0
  let done
  const all = new Promise((r) => {
    done = r
  })
  sub.on('message', () => {
    if (++received === messages) done()
  })
  await sub.subscribeAsync(`/${key}/+/attrs`, { qos: 1 })
  const t = process.hrtime.bigint()
  await publishAll(
    pub,
    messages,
    (i) => `/${key}/d${i % devices}/attrs`,
    (i) => JSON.stringify({ t: 20 + (i % 100) / 10, h: 40 + (i % 30) }),
    // paced like the Urbe run (at most 600 ahead of the subscriber, plus 200 in flight), or Mosquitto drops beyond its queue of 1,000
    () => received,
  )
  await Promise.race([all, new Promise((r) => setTimeout(r, 120_000))])
  const seconds = Number(process.hrtime.bigint() - t) / 1e9
  await pub.endAsync()
  await sub.endAsync()
  return { received, seconds, rate: received / seconds }
}

async function urbe(key) {
  const db = await createDatabase(pgUrl)
  const run = randomBytes(3).toString('hex')
  const server = await startUrbe({
    env: {
      DATABASE_URL: db.url,
      MQTT_URL: mqttUrl,
      URBE_MQTT_CLIENT_ID: `urbe-bench-${run}`,
      URBE_MQTT_SHARED_GROUP: `b${run}`,
    },
    label: 'urbe-mqtt',
    ...(profile ? { profileDir } : {}),
  })
  let window
  const c = new pg.Client({ connectionString: db.url })
  await c.connect()
  try {
    const op = await operatorKey(server.url)
    const call = async (method, url, body) => {
      const r = await fetch(`${server.url}${url}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${op}` },
        body: body && JSON.stringify(body),
      })
      if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`)
      return r.status === 204 ? undefined : r.json()
    }
    await call('POST', `/api/tenants/${TENANT}/iot/services`, {
      apikey: key,
      entity_type: 'WeatherObserved',
      attributes: [
        { object_id: 't', name: 'temperature', type: 'Number', unitCode: 'CEL' },
        { object_id: 'h', name: 'relativeHumidity', type: 'Number', unitCode: 'P1' },
      ],
    })
    const list = Array.from({ length: devices }, (_, i) => ({ device_id: `d${i}`, apikey: key }))
    for (let p = 0; p < probes; p++) list.push({ device_id: `probe${p}`, apikey: key })
    await call('POST', `/api/tenants/${TENANT}/iot/devices`, { devices: list })
    const stored = async () =>
      Number(
        (
          await c.query(
            `SELECT count(*)::int AS n FROM ngsi_attr_history WHERE tenant = $1 AND attr LIKE '%temperature' AND entity_id NOT LIKE 'urn:ngsi-ld:WeatherObserved:probe%'`,
            [TENANT],
          )
        ).rows[0].n,
      )
    const pub = await mqtt.connectAsync(mqttUrl, { clientId: `bench-dev-${run}`, clean: true })
    const probe = await mqtt.connectAsync(mqttUrl, { clientId: `bench-probe-${run}`, clean: true })
    // warm-up: one message per device, so that every entity exists before the measurement
    await publishAll(
      pub,
      devices,
      (i) => `/${key}/d${i}/attrs`,
      () => JSON.stringify({ t: 0, h: 0 }),
    )
    for (let k = 0; (await stored()) < devices && k < 600; k++) await new Promise((r) => setTimeout(r, 100))
    const base = await stored()
    progress(
      `Urbe: ${fmt(messages)} messages to ${fmt(devices)} devices over Mosquitto, QoS 1, ${inflight} in flight...`,
    )
    const latencies = []
    let loading = true
    // `--probes` probe devices at once (more samples for the percentiles), each polling every 10 ms
    const probeLoop = Promise.all(
      Array.from({ length: probes }, async (_, p) => {
        const id = encodeURIComponent(`urn:ngsi-ld:WeatherObserved:probe${p}`)
        await new Promise((r) => setTimeout(r, p * 70))
        for (let v = 1; loading; v++) {
          const t = performance.now()
          await probe.publishAsync(`/${key}/probe${p}/attrs`, JSON.stringify({ t: v }), { qos: 1 })
          for (;;) {
            const r = await fetch(`${server.url}/ngsi-ld/v1/entities/${id}?attrs=temperature&options=keyValues`, {
              headers: { authorization: `Bearer ${op}` },
            })
            if (r.status === 200 && (await r.json()).temperature === v) break
            if (performance.now() - t > 30_000) break
            await new Promise((r) => setTimeout(r, 10))
          }
          latencies.push(performance.now() - t)
          await new Promise((r) => setTimeout(r, 50))
        }
      }),
    )
    // what the gateway has taken from Mosquitto (its message counter), for pacing
    const counter = async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text()
      let n = 0
      for (const l of text.split('\n')) if (l.startsWith('urbe_iot_messages_total{')) n += Number(l.split(' ').pop())
      return n
    }
    const taken0 = await counter()
    let taken = 0
    let pacing = true
    const pacer = (async () => {
      while (pacing) {
        taken = (await counter()) - taken0
        // a broker with the default 1,000-message queue needs a closer watch
        await new Promise((r) => setTimeout(r, own ? 50 : 20))
      }
    })()
    const t = process.hrtime.bigint()
    const fromUs = nowUs()
    await publishAll(
      pub,
      messages,
      (i) => `/${key}/d${i % devices}/attrs`,
      (i) => JSON.stringify({ t: 20 + (i % 100) / 10, h: 40 + (i % 30) }),
      () => taken,
    )
    pacing = false
    await pacer
    const published = Number(process.hrtime.bigint() - t) / 1e9
    let n = 0
    const deadline = Date.now() + 300_000
    let last = 0
    for (;;) {
      n = (await stored()) - base
      if (n >= messages || Date.now() > deadline) break
      if (Date.now() - last > 5000) {
        last = Date.now()
        progress(`  ${fmt(n)} / ${fmt(messages)} stored`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    const seconds = Number(process.hrtime.bigint() - t) / 1e9
    window = { fromUs, toUs: nowUs() }
    if (n < messages) {
      // where did the missing ones go? the gateway's own counters
      const text = await (await fetch(`${server.url}/metrics`)).text()
      const lines = text
        .split('\n')
        .filter((l) => /^urbe_iot_(messages|measurements|rejected|duplicates|write_failures|queue)/.test(l))
      progress(`  missing ${fmt(messages - n)}; gateway counters:\n${lines.join('\n')}`)
    }
    loading = false
    await probeLoop
    await pub.endAsync()
    await probe.endAsync()
    latencies.sort((a, b) => a - b)
    return {
      stored: n,
      published: messages,
      publishSeconds: published,
      seconds,
      rate: n / seconds,
      latencyMs: { samples: latencies.length, p50: pct(latencies, 50), p95: pct(latencies, 95), max: latencies.at(-1) },
    }
  } finally {
    await c.end()
    await server.stop()
    await dropDatabase(pgUrl, db.name).catch(() => {})
    if (profile && window) {
      const file = fs
        .readdirSync(profileDir)
        .filter((f) => f.startsWith('urbe-mqtt-'))
        .map((f) => path.join(profileDir, f))
        .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0]
      if (file) process.stdout.write(`${renderSummary(summarize(file, window))}\n\nprofile: ${file}\n`)
    }
  }
}

const snapshot = await snapshotDist(path.join(ROOT, 'bench/results'))
process.env.URBE_BENCH_DIST = snapshot
let failed
const out = { when: new Date().toISOString(), messages, devices, inflight }
try {
  const key = `bench${randomBytes(4).toString('hex')}`
  out.mosquitto = await mosquittoAlone(`${key}raw`)
  progress(`Mosquitto alone: ${fmt(out.mosquitto.rate)} messages/s`)
  out.urbe = await urbe(key)
  progress(
    `Urbe: ${fmt(out.urbe.rate)} messages/s stored, publish-to-queryable p95 ${out.urbe.latencyMs.p95.toFixed(0)} ms`,
  )
} catch (e) {
  failed = e
  progress(`bench failed: ${e.stack ?? e}`)
} finally {
  removeSnapshot(snapshot)
  if (own) {
    const dropped = own
      .log()
      .split('\n')
      .filter((l) => /dropped/i.test(l))
    if (dropped.length) progress(`Mosquitto dropped messages:\n${dropped.join('\n')}`)
    await own.stop()
  }
}
if (out.urbe && out.mosquitto) {
  const u = out.urbe
  const lines = [
    ['figure', 'value', 'target', 'verdict', 'reference'],
    [
      'MQTT ingestion, messages/s stored (2 attributes each)',
      fmt(u.rate),
      '>= 20,000',
      u.stored === u.published && u.rate >= 20_000 ? 'pass' : u.stored === u.published ? 'FAIL' : 'invalid',
      `Mosquitto alone, pub -> sub: ${fmt(out.mosquitto.rate)}/s; ${fmt(u.stored)}/${fmt(u.published)} stored`,
    ],
    [
      'publish-to-queryable p95',
      `${u.latencyMs.p95.toFixed(0)} ms`,
      '<= 1,000 ms',
      u.latencyMs.p95 <= 1000 ? 'pass' : 'FAIL',
      `p50 ${u.latencyMs.p50.toFixed(0)} ms, max ${u.latencyMs.max.toFixed(0)} ms, ${u.latencyMs.samples} probes`,
    ],
  ]
  const w = lines[0].map((_, i) => Math.max(...lines.map((l) => String(l[i]).length)))
  const row = (l) => `| ${l.map((c, i) => String(c).padEnd(w[i])).join(' | ')} |`
  process.stdout.write(
    `\nUrbe MQTT ingestion benchmark, ${out.when.slice(0, 16).replace('T', ' ')} UTC, ${os.cpus().length} CPUs, Node ${process.version}, PostgreSQL + Mosquitto on 127.0.0.1${own ? ` (${own.settings})` : ''}, publisher at most ${fmt(paceWindow)} messages ahead\n\n`,
  )
  process.stdout.write(`${[row(lines[0]), row(w.map((x) => '-'.repeat(x))), ...lines.slice(1).map(row)].join('\n')}\n`)
}
fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true })
fs.writeFileSync(path.join(ROOT, 'bench/results/mqtt-latest.json'), JSON.stringify(out, null, 2))
process.exit(failed ? 1 : 0)
