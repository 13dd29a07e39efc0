// The Urbe half of the mobility benchmark, over HTTP on 127.0.0.1: a tenant of its own (created by the demo
// superadmin) with an admin API key, the zones, the two CSV files streamed from disk to the import endpoints, then
// the three questions as sequential GETs on a keep-alive connection (client-side time to the last byte).
import fs from 'node:fs'
import http from 'node:http'
import { fmt, progress } from './log.js'
import { createApiKey, demoSession } from './processes.js'
import { sampleTimes } from './mobility-sampling.js'

export const TENANT = 'bench-mobility'

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })

/** Logs in as the demo superadmin, creates the tenant and an admin API key of it; returns the key. */
export async function tenantKey(url, tenant = TENANT) {
  const headers = await demoSession(url)
  const t = await fetch(`${url}/api/tenants`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ id: tenant, name: 'Mobility benchmark', timezone: 'Europe/Rome' }),
  })
  if (t.status !== 201) throw new Error(`tenant creation failed: ${t.status} ${await t.text()}`)
  return createApiKey(url, headers, tenant, 'admin')
}

function request(url, { method = 'GET', headers = {}, body, onSent } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    if (body instanceof fs.ReadStream) {
      body.on('data', (c) => onSent?.(c.length))
      body.on('error', (e) => req.destroy(e))
      body.pipe(req)
    } else req.end(body)
  })
}

const json = (r, what) => {
  try {
    return JSON.parse(r.body)
  } catch {
    throw new Error(`${what}: ${r.status}, not JSON: ${r.body.slice(0, 300)}`)
  }
}

export async function putZones(url, key, file, tenant = TENANT) {
  const r = await request(`${url}/api/mobility/${tenant}/zones?layer=grid&idProperty=zone&nameProperty=name`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: fs.readFileSync(file),
  })
  if (r.status >= 300) throw new Error(`PUT zones: ${r.status} ${r.body.slice(0, 500)}`)
  return json(r, 'PUT zones')
}

/**
 * Streams a CSV file to POST /imports/{kind}; wall time from the first byte sent to the summary.
 * Returns { rows, imported, rejected, seconds, rowsPerSecond, serverSeconds, summary }.
 */
export async function importCsv(url, key, kind, file, expectedRows, tenant = TENANT) {
  const size = fs.statSync(file).size
  let sent = 0
  const t = process.hrtime.bigint()
  const timer = setInterval(() => {
    const s = Number(process.hrtime.bigint() - t) / 1e9
    progress(
      `Urbe: import ${kind}: ${fmt(sent / 1e6)} / ${fmt(size / 1e6)} MB sent in ${s.toFixed(0)} s (~${fmt(((sent / size) * expectedRows) / s)} rows/s)`,
    )
  }, 10_000)
  let r
  try {
    r = await request(`${url}/api/mobility/${tenant}/imports/${kind}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'text/csv',
        'content-length': String(size),
        accept: 'application/json',
      },
      body: fs.createReadStream(file, { highWaterMark: 1 << 20 }),
      onSent: (n) => {
        sent += n
      },
    })
  } finally {
    clearInterval(timer)
  }
  const seconds = Number(process.hrtime.bigint() - t) / 1e9
  if (r.status >= 300) throw new Error(`import ${kind}: ${r.status} ${r.body.slice(0, 1000)}`)
  const summary = json(r, `import ${kind}`)
  const imported = summary.imported ?? summary.rows
  return {
    rows: summary.rows,
    imported,
    rejected: summary.rejected,
    seconds,
    rowsPerSecond: imported / seconds,
    serverSeconds: summary.seconds,
    summary: { ...summary, problems: summary.problems?.slice(0, 5) },
  }
}

/** `samples` GETs of each question; adds { heatmap, series, flows } to `out`, and `answers` (those of sample 0). */
export async function runQuestions(url, key, p, questions, samples, out = {}, tenant = TENANT) {
  const base = `${url}/api/mobility/${tenant}`
  const headers = { authorization: `Bearer ${key}`, accept: 'application/json' }
  const list = [
    [
      'heatmap',
      (i) => `/heatmap?day=${questions.dayOf(i)}&class=all`,
      (a) => (a.zones?.length === p.zones && a.zones.every((z) => z.values.length === 24) ? undefined : 'zones'),
    ],
    [
      'series',
      (i) => `/series?zone=${questions.zoneOf(i)}&from=${p.firstDay}&to=${p.lastDay}&resolution=hour`,
      (a) => (a.times?.length >= p.days * 24 - 1 && a.total?.length === a.times.length ? undefined : 'times'),
    ],
    [
      'flows',
      (i) => {
        const [from, to] = questions.monthOf(i)
        return `/flows?from=${from}&to=${to}&limit=100`
      },
      (a) => (a.items?.length === 100 ? undefined : `${a.items?.length} items`),
    ],
  ]
  out.answers ??= {}
  for (const [name, path, check] of list) {
    progress(`Urbe: ${name}: ${samples} sequential queries...`)
    out[name] = await sampleTimes(samples, async (i) => {
      const r = await request(`${base}${path(i)}`, { headers })
      if (r.status !== 200) return `${path(i)}: ${r.status} ${r.body.slice(0, 300)}`
      const a = json(r, path(i))
      if (i === 0) out.answers[name] = a
      const why = check(a)
      return why ? `${path(i)}: unexpected answer (${why}): ${r.body.slice(0, 200)}` : undefined
    })
    const x = out[name]
    progress(
      `Urbe: ${name}: p50 ${x.p50.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms${x.valid ? '' : ` INVALID: ${x.problem}`}`,
    )
  }
  return out
}
