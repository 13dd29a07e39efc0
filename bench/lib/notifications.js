// NGSI-LD notifications: a subscription to a local HTTP receiver (in this process, 127.0.0.1) and batch updates at a
// steady rate; measures notifications delivered per second (entities in `data`, and POSTs) and change-to-receipt
// latency (from just before the write request is sent to the receipt of the notification naming that change).
// Standalone: `node bench/lib/notifications.js [--rate=N] [--seconds=S]` (PostgreSQL at BENCH_PG_URL; dist/ built).
import http from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { fmt, progress } from './log.js'
import { createDatabase, dropDatabase } from './pg-admin.js'
import { operatorKey, startUrbe } from './processes.js'

const TYPE = 'NotifyBench'
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0

function receiver() {
  const state = { entities: 0, posts: 0, latencies: [], seen: new Map(), outOfOrder: 0, first: 0, last: 0 }
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const now = Date.now()
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      state.posts++
      for (const d of body.data) {
        state.entities++
        state.latencies.push(now - d.sentAt)
        const prev = state.seen.get(d.id) ?? -1
        if (d.seq <= prev) state.outOfOrder++
        state.seen.set(d.id, d.seq)
      }
      state.first ||= now
      state.last = now
      res.writeHead(204).end()
    })
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ state, url: `http://127.0.0.1:${server.address().port}/n`, server })),
  )
}

async function post(url, key, path, body) {
  const r = await fetch(`${url}/ngsi-ld/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  })
  if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`)
}

/**
 * Writes `rate` changes per second for `seconds` (batches of `batch` entities, `concurrency` in flight) and reports
 * what the receiver got. The server must be running with a fresh database.
 */
export async function measureNotifications(
  url,
  key,
  { rate = 2500, seconds = 10, entities = 5000, batch = 100, concurrency = 4 } = {},
) {
  const rx = await receiver()
  const ids = Array.from({ length: entities }, (_, i) => `urn:ngsi-ld:${TYPE}:${i}`)
  const entity = (id, seq) => ({
    id,
    type: TYPE,
    seq: { type: 'Property', value: seq },
    sentAt: { type: 'Property', value: Date.now() },
  })
  for (let i = 0; i < ids.length; i += 1000)
    await post(
      url,
      key,
      '/entityOperations/upsert',
      ids.slice(i, i + 1000).map((id) => entity(id, 0)),
    )
  await post(url, key, '/subscriptions', {
    type: 'Subscription',
    entities: [{ type: TYPE }],
    notification: { format: 'keyValues', attributes: ['seq', 'sentAt'], endpoint: { uri: rx.url } },
  })
  const total = rate * seconds
  let written = 0
  let next = 0
  const started = Date.now()
  const worker = async () => {
    while (written < total) {
      const n = Math.min(batch, total - written)
      written += n
      // pace: this batch is due when `written` changes should have been sent at `rate`
      const due = started + ((written - n) / rate) * 1000
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()))
      const items = []
      for (let i = 0; i < n; i++) {
        const k = next++
        items.push(entity(ids[k % ids.length], 1 + Math.floor(k / ids.length)))
      }
      await post(url, key, '/entityOperations/upsert?options=update', items)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const writeSeconds = (Date.now() - started) / 1000
  const deadline = Date.now() + 60_000
  while (rx.state.entities < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  rx.server.close()
  const s = rx.state
  const lat = [...s.latencies].sort((a, b) => a - b)
  const span = (s.last - started) / 1000
  return {
    changes: total,
    received: s.entities,
    posts: s.posts,
    outOfOrder: s.outOfOrder,
    writeRate: Math.round(total / writeSeconds),
    notificationsPerSecond: Math.round(s.entities / span),
    postsPerSecond: Math.round(s.posts / span),
    entitiesPerPost: Math.round((s.entities / Math.max(1, s.posts)) * 10) / 10,
    latencyMs: { p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), max: lat.at(-1) ?? 0 },
  }
}

/** A fresh PostgreSQL database, one `urbe serve`, one measurement at each rate. */
export async function runNotifications({ pgUrl, rates = [2000, 4000], seconds = 10 }) {
  const db = await createDatabase(pgUrl)
  const server = await startUrbe({ env: { DATABASE_URL: db.url }, label: 'urbe-notify' })
  const results = []
  try {
    const key = await operatorKey(server.url)
    for (const rate of rates) {
      progress(`notifications: ${fmt(rate)} changes/s for ${seconds} s...`)
      const r = await measureNotifications(server.url, key, { rate, seconds })
      progress(
        `  delivered ${fmt(r.notificationsPerSecond)} notified entities/s (${fmt(r.postsPerSecond)} POST/s, ${r.entitiesPerPost} per POST), ` +
          `latency p50 ${r.latencyMs.p50} ms p95 ${r.latencyMs.p95} ms p99 ${r.latencyMs.p99} ms, ${r.received}/${r.changes} received, ${r.outOfOrder} out of order`,
      )
      results.push({ rate, ...r })
    }
  } finally {
    await server.stop()
    await dropDatabase(pgUrl, db.name).catch(() => {})
  }
  return results
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (n) => process.argv.find((a) => a.startsWith(`--${n}=`))?.split('=')[1]
  const rates = (arg('rate') ?? '2000,4000').split(',').map(Number)
  const results = await runNotifications({
    pgUrl: process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    rates,
    seconds: Number(arg('seconds') ?? 10),
  })
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
}
