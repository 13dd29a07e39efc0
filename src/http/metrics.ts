/**
 * Prometheus metrics of one app instance (its own registry: no global state): request counts and latency
 * histograms per route, errors by code, database pool, process metrics. Modules register more through `registry`.
 */
import type { FastifyInstance } from 'fastify'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { Database } from '../db/database.js'

export interface Metrics {
  readonly registry: Registry
  readonly requests: Counter<'method' | 'route' | 'status'>
  readonly duration: Histogram<'method' | 'route'>
  readonly errors: Counter<'code'>
}

export function createMetrics(database: Database): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'urbe_' })
  const requests = new Counter({
    name: 'urbe_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  })
  const duration = new Histogram({
    name: 'urbe_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  const errors = new Counter({
    name: 'urbe_http_errors_total',
    help: 'Error responses by error code',
    labelNames: ['code'] as const,
    registers: [registry],
  })
  new Gauge({
    name: 'urbe_db_pool_connections',
    help: 'Database connections by state (embedded: one serialized connection)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const s = database.stats()
      this.set({ state: 'total' }, s.total)
      this.set({ state: 'idle' }, s.idle)
      this.set({ state: 'waiting' }, s.waiting)
    },
  })
  return { registry, requests, duration, errors }
}

export function registerMetricsHooks(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched'
    const labels = { method: request.method, route }
    metrics.requests.inc({ ...labels, status: String(reply.statusCode) })
    metrics.duration.observe(labels, reply.elapsedTime / 1000)
    if (reply.errorCode) metrics.errors.inc({ code: reply.errorCode })
    done()
  })
}
