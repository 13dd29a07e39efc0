/**
 * Group commit of single-entity updates (PATCH, PUT, POST .../attrs, DELETE .../attrs/x): the updates that arrive
 * while a write transaction is running wait for it, then go together in the next one: one lock query for all their
 * entities, each update applied in arrival order to the state the previous ones left (in memory), one write of the
 * entities, one call of the change listeners (one history INSERT), one commit. Alone, an update is its own group and
 * costs what it did before; under concurrency the round trips and commits are shared.
 *
 * Each update keeps its own outcome: one that fails (404, a 400 from the update's own checks) fails alone and leaves
 * the entity as the others made it. If the transaction fails as a whole, its updates are tried again one by one, so
 * that a failure caused by one of them is reported to that one only.
 *
 * Lanes (by entity id) let PostgreSQL run two groups at once; an entity's updates always take the same lane, so they
 * stay in order. Within a group, subscriptions read the entity as the group left it.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { AppError } from '../../errors.js'
import { type MergeResult, movesGeometry } from './format/index.js'
import { groupBy } from './group-by.js'
import type { StoredEntity } from './model.js'
import * as repo from './repo.js'
import type { EntityChange } from './service.js'

export type Update = (current: StoredEntity) => MergeResult

interface Pending {
  tenant: string
  id: string
  fn: Update
  resolve(r: MergeResult): void
  reject(e: unknown): void
}

type Commit = (
  trx: Kysely<DB>,
  tenant: string,
  written: StoredEntity[],
  geo: StoredEntity[],
  events: EntityChange[],
) => Promise<void>

/**
 * The lane of an entity id among `lanes` (a stable string hash): writers that run several transactions at once keep
 * each entity's writes in one lane, hence in order.
 */
export function laneFor<T>(lanes: readonly T[], id: string): T {
  if (lanes.length === 1) return lanes[0]!
  let h = 0
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0
  return lanes[Math.abs(h) % lanes.length]!
}

/** At most this many updates per transaction. */
const MAX_GROUP = 200

export function createGroupCommit(db: Kysely<DB>, commit: Commit, opts: { lanes: number }) {
  const lanes = Array.from({ length: Math.max(1, opts.lanes) }, () => ({ queue: [] as Pending[], running: false }))

  const laneOf = (id: string) => laneFor(lanes, id)

  /** Applies the updates of one tenant in one transaction; returns each one's outcome (settled by the caller). */
  async function runGroup(tenant: string, items: Pending[]): Promise<(() => void)[]> {
    const settle: (() => void)[] = []
    await db.transaction().execute(async (trx) => {
      settle.length = 0
      const ids = [...new Set(items.map((i) => i.id))]
      const state = await repo.lockEntities(trx, tenant, ids)
      const written = new Set<string>()
      const moved = new Set<string>()
      const events: EntityChange[] = []
      for (const it of items) {
        const current = state.get(it.id)
        if (!current) {
          const e = new AppError('ResourceNotFound', `Entity ${it.id} does not exist`)
          settle.push(() => it.reject(e))
          continue
        }
        let result: MergeResult
        try {
          result = it.fn(current)
        } catch (e) {
          settle.push(() => it.reject(e))
          continue
        }
        if (result.modified) {
          state.set(it.id, result.entity)
          written.add(it.id)
          if (movesGeometry(result.changes)) moved.add(it.id)
          events.push({
            entityId: it.id,
            kind: 'updated',
            previous: current,
            current: result.entity,
            changes: result.changes,
          })
        }
        settle.push(() => it.resolve(result))
      }
      const final = (id: string) => state.get(id)!
      await commit(trx, tenant, [...written].map(final), [...moved].map(final), events)
    })
    return settle
  }

  async function drain(lane: (typeof lanes)[number]) {
    lane.running = true
    try {
      while (lane.queue.length > 0) {
        // a group's SQL is per tenant
        for (const [tenant, items] of groupBy(lane.queue.splice(0, MAX_GROUP), (p) => p.tenant)) {
          try {
            for (const s of await runGroup(tenant, items)) s()
          } catch (e) {
            if (items.length === 1) {
              items[0]!.reject(e)
              continue
            }
            // the transaction failed as a whole: each update alone, so that only the one that caused it fails
            for (const it of items) {
              try {
                for (const s of await runGroup(tenant, [it])) s()
              } catch (e2) {
                it.reject(e2)
              }
            }
          }
        }
      }
    } finally {
      lane.running = false
    }
  }

  return {
    /** Locks the entity, applies `fn` to its current state, writes what changed: in a group with the others. */
    update(tenant: string, id: string, fn: Update): Promise<MergeResult> {
      return new Promise<MergeResult>((resolve, reject) => {
        const lane = laneOf(id)
        lane.queue.push({ tenant, id, fn, resolve, reject })
        if (!lane.running) void drain(lane)
      })
    },
  }
}
