/**
 * Group commit of single-entity updates (PATCH, PUT, POST .../attrs, DELETE .../attrs/x): the updates that arrive
 * while a group is being written wait for it, then go together in the next one: each update applied in arrival order
 * to the state the previous ones left (in memory), one write of the entities and of what the change listeners add
 * (one history INSERT). Alone, an update is its own group and costs what it did before; under concurrency the round
 * trips and commits are shared.
 *
 * A group is written in one of two ways:
 * - directly (`direct`, when given): one read of the entities with their row versions, then one statement that
 *   writes each entity only if its row still has the version read, together with the listeners' parts (an implicit
 *   transaction: two round trips, no lock, no BEGIN/COMMIT). An entity written by someone else in between is left
 *   alone by that statement, and its updates go the transactional way;
 * - in a transaction: BEGIN, one lock query for all the entities, the write, the listeners' statements, COMMIT.
 *   Used for what the direct write cannot do: a geometry that moves (the point projection is deleted and rebuilt),
 *   a listener that needs statements of its own (a subscription that fires reads the written entity; a command),
 *   and the entities found changed since the read.
 *
 * Each update keeps its own outcome: one that fails (404, a 400 from the update's own checks) fails alone and leaves
 * the entity as the others made it. If a group fails as a whole, its updates are tried again one by one, so that a
 * failure caused by one of them is reported to that one only.
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
 * The one-statement write: the new states of entities read at `version` (none moves a geometry), written only where
 * the row still has that version; returns the ids written, or undefined when this group needs a transaction (then
 * nothing was written).
 */
export type DirectCommit = (
  db: Kysely<DB>,
  tenant: string,
  written: repo.DirectWrite[],
  events: EntityChange[],
) => Promise<Set<string> | undefined>

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

export function createGroupCommit(db: Kysely<DB>, commit: Commit, opts: { lanes: number; direct?: DirectCommit }) {
  const lanes = Array.from({ length: Math.max(1, opts.lanes) }, () => ({ queue: [] as Pending[], running: false }))

  const laneOf = (id: string) => laneFor(lanes, id)

  /**
   * Applies the updates in arrival order to `state` (updated in place): each one's outcome (settled by the caller),
   * the ids of the entities to write, those whose geometry moved, and the change events (with each entity's temporal
   * record when `read` has it).
   */
  function apply(state: Map<string, StoredEntity>, items: Pending[], read?: Map<string, repo.Versioned>) {
    const settle: (() => void)[] = []
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
          ...(read ? { temporal: read.get(it.id)!.temporal } : {}),
        })
      }
      settle.push(() => it.resolve(result))
    }
    return { settle, written, moved, events }
  }

  /** Applies the updates of one tenant in one transaction; returns each one's outcome (settled by the caller). */
  async function runGroup(tenant: string, items: Pending[]): Promise<(() => void)[]> {
    let settle: (() => void)[] = []
    await db.transaction().execute(async (trx) => {
      const state = await repo.lockEntities(trx, tenant, [...new Set(items.map((i) => i.id))])
      const r = apply(state, items)
      settle = r.settle
      const final = (id: string) => state.get(id)!
      await commit(trx, tenant, [...r.written].map(final), [...r.moved].map(final), r.events)
    })
    return settle
  }

  /**
   * The same without a transaction or a lock, in two statements: a read of the entities with their row versions,
   * then one statement that writes them (and what the listeners add) where the versions still hold. Returns the
   * outcomes of the updates it settled and the updates left for `runGroup`: all of them when the group needs a
   * transaction (a geometry moves, a listener must run statements of its own), else those of entities written by
   * someone else since the read.
   */
  async function runDirect(direct: DirectCommit, tenant: string, items: Pending[]) {
    const read = await repo.readVersioned(db, tenant, [...new Set(items.map((i) => i.id))])
    const state = new Map([...read].map(([id, v]) => [id, v.entity]))
    const r = apply(state, items, read)
    if (r.moved.size > 0) return { settle: [], rest: items }
    let done = new Set<string>()
    if (r.written.size > 0) {
      const written = [...r.written].map((id) => ({ entity: state.get(id)!, read: read.get(id)! }))
      const ids = await direct(db, tenant, written, r.events)
      if (!ids) return { settle: [], rest: items }
      done = ids
    }
    const settle: (() => void)[] = []
    const rest: Pending[] = []
    items.forEach((it, i) => {
      if (r.written.has(it.id) && !done.has(it.id)) rest.push(it)
      else settle.push(r.settle[i]!)
    })
    return { settle, rest }
  }

  /** One tenant's updates: directly where it can, the rest in a transaction; a failing group is retried one by one. */
  async function runTenant(tenant: string, items: Pending[]) {
    let rest = items
    try {
      if (opts.direct) {
        const d = await runDirect(opts.direct, tenant, items)
        for (const s of d.settle) s()
        rest = d.rest
      }
      if (rest.length > 0) for (const s of await runGroup(tenant, rest)) s()
    } catch (e) {
      if (rest.length === 1) {
        rest[0]!.reject(e)
        return
      }
      // the group failed as a whole: each update alone, so that only the one that caused it fails
      for (const it of rest) {
        try {
          for (const s of await runGroup(tenant, [it])) s()
        } catch (e2) {
          it.reject(e2)
        }
      }
    }
  }

  async function drain(lane: (typeof lanes)[number]) {
    lane.running = true
    try {
      while (lane.queue.length > 0) {
        // a group's SQL is per tenant
        for (const [tenant, items] of groupBy(lane.queue.splice(0, MAX_GROUP), (p) => p.tenant))
          await runTenant(tenant, items)
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
