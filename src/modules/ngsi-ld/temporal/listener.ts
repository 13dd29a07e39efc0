/**
 * Records history from every entity write path (create, replace, merge, append, update, partial update, attribute and
 * entity deletion, batch operations): a ChangeListener called inside the write transaction, or taking part in the
 * one-statement write of group commit. One INSERT per write, whatever the batch size, plus one call creating
 * partitions the first time a (tenant, month) is seen.
 */
import type { Kysely } from 'kysely'
import type { Config } from '../../../config.js'
import type { DB } from '../../../db/schema.js'
import { changeListener, type EntityChange } from '../service.js'
import type { TemporalRecord } from '../repo.js'
import { changesToRows, type TemporalEntityRow } from './history-rows.js'
import { firstKeptMonth, monthOf, type Partitions, retentionMonths } from './partitions.js'
import { historyStatements, insertHistory } from './repo.js'

/**
 * The temporal records to write: all of them, but those an entity's record (as the write read it, when it did)
 * already holds: the same types, every attribute name. The condition is the registration's own (temporal/repo.ts):
 * a record it would leave as it is need not travel. On the direct write of single-entity updates, a new reading of
 * an existing attribute registers nothing.
 */
export function unregistered(entities: TemporalEntityRow[], events: readonly EntityChange[]): TemporalEntityRow[] {
  const known = new Map<string, TemporalRecord | null>()
  for (const ev of events) if (ev.temporal !== undefined) known.set(ev.entityId, ev.temporal)
  if (known.size === 0) return entities
  return entities.filter((e) => {
    const r = known.get(e.id)
    return (
      !r ||
      r.types.length !== e.types.length ||
      r.types.some((t, i) => t !== e.types[i]) ||
      e.attrNames.some((n) => !r.attrNames.includes(n))
    )
  })
}

export function createHistoryListener(config: Config, partitions: Partitions) {
  /** The rows to keep (retention) and the temporal entities, once their months have partitions. */
  async function prepare(db: Kysely<DB>, tenant: string, events: EntityChange[]) {
    const now = new Date()
    const { rows, entities: all } = changesToRows(events, now.toISOString())
    const entities = unregistered(all, events)
    const first = firstKeptMonth(retentionMonths(config.historyRetention, tenant), now)
    const kept = first === undefined ? rows : rows.filter((r) => monthOf(r.time) >= first)
    const months = new Set<string>()
    for (const r of kept) months.add(monthOf(r.time))
    await partitions.ensure(db, tenant, months)
    return { kept, entities }
  }

  return changeListener(
    async (trx, tenant, events) => {
      if (events.length === 0) return
      const { kept, entities } = await prepare(trx, tenant, events)
      await insertHistory(trx, tenant, kept, entities)
    },
    // A partition created here is committed at once (before the write): an empty partition is all a failed write
    // leaves behind.
    async (db, tenant, events) => {
      if (events.length === 0) return {}
      const { kept, entities } = await prepare(db, tenant, events)
      return { writes: (written) => historyStatements(tenant, kept, entities, written) }
    },
  )
}
