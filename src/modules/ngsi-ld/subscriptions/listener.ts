/**
 * The ChangeListener of subscriptions: called inside every NGSI-LD write transaction with the changes, it records
 * the notifications they cause in the outbox of the same transaction (so a notification exists if and only if the
 * change was committed), then asks the delivery workers to look once the transaction is over.
 */
import { type ChangeListener, changeListener, type EntityChange } from '../service.js'
import { isCurrent, type SubscriptionCache } from './cache.js'
import { type CompiledSubscription, firedBy, takesChanges } from './compile.js'
import { type Candidate, recordNotifications } from './record.js'

export interface ListenerOptions {
  cache: SubscriptionCache
  /** NOTIFY the other processes at commit (PostgreSQL with LISTEN). */
  notify: boolean
  /** Called when notifications were recorded (the transaction commits right after). */
  recorded(): void
}

/** Late observations went to history only: the state did not change. */
function stateChanges(all: EntityChange[]): EntityChange[] {
  return all.flatMap((ch) => {
    if (!ch.changes.some((c) => c.late)) return [ch]
    const kept = ch.changes.filter((c) => !c.late)
    return kept.length > 0 ? [{ ...ch, changes: kept }] : []
  })
}

/** The (subscription, entity) pairs these changes fire, before the subscriptions' own conditions (checked in SQL). */
function candidatesOf(subs: CompiledSubscription[], changes: EntityChange[]): Candidate[] {
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
  return candidates
}

export function createSubscriptionListener(opts: ListenerOptions): ChangeListener {
  return changeListener(
    async (trx, tenant, all) => {
      const changes = stateChanges(all)
      if (changes.length === 0) return
      const subs = await opts.cache.get(trx, tenant)
      if (subs.length === 0) return
      const candidates = candidatesOf(subs, changes)
      if (candidates.length === 0) return
      const n = await recordNotifications(trx, tenant, candidates, { notify: opts.notify })
      if (n > 0) opts.recorded()
    },
    // In a one-statement write: nothing to record under the subscriptions this process knows, provided they are
    // still the tenant's when the write runs. Notifications read the entity as written: a transaction.
    async (db, tenant, all) => {
      const changes = stateChanges(all)
      if (changes.length === 0) return {}
      const known = await opts.cache.last(db, tenant)
      if (candidatesOf(known.subs, changes).length > 0) return 'transaction'
      return { guard: isCurrent(tenant, known) }
    },
  )
}
