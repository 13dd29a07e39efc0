/**
 * Which pending notifications of a lane travel together. Changes of different entities share one notification
 * (several entities in `data`, clause 5.3.1) up to a size; the changes of one entity go in successive notifications,
 * sent one after the other, so that a receiver sees each entity's changes in order. The notifications that were in
 * flight when the lane was last given up go first, with the same rows (those still pending) and the same ids.
 */
import type { OutboxRow } from './outbox.js'

export interface PlannedGroup {
  id: string
  rows: OutboxRow[]
}

export interface Plan {
  groups: PlannedGroup[]
  /** False when some rows were left for a later round (too many notifications for one round). */
  complete: boolean
}

export function planGroups(
  rows: readonly OutboxRow[],
  opts: {
    inflight?: readonly { id: string; seqs: readonly number[] }[]
    maxEntities: number
    maxGroups: number
    newId: () => string
  },
): Plan {
  const groups: PlannedGroup[] = []
  const bySeq = new Map(rows.map((r) => [r.seq, r]))
  const taken = new Set<number>()
  for (const g of opts.inflight ?? []) {
    const again = g.seqs.map((q) => bySeq.get(q)).filter((r) => r !== undefined)
    for (const r of again) taken.add(r.seq)
    if (again.length) groups.push({ id: g.id, rows: again })
  }
  const fresh = taken.size ? rows.filter((r) => !taken.has(r.seq)) : rows
  const allowed = Math.max(0, opts.maxGroups - groups.length)
  const made: OutboxRow[][] = []
  const last = new Map<string, number>()
  const blocked = new Set<string>()
  let complete = true
  for (const r of fresh) {
    if (blocked.has(r.entityId)) continue
    let i = (last.get(r.entityId) ?? -1) + 1
    while (i < made.length && made[i]!.length >= opts.maxEntities) i++
    if (i === made.length) {
      if (made.length >= allowed) {
        blocked.add(r.entityId)
        complete = false
        continue
      }
      made.push([])
    }
    made[i]!.push(r)
    last.set(r.entityId, i)
  }
  for (const m of made) groups.push({ id: opts.newId(), rows: m })
  return { groups, complete }
}
