/**
 * Coalesced reads of single entities (GET /entities/{id}): at most `concurrency` lookups run at once; the requests
 * that arrive meanwhile wait for one to finish and then go together in one statement (`id = ANY($ids)`), one per
 * tenant. Alone, a lookup is issued at once and costs what it did before; under load PostgreSQL runs one index scan
 * over a few dozen ids instead of a few dozen statements, and the server makes one round trip instead of many.
 *
 * Each read starts after its request arrived, so it sees every write committed before that (read-your-writes holds).
 * A failed statement fails the reads that were in it, and only those.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { cloneJson } from './format/clone-json.js'
import { groupBy } from './group-by.js'
import type { StoredEntity } from './model.js'
import * as repo from './repo.js'

interface Waiter {
  tenant: string
  id: string
  resolve(e: StoredEntity | undefined): void
  reject(e: unknown): void
}

/** At most this many ids per statement. */
const MAX_READ_BATCH = 200

export function createEntityReader(db: Kysely<DB>, opts: { concurrency: number }) {
  const concurrency = Math.max(1, opts.concurrency)
  const queue: Waiter[] = []
  let running = 0

  async function readTenant(tenant: string, waiters: Waiter[]): Promise<void> {
    try {
      const found = await repo.getEntities(db, tenant, [...new Set(waiters.map((w) => w.id))])
      const handed = new Set<string>()
      for (const w of waiters) {
        const e = found.get(w.id)
        // The same id asked twice in one statement: each request gets its own copy (renderers may adapt it).
        if (e && handed.has(w.id)) w.resolve(cloneJson(e))
        else {
          handed.add(w.id)
          w.resolve(e)
        }
      }
    } catch (err) {
      for (const w of waiters) w.reject(err)
    }
  }

  function pump(): void {
    while (running < concurrency && queue.length > 0) {
      running++
      const batch = groupBy(queue.splice(0, MAX_READ_BATCH), (w) => w.tenant)
      void Promise.all([...batch].map(([tenant, waiters]) => readTenant(tenant, waiters))).finally(() => {
        running--
        pump()
      })
    }
  }

  return {
    /** The current state of one entity, or undefined: read together with the lookups that wait at the same time. */
    get(tenant: string, id: string): Promise<StoredEntity | undefined> {
      return new Promise((resolve, reject) => {
        queue.push({ tenant, id, resolve, reject })
        pump()
      })
    },
  }
}
