/** The database-backed store of user @contexts: fetched once, kept across restarts and shared by every server. */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { ContextStore } from './context/index.js'

export function createDbContextStore(db: Kysely<DB>): ContextStore {
  return {
    async get(url) {
      const r = await db
        .selectFrom('ngsi_contexts')
        .select(['body', 'fetched_at'])
        .where('url', '=', url)
        .executeTakeFirst()
      return r ? { body: r.body, fetchedAt: new Date(r.fetched_at).toISOString() } : undefined
    },
    async put(url, body, kind) {
      const text = JSON.stringify(body)
      await db
        .insertInto('ngsi_contexts')
        .values({ url, kind, body: text, bytes: Buffer.byteLength(text) })
        .onConflict((oc) =>
          oc.column('url').doUpdateSet({ kind, body: text, bytes: Buffer.byteLength(text), fetched_at: new Date() }),
        )
        .execute()
    },
    async list() {
      const rows = await db
        .selectFrom('ngsi_contexts')
        .select(['url', 'kind', 'fetched_at', 'bytes'])
        .orderBy('url')
        .execute()
      return rows.map((r) => ({
        url: r.url,
        kind: r.kind,
        fetchedAt: new Date(r.fetched_at).toISOString(),
        bytes: r.bytes,
      }))
    },
    async delete(url) {
      const r = await db.deleteFrom('ngsi_contexts').where('url', '=', url).executeTakeFirst()
      return Number(r.numDeletedRows) > 0
    },
  }
}
