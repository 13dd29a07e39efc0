// Throughput with autocannon (programmatic API, loopback only): `connections` connections with pipelining 1 for
// `duration` seconds, after a warm-up of the same shape. With several servers the connections are split evenly
// between them and the autocannon instances run at the same time; the figure is the sum. Every answer is checked
// (status and body): a run with any error, timeout, unexpected status or bad body is reported as invalid.
import autocannon from 'autocannon'

function once(url, { seconds, connections, method, path, body, headers, check }) {
  let bad = 0
  let example
  const request = {
    method,
    setupRequest(req) {
      const r = { ...req, path: path() }
      if (body) r.body = body()
      return r
    },
    onResponse(status, resBody) {
      if (!check(status, resBody)) {
        bad++
        example ??= `${status} ${String(resBody).slice(0, 300)}`
      }
    },
  }
  return autocannon({
    url,
    connections,
    pipelining: 1,
    duration: seconds,
    headers,
    requests: [request],
    timeout: 10,
  }).then((r) => ({ r, bad, example }))
}

async function parallel(urls, opts) {
  const per = Math.max(1, Math.floor(opts.connections / urls.length))
  return Promise.all(urls.map((u) => once(u, { ...opts, connections: per })))
}

/**
 * opts: { urls, duration, warmup, connections, method, path(): string, body?(): string, headers, check(status, body),
 *   cpu?(): () => cpuUse }  (cpu: starts measuring after the warm-up, see cpu.js)
 * Returns { rps, requests, seconds, latencyMs: { p50, p97_5, p99 }, valid, problem, statusCodes }.
 */
export async function throughput(opts) {
  if (opts.warmup > 0) await parallel(opts.urls, { ...opts, seconds: opts.warmup })
  const stopCpu = opts.cpu?.()
  const runs = await parallel(opts.urls, { ...opts, seconds: opts.duration })
  const cpu = stopCpu?.()
  let requests = 0
  let seconds = 0
  const statusCodes = {}
  const problems = []
  const lat = { p50: 0, p97_5: 0, p99: 0 }
  for (const { r, bad, example } of runs) {
    requests += r.requests.total
    seconds = Math.max(seconds, r.duration)
    for (const [code, s] of Object.entries(r.statusCodeStats ?? {}))
      statusCodes[code] = (statusCodes[code] ?? 0) + s.count
    if (r.errors || r.timeouts) problems.push(`${r.errors} errors, ${r.timeouts} timeouts`)
    if (bad) problems.push(`${bad} bad answers, e.g. ${example}`)
    // Per server the percentiles; over several servers the worst of them.
    for (const k of Object.keys(lat)) lat[k] = Math.max(lat[k], r.latency[k] ?? 0)
  }
  if (requests === 0) problems.push('no request completed')
  return {
    rps: requests / seconds,
    requests,
    seconds,
    connections: opts.connections,
    servers: opts.urls.length,
    latencyMs: lat,
    statusCodes,
    ...(cpu ? { cpu } : {}),
    valid: problems.length === 0,
    ...(problems.length ? { problem: problems.join('; ') } : {}),
  }
}
