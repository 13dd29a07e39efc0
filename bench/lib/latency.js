// Latency of queries: `samples` requests, one at a time (concurrency 1) on a keep-alive connection, each with its
// own parameters, after a few unmeasured warm-up requests. Client-side time from sending the request to the last
// byte of the answer. Every answer must be 200 with a non-empty JSON array of entities of the expected type.
import http from 'node:http'

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 })

function get(url, headers) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint()
    const req = http.get(url, { agent, headers }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: Number(process.hrtime.bigint() - t) / 1e6,
        }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
  })
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]

/** opts: { url, samples, concurrency?, warmup?, makeQuery(i): string, headers, check(list, query): string|undefined } */
export async function latencies(opts) {
  const { url, samples, headers, makeQuery, check } = opts
  const concurrency = opts.concurrency ?? 1
  const warmup = opts.warmup ?? 20
  const times = []
  const sizes = []
  let problem
  let next = 0
  async function worker() {
    for (;;) {
      const i = next++
      if (i >= warmup + samples) return
      const query = makeQuery(i)
      const r = await get(`${url}${query}`, headers)
      let list
      try {
        list = r.status === 200 ? JSON.parse(r.body) : undefined
      } catch {
        list = undefined
      }
      const why =
        r.status !== 200
          ? `status ${r.status}: ${r.body.slice(0, 300)}`
          : !Array.isArray(list)
            ? 'not a JSON array'
            : check(list, query)
      if (why) problem ??= `${query} -> ${why}`
      if (i >= warmup) {
        times.push(r.ms)
        sizes.push(Array.isArray(list) ? list.length : 0)
      }
    }
  }
  const t = process.hrtime.bigint()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = Number(process.hrtime.bigint() - t) / 1e9
  times.sort((a, b) => a - b)
  return {
    samples: times.length,
    concurrency,
    p50: pct(times, 50),
    p95: pct(times, 95),
    p99: pct(times, 99),
    max: times[times.length - 1],
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    rps: (warmup + samples) / seconds,
    resultsPerQuery: { min: Math.min(...sizes), mean: sizes.reduce((a, b) => a + b, 0) / sizes.length },
    valid: !problem,
    ...(problem ? { problem } : {}),
  }
}
