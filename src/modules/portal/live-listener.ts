/**
 * The broker side of the live feed: a ChangeListener called inside every NGSI-LD write transaction. It keeps the ids
 * of the changed entities of public types and either
 *  - `notify` (PostgreSQL with DATABASE_URL): `pg_notify('urbe_live', {"tenant","ids"})` in the same transaction, so
 *    PostgreSQL delivers it at commit to every Urbe process LISTENing (live-source.ts), never for a rolled-back write;
 *    payloads stay under PostgreSQL's 8000-byte limit by chunking the ids;
 *  - `local` (embedded PGlite, whose LISTEN the database layer does not expose): takes the transaction id, and once
 *    the transaction is over asks `txid_status` whether it committed; only then are this process's feeds told.
 */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../../db/schema.js'
import { type ChangeListener, changeListener, type EntityChange } from '../ngsi-ld/service.js'

export const LIVE_CHANNEL = 'urbe_live'
/** Largest NOTIFY payload we send (PostgreSQL refuses 8000 bytes and more). */
export const MAX_PAYLOAD_BYTES = 7900

export interface LiveMessage {
  tenant: string
  ids: string[]
}

/** Splits the ids into payloads of at most `max` bytes (an id too long to fit alone is left out). */
export function chunkPayloads(tenant: string, ids: readonly string[], max = MAX_PAYLOAD_BYTES): string[] {
  const head = Buffer.byteLength(JSON.stringify({ tenant, ids: [] }))
  const out: string[] = []
  let cur: string[] = []
  let size = head
  for (const id of ids) {
    const n = Buffer.byteLength(JSON.stringify(id)) + 1
    if (head + n > max) continue
    if (size + n > max && cur.length) {
      out.push(JSON.stringify({ tenant, ids: cur }))
      cur = []
      size = head
    }
    cur.push(id)
    size += n
  }
  if (cur.length) out.push(JSON.stringify({ tenant, ids: cur }))
  return out
}

export function parseMessage(payload: string | undefined): LiveMessage | undefined {
  try {
    const m = JSON.parse(payload ?? '') as Partial<LiveMessage>
    if (typeof m.tenant !== 'string' || !Array.isArray(m.ids)) return undefined
    return { tenant: m.tenant, ids: m.ids.filter((x): x is string => typeof x === 'string') }
  } catch {
    return undefined
  }
}

export interface LiveListenerOptions {
  db: Kysely<DB>
  mode: 'notify' | 'local'
  /** IRIs of the public types (the listener ignores every other entity). */
  publicTypes(): Promise<Set<string>>
  /** local mode: whether this process has a feed open for the tenant (else nothing is done). */
  wanted(tenant: string): boolean
  /** local mode: called after the commit with the changed ids. */
  committed(tenant: string, ids: string[]): void
  log(err: unknown): void
}

const POLL_MS = [0, 10, 25, 50, 100, 250, 500, 1000, 2000, 4000]

export function createLiveListener(opts: LiveListenerOptions): ChangeListener {
  /** Waits until the transaction is over (on PGlite the query waits for the connection), then asks how it ended. */
  async function confirm(xid: string, tenant: string, ids: string[]) {
    for (const wait of POLL_MS) {
      if (wait) await new Promise((r) => setTimeout(r, wait))
      const r = await sql<{ s: string | null }>`SELECT txid_status(${xid}::bigint) AS s`.execute(opts.db)
      const s = r.rows[0]?.s
      if (s === 'committed') return opts.committed(tenant, ids)
      if (s !== 'in progress') return
    }
  }

  /** The ids of the public entities among the changes, or none when no feed wants them. */
  async function changedIds(tenant: string, changes: EntityChange[]): Promise<string[]> {
    if (changes.length === 0) return []
    if (opts.mode === 'local' && !opts.wanted(tenant)) return []
    const types = await opts.publicTypes()
    const ids = new Set<string>()
    for (const ch of changes) {
      if (ch.kind !== 'deleted' && ch.current?.types.some((t) => types.has(t))) ids.add(ch.entityId)
    }
    return [...ids]
  }

  const notify = (payloads: string[]) => sql`SELECT pg_notify(${LIVE_CHANNEL}, p) FROM unnest(${payloads}::text[]) AS p`

  return changeListener(
    async (trx, tenant, changes) => {
      const ids = await changedIds(tenant, changes)
      if (ids.length === 0) return
      if (opts.mode === 'notify') {
        const payloads = chunkPayloads(tenant, ids)
        if (payloads.length > 0) await notify(payloads).execute(trx)
        return
      }
      const r = await sql<{ xid: string }>`SELECT txid_current()::text AS xid`.execute(trx)
      const xid = r.rows[0]?.xid
      // not awaited: the transaction must end first
      if (xid) confirm(xid, tenant, ids).catch(opts.log)
    },
    // In a one-statement write the NOTIFY is a query of the statement (sent when it commits). An entity written by
    // someone else since it was read is then written again in a transaction and announced twice: the feed reloads it.
    async (_db, tenant, changes) => {
      const ids = await changedIds(tenant, changes)
      if (ids.length === 0) return {}
      if (opts.mode !== 'notify') return 'transaction'
      const payloads = chunkPayloads(tenant, ids)
      return payloads.length > 0 ? { effects: () => [notify(payloads)] } : {}
    },
  )
}
