/**
 * Named (prepared) statements for the SQL that repeats. node-pg sends every query as an unnamed statement, which
 * PostgreSQL parses and plans each time; a named one is parsed once per connection. The hot statements of the broker
 * (entity by id, the API key lookup, locks and writes of a batch) have fixed text, while `q` and geo queries vary
 * endlessly: so a text gets a name only once it has been seen `after` times, and each connection prepares at most
 * `perConnection` names (the rest stay unnamed). Off with URBE_DB_PREPARE=false (e.g. behind a transaction-pooling
 * PgBouncer, which cannot keep prepared statements).
 */
import type pg from 'pg'

export interface PrepareOptions {
  after?: number
  perConnection?: number
  maxNames?: number
}

export function prepareRepeatedStatements(pool: pg.Pool, opts: PrepareOptions = {}): void {
  const after = opts.after ?? 3
  const perConnection = opts.perConnection ?? 200
  const maxNames = opts.maxNames ?? 2000
  const seen = new Map<string, number>()
  const names = new Map<string, string>()

  const nameOf = (text: string): string | undefined => {
    const known = names.get(text)
    if (known !== undefined || names.size >= maxNames) return known
    const n = (seen.get(text) ?? 0) + 1
    if (n < after) {
      if (seen.size >= 20_000) seen.clear()
      seen.set(text, n)
      return undefined
    }
    seen.delete(text)
    const name = `urbe_${names.size}`
    names.set(text, name)
    return name
  }

  pool.on('connect', (client) => {
    const prepared = new Set<string>()
    const query = client.query.bind(client) as (...args: unknown[]) => unknown
    client.query = ((config: unknown, values?: unknown, callback?: unknown) => {
      if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
        const name = nameOf(config)
        if (name !== undefined && (prepared.has(name) || prepared.size < perConnection)) {
          prepared.add(name)
          const named = { name, text: config, values }
          return callback === undefined ? query(named) : query(named, callback)
        }
      }
      return callback === undefined ? query(config, values) : query(config, values, callback)
    }) as typeof client.query
  })
}
