/**
 * Batch operations (clause 5.6.7 - 5.6.10): create, upsert, update, delete. Each batch is parsed and merged in Node,
 * then applied with one round of SQL (one lock query, one write, one geometry sync) in one transaction; entities that
 * fail are reported in the BatchOperationResult and do not stop the others.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { AppError, isAppError } from '../../errors.js'
import { ERRORS } from '../../errors.js'
import type { ActiveContext } from './context/index.js'
import { appendAttrs, movesGeometry, parseEntity, parseFragment, upsertEntity } from './format/index.js'
import type { StoredEntity } from './model.js'
import * as repo from './repo.js'
import type { ChangeListener, EntityChange } from './service.js'

export interface BatchError {
  entityId: string
  error: { type: string; title: string; status: number; detail: string }
}

export interface BatchResult {
  success: string[]
  errors: BatchError[]
  /** Upsert: ids that did not exist and were created. */
  created: string[]
}

/** One item of a batch: its body and the @context it is read with. */
export interface BatchItem {
  body: unknown
  ctx: ActiveContext
}

function problem(entityId: string, e: unknown): BatchError {
  const err = isAppError(e) ? e : new AppError('InternalError', 'Internal error')
  const def = ERRORS[err.code]
  return { entityId, error: { type: def.type, title: def.title, status: err.status, detail: err.message } }
}

const idOf = (body: unknown): string =>
  body && typeof body === 'object' && typeof (body as { id?: unknown }).id === 'string'
    ? (body as { id: string }).id
    : ''

export function createBatchService(db: Kysely<DB>, listeners: ChangeListener[] = []) {
  const now = () => new Date().toISOString()

  /** Parses every item, reporting parse errors and duplicate ids (the later occurrence fails). */
  function parseAll<T>(items: BatchItem[], parse: (it: BatchItem) => T & { id: string }, result: BatchResult) {
    const parsed: (T & { id: string })[] = []
    const seen = new Set<string>()
    for (const it of items) {
      try {
        const p = parse(it)
        if (seen.has(p.id)) throw new AppError('BadRequestData', `Entity ${p.id} appears more than once in the batch`)
        seen.add(p.id)
        parsed.push(p)
      } catch (e) {
        result.errors.push(problem(idOf(it.body), e))
      }
    }
    return parsed
  }

  async function notify(trx: Kysely<DB>, tenant: string, events: EntityChange[]) {
    if (events.length) for (const l of listeners) await l(trx, tenant, events)
  }

  return {
    async create(tenant: string, items: BatchItem[]): Promise<BatchResult> {
      const result: BatchResult = { success: [], errors: [], created: [] }
      const t = now()
      const entities = parseAll(items, (it) => parseEntity(it.body, it.ctx, { now: t }), result)
      await db.transaction().execute(async (trx) => {
        const existed = await repo.insertEntities(trx, tenant, entities)
        const inserted = entities.filter((e) => !existed.has(e.id))
        await repo.syncGeo(trx, tenant, inserted)
        for (const e of entities) {
          if (existed.has(e.id))
            result.errors.push(problem(e.id, new AppError('AlreadyExists', `Entity ${e.id} already exists`)))
          else result.success.push(e.id)
        }
        result.created = [...result.success]
        await notify(
          trx,
          tenant,
          inserted.map((e) => ({ entityId: e.id, kind: 'created', current: e, changes: createdChanges(e) })),
        )
      })
      return result
    },

    /**
     * `keepNewer` (the device gateway): an attribute observed before the stored instance (a late or backfilled
     * measurement) goes to history only; the entity keeps its newer value.
     */
    async upsert(
      tenant: string,
      items: BatchItem[],
      mode: 'replace' | 'update',
      opts: { keepNewer?: boolean } = {},
    ): Promise<BatchResult> {
      const result: BatchResult = { success: [], errors: [], created: [] }
      const t = now()
      const incoming = parseAll(items, (it) => parseEntity(it.body, it.ctx, { now: t }), result)
      await db.transaction().execute(async (trx) => {
        const current = await repo.lockEntities(
          trx,
          tenant,
          incoming.map((e) => e.id),
        )
        const written: StoredEntity[] = []
        /** Entities whose GeoProperties changed: only they are projected again (a measurement leaves geometry alone). */
        const geo: StoredEntity[] = []
        const events: EntityChange[] = []
        for (const inc of incoming) {
          const prev = current.get(inc.id)
          const r = upsertEntity(prev, inc, { mode, now: t, keepNewer: opts.keepNewer === true })
          result.success.push(inc.id)
          if (r.created) result.created.push(inc.id)
          if (r.created || r.modified) {
            written.push(r.entity)
            if (r.created || movesGeometry(r.changes)) geo.push(r.entity)
          }
          if (r.created || r.modified || r.changes.length > 0) {
            events.push({
              entityId: inc.id,
              kind: r.created ? 'created' : 'updated',
              ...(prev ? { previous: prev } : {}),
              current: r.entity,
              changes: r.changes,
            })
          }
        }
        await repo.writeEntities(trx, tenant, written)
        await repo.syncGeo(trx, tenant, geo)
        await notify(trx, tenant, events)
      })
      return result
    },

    /**
     * Upsert (update mode) of a sequence in which an entity may appear several times (the device gateway: every
     * measurement of a flush). The items are applied in order, as that many upserts would be, in one transaction:
     * each entity is locked, folded through its items in Node and written once; history gets every instance of every
     * item; listeners see one change per entity (its state before the first item and after the last, every attribute
     * change in order), so a subscription is notified once per entity per sequence, with its latest state. Returns
     * the items refused (by position) with the reason.
     */
    async upsertSequence(
      tenant: string,
      items: BatchItem[],
      opts: { keepNewer?: boolean } = {},
    ): Promise<{ failed: Map<number, string> }> {
      const failed = new Map<number, string>()
      const t = now()
      const parsed: { index: number; entity: StoredEntity }[] = []
      for (const [index, it] of items.entries()) {
        try {
          parsed.push({ index, entity: parseEntity(it.body, it.ctx, { now: t }) })
        } catch (e) {
          failed.set(index, isAppError(e) ? e.message : 'Internal error')
        }
      }
      await db.transaction().execute(async (trx) => {
        const ids = [...new Set(parsed.map((p) => p.entity.id))]
        const current = await repo.lockEntities(trx, tenant, ids)
        const folded = new Map<string, EntityChange & { write: boolean; moved: boolean }>()
        for (const { entity: inc } of parsed) {
          const seen = folded.get(inc.id)
          const prev = seen ? seen.current : current.get(inc.id)
          const r = upsertEntity(prev, inc, { mode: 'update', now: t, keepNewer: opts.keepNewer === true })
          if (!r.created && !r.modified && r.changes.length === 0) continue
          if (!seen) {
            folded.set(inc.id, {
              entityId: inc.id,
              kind: r.created ? 'created' : 'updated',
              ...(prev ? { previous: prev } : {}),
              current: r.entity,
              changes: [...r.changes],
              write: r.created || r.modified,
              moved: r.created || movesGeometry(r.changes),
            })
          } else {
            seen.current = r.entity
            seen.changes.push(...r.changes)
            seen.write ||= r.modified
            seen.moved ||= movesGeometry(r.changes)
          }
        }
        const events = [...folded.values()]
        const changed = events.filter((ev) => ev.write)
        await repo.writeEntities(
          trx,
          tenant,
          changed.map((ev) => ev.current!),
        )
        await repo.syncGeo(
          trx,
          tenant,
          changed.filter((ev) => ev.moved).map((ev) => ev.current!),
        )
        await notify(
          trx,
          tenant,
          events.map(({ write: _w, moved: _m, ...ev }) => ev),
        )
      })
      return { failed }
    },

    async update(tenant: string, items: BatchItem[], noOverwrite: boolean): Promise<BatchResult> {
      const result: BatchResult = { success: [], errors: [], created: [] }
      const t = now()
      const fragments = parseAll(
        items,
        (it) => {
          const id = idOf(it.body)
          if (!id) throw new AppError('BadRequestData', 'id: the entity id is missing')
          return { id, fragment: parseFragment(it.body, it.ctx, { now: t, entityId: id }) }
        },
        result,
      )
      await db.transaction().execute(async (trx) => {
        const current = await repo.lockEntities(
          trx,
          tenant,
          fragments.map((f) => f.id),
        )
        const written: StoredEntity[] = []
        /** Entities whose GeoProperties changed: only they are projected again (a measurement leaves geometry alone). */
        const geo: StoredEntity[] = []
        const events: EntityChange[] = []
        for (const { id, fragment } of fragments) {
          const prev = current.get(id)
          if (!prev) {
            result.errors.push(problem(id, new AppError('ResourceNotFound', `Entity ${id} does not exist`)))
            continue
          }
          const r = appendAttrs(prev, fragment, { noOverwrite, now: t })
          result.success.push(id)
          if (r.modified) {
            written.push(r.entity)
            if (movesGeometry(r.changes)) geo.push(r.entity)
            events.push({ entityId: id, kind: 'updated', previous: prev, current: r.entity, changes: r.changes })
          }
        }
        await repo.writeEntities(trx, tenant, written)
        await repo.syncGeo(trx, tenant, geo)
        await notify(trx, tenant, events)
      })
      return result
    },

    async delete(tenant: string, ids: unknown[]): Promise<BatchResult> {
      const result: BatchResult = { success: [], errors: [], created: [] }
      const valid: string[] = []
      for (const id of ids) {
        if (typeof id !== 'string' || !/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(id)) {
          result.errors.push(problem(String(id), new AppError('BadRequestData', 'an entity id must be a URI')))
        } else valid.push(id)
      }
      await db.transaction().execute(async (trx) => {
        const current = await repo.lockEntities(trx, tenant, valid)
        const deleted = await repo.deleteEntities(trx, tenant, valid)
        for (const id of valid) {
          if (deleted.has(id)) result.success.push(id)
          else result.errors.push(problem(id, new AppError('ResourceNotFound', `Entity ${id} does not exist`)))
        }
        await notify(
          trx,
          tenant,
          [...deleted].map((id) => ({ entityId: id, kind: 'deleted', previous: current.get(id)!, changes: [] })),
        )
      })
      return result
    },
  }
}

/** Whether an update created, changed or deleted a GeoProperty instance. */

export function createdChanges(e: StoredEntity) {
  return Object.entries(e.attrs).flatMap(([attr, insts]) =>
    insts.map((i) => ({
      attr,
      ...(i.datasetId ? { datasetId: i.datasetId } : {}),
      kind: 'created' as const,
      current: i,
    })),
  )
}

export type BatchService = ReturnType<typeof createBatchService>
