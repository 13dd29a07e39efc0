/**
 * Records history from every entity write path (create, replace, merge, append, update, partial update, attribute and
 * entity deletion, batch operations): a ChangeListener called inside the write transaction. One INSERT per write,
 * whatever the batch size, plus one call creating partitions the first time a (tenant, month) is seen.
 */
import type { Config } from '../../../config.js'
import type { ChangeListener } from '../service.js'
import { changesToRows } from './history-rows.js'
import { firstKeptMonth, monthOf, type Partitions, retentionMonths } from './partitions.js'
import { insertHistory } from './repo.js'

export function createHistoryListener(config: Config, partitions: Partitions): ChangeListener {
  return async (trx, tenant, events) => {
    if (events.length === 0) return
    const now = new Date()
    const { rows, entities } = changesToRows(events, now.toISOString())
    const first = firstKeptMonth(retentionMonths(config.historyRetention, tenant), now)
    const kept = first === undefined ? rows : rows.filter((r) => monthOf(r.time) >= first)
    const months = new Set<string>()
    for (const r of kept) months.add(monthOf(r.time))
    await partitions.ensure(trx, tenant, months)
    await insertHistory(trx, tenant, kept, entities)
  }
}
