// The scenarios of one database, in order: load (batch upsert of new entities), queries (q, geo), GET by id and
// PATCH (1 server process, and 2 on PostgreSQL), batch upsert over existing entities. Returns result rows.
import { measureCpu } from './cpu.js'
import { throughput } from './http-load.js'
import { latencies } from './latency.js'
import { upsertAll } from './load.js'
import { fmt, progress } from './log.js'
import { operatorKey } from './processes.js'
import { getById, geoNear, patchAttr, selectiveQ } from './scenarios.js'

/** Rows: { key, scenario, variant, database, entities, value, unit, valid, problem?, details } */
export function createSuite({ settings, database, entities, servers, rows = [] }) {
  const ctx = { key: undefined }
  const headers = () => ({ authorization: `Bearer ${ctx.key}` })
  const pids = (list) => list.map((s) => s.proc.pid)

  function add(key, variant, value, unit, details, extra = {}) {
    const row = { key, variant, database, entities, value, unit, valid: details.valid !== false, details, ...extra }
    if (details.problem) row.problem = details.problem
    rows.push(row)
    return row
  }

  return {
    rows,
    add,
    async init() {
      ctx.key = await operatorKey(servers()[0].url)
    },

    async load() {
      progress(`${database}: loading ${fmt(entities)} entities with batch upserts of ${settings.batchSize}...`)
      const stop = measureCpu(pids(servers()))
      const r = await upsertAll(servers()[0].url, ctx.key, {
        count: entities,
        size: settings.batchSize,
        concurrency: settings.loadConcurrency,
        expect: 201,
        label: database,
      })
      r.cpu = stop()
      progress(`${database}: loaded in ${r.seconds.toFixed(1)} s: ${fmt(r.attrsPerSecond)} attributes/s`)
      add('batch', `new entities, ${r.concurrency} batches in flight`, r.attrsPerSecond, 'attrs/s', r)
    },

    /**
     * Batch upsert (replace) over existing entities with new values, points moved: `warmup` entities first, not
     * measured (the replace path is cold after the load, which only created), then `count` others, measured.
     */
    async reupsert(count, warmup) {
      const n = Math.min(count, entities - warmup)
      progress(`${database}: batch upsert over existing entities: ${fmt(warmup)} to warm up, then ${fmt(n)}...`)
      const common = {
        size: settings.batchSize,
        concurrency: settings.loadConcurrency,
        expect: 204,
        seed: 2,
        shift: 1,
        label: database,
      }
      await upsertAll(servers()[0].url, ctx.key, { ...common, count: warmup })
      const stop = measureCpu(pids(servers()))
      const r = await upsertAll(servers()[0].url, ctx.key, { ...common, count: n, from: warmup })
      r.cpu = stop()
      progress(`${database}: ${fmt(r.attrsPerSecond)} attributes/s`)
      add('batch', `existing entities (replace), ${r.concurrency} in flight`, r.attrsPerSecond, 'attrs/s', r)
    },

    async queries() {
      const kinds = [
        ['q', 'status==<rare>', selectiveQ()],
        ['q', 'status==<rare>;NO2><n>', selectiveQ({ numeric: true })],
        ['geo', 'random point', geoNear()],
      ]
      for (const [key, what, s] of kinds) {
        progress(`${database}: ${key} ${what}: latency of ${settings.samples} sequential queries...`)
        const r = await latencies({
          url: servers()[0].url,
          samples: settings.samples,
          headers: headers(),
          makeQuery: s.makeQuery,
          check: s.check,
        })
        const ms = (x) => x.toFixed(1)
        progress(
          `${database}: p50 ${ms(r.p50)} ms, p95 ${ms(r.p95)} ms, p99 ${ms(r.p99)} ms${r.valid ? '' : ` INVALID: ${r.problem}`}`,
        )
        const variant = `${what}; p50 ${ms(r.p50)}, p99 ${ms(r.p99)} ms; ${r.resultsPerQuery.mean.toFixed(0)} results`
        add(key, variant, r.p95, 'ms p95', r)
      }
    },

    /** GET or PATCH on the first `n` servers. */
    async throughput(key, n) {
      const list = servers().slice(0, n)
      const s = key === 'get' ? getById(entities) : patchAttr(entities)
      progress(
        `${database}: ${key.toUpperCase()} for ${settings.duration} s on ${n} process(es), ${settings.connections} connections...`,
      )
      const r = await throughput({
        urls: list.map((x) => x.url),
        duration: settings.duration,
        warmup: settings.warmup,
        connections: settings.connections,
        method: s.method,
        path: s.path,
        body: s.body,
        headers: { ...headers(), ...(s.extraHeaders ?? {}) },
        check: s.check,
        cpu: () => measureCpu(pids(list)),
      })
      progress(`${database}: ${key.toUpperCase()} ${fmt(r.rps)} req/s${r.valid ? '' : ` INVALID: ${r.problem}`}`)
      const lat = `p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms`
      add(key, `${n} server process${n > 1 ? 'es' : ''}, ${settings.connections} conn.; ${lat}`, r.rps, 'req/s', r)
    },
  }
}
