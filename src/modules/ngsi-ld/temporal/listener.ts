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
import { changesToRows } from './history-rows.js'
import { firstKeptMonth, monthOf, type Partitions, retentionMonths } from './partitions.js'
import { historyStatements, insertHistory } from './repo.js'

export function createHistoryListener(config: Config, partitions: Partitions) {
  /** The rows to keep (retention) and the temporal entities, once their months have partitions. */
  async function prepare(db: Kysely<DB>, tenant: string, events: EntityChange[]) {
    const now = new Date()
    const { rows, entities } = changesToRows(events, now.toISOString())
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
