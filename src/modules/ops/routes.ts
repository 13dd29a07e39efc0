/** Liveness, readiness (database reachable, migrations applied) and Prometheus metrics. */
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import type { Config } from '../../config.js'
import type { Database } from '../../db/database.js'
import { isUpToDate } from '../../db/migrate.js'
import type { Metrics } from '../../http/metrics.js'

export function opsRoutes(app: FastifyInstance, deps: { database: Database; config: Config; metrics: Metrics }): void {
  const { database, config, metrics } = deps
  app.get('/health', { schema: { tags: ['ops'], summary: 'The process is alive' } }, async () => ({ status: 'ok' }))

  app.get(
    '/ready',
    { schema: { tags: ['ops'], summary: 'Database reachable and migrations applied' } },
    async (_req, reply) => {
      const checks: Record<string, string> = {}
      let ready = true
      try {
        await sql`SELECT 1`.execute(database.db)
        checks.database = 'ok'
        const upToDate = await isUpToDate(database)
        checks.migrations = upToDate ? 'ok' : 'pending'
        ready = upToDate
      } catch (e) {
        checks.database = `unreachable: ${(e as Error).message}`
        ready = false
      }
      const body = {
        status: ready ? 'ready' : 'not ready',
        database: database.kind,
        checks,
        ...(config.anonymousRole
          ? {
              warning: `OPEN MODE: requests without credentials act with the ${config.anonymousRole} role (URBE_ANONYMOUS_ROLE)`,
            }
          : {}),
      }
      return reply.code(ready ? 200 : 503).send(body)
    },
  )

  app.get(
    '/metrics',
    { schema: { tags: ['ops'], summary: 'Prometheus metrics (text format)' } },
    async (_req, reply) => {
      const text = await metrics.registry.metrics()
      return reply.header('content-type', metrics.registry.contentType).send(text)
    },
  )
}
