/**
 * The ChangeListener of subscriptions: called inside every NGSI-LD write transaction with the changes, it records
 * the notifications they cause in the outbox of the same transaction (so a notification exists if and only if the
 * change was committed), then asks the delivery workers to look once the transaction is over.
 */
import type { ChangeListener } from '../service.js'
import type { SubscriptionCache } from './cache.js'
import { firedBy, takesChanges } from './compile.js'
import { type Candidate, recordNotifications } from './record.js'

export interface ListenerOptions {
  cache: SubscriptionCache
  /** NOTIFY the other processes at commit (PostgreSQL with LISTEN). */
  notify: boolean
  /** Called when notifications were recorded (the transaction commits right after). */
  recorded(): void
}

export function createSubscriptionListener(opts: ListenerOptions): ChangeListener {
  return async (trx, tenant, all) => {
    // late observations went to history only: the state did not change
    const changes = all.flatMap((ch) => {
      if (!ch.changes.some((c) => c.late)) return [ch]
      const kept = ch.changes.filter((c) => !c.late)
      return kept.length > 0 ? [{ ...ch, changes: kept }] : []
    })
    if (changes.length === 0) return
    const subs = await opts.cache.get(trx, tenant)
    if (subs.length === 0) return
    const now = Date.now()
    const candidates: Candidate[] = []
    for (const s of subs) {
      if (!takesChanges(s, now)) continue
      for (const ch of changes) {
        const state = ch.kind === 'deleted' ? ch.previous : ch.current
        if (!state || !s.mayMatch(ch.entityId, state.types)) continue
        const fired = firedBy(s, ch)
        if (!fired) continue
        candidates.push({
          sub: s,
          entityId: ch.entityId,
          fired,
          ...(ch.kind === 'deleted' ? { deleted: state } : {}),
        })
      }
    }
    if (candidates.length === 0) return
    const n = await recordNotifications(trx, tenant, candidates, { notify: opts.notify })
    if (n > 0) opts.recorded()
  }
}
