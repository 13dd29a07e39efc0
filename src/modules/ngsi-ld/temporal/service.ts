/**
 * The temporal API (clauses 5.6.11 - 5.6.16, 5.7.3, 5.7.4): reading history, and writing it directly. Direct writes
 * change history only, never the entity's current state (a backfill of old measurements must not overwrite the current
 * value); entity writes record history through the change listener (listener.ts).
 */
import type { Kysely } from 'kysely'
import type { Config } from '../../../config.js'
import type { DB } from '../../../db/schema.js'
import { AppError } from '../../../errors.js'
import type { ActiveContext } from '../context/index.js'
import { parseAttributeFragment, partialAttrUpdate } from '../format/index.js'
import type { AttrInstance, StoredEntity } from '../model.js'
import { type HistoryRow, instanceRow } from './history-rows.js'
import type { TemporalParams } from './params.js'
import { parseTemporalPayload } from './parse.js'
import { firstKeptMonth, monthOf, type Partitions, retentionMonths } from './partitions.js'
import { readHistory, type TemporalAnswer } from './read.js'
import {
  countTemporalEntities,
  getTemporalEntity,
  insertHistory,
  lockTemporalEntity,
  queryTemporalEntities,
  type TemporalEntity,
  type TemporalFilter,
} from './repo.js'
import {
  deleteAttrHistory,
  deleteInstance,
  deleteTemporalEntity,
  fenceEntity,
  lockInstance,
  updateInstance,
} from './repo-writes.js'

const UUID = /^(?:urn:ngsi-ld:)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i

function instanceUuid(instanceId: string): string {
  const m = UUID.exec(instanceId)
  if (!m)
    throw new AppError('BadRequestData', `"${instanceId.slice(0, 100)}" is not an instanceId (urn:ngsi-ld:<uuid>)`)
  return m[1]!.toLowerCase()
}

const notFound = (what: string) => new AppError('ResourceNotFound', what)

export function createTemporalService(db: Kysely<DB>, config: Config, partitions: Partitions) {
  const now = () => new Date().toISOString()

  /** Rows older than the tenant's retention are not stored: their partition is (or will be) dropped. */
  function retained(tenant: string, rows: HistoryRow[]): HistoryRow[] {
    const first = firstKeptMonth(retentionMonths(config.historyRetention, tenant), new Date())
    return first === undefined ? rows : rows.filter((r) => monthOf(r.time) >= first)
  }

  /**
   * Writes history rows and the temporal entity in one transaction: partitions first, then the entity's lock (the
   * order of the change listener, which creates partitions before it records entities: no deadlock between them).
   */
  async function append(
    tenant: string,
    id: string,
    rows: HistoryRow[],
    entity: (existing: TemporalEntity | undefined) => { types: string[]; attrNames: string[]; createdAt: string },
  ): Promise<TemporalEntity | undefined> {
    const kept = retained(tenant, rows)
    return db.transaction().execute(async (trx) => {
      await partitions.ensure(
        trx,
        tenant,
        kept.map((r) => monthOf(r.time)),
      )
      const existing = await lockTemporalEntity(trx, tenant, id)
      await insertHistory(trx, tenant, kept, [{ id, ...entity(existing) }])
      return existing
    })
  }

  function rowsOf(id: string, attrs: Map<string, AttrInstance[]>, t: string): HistoryRow[] {
    return [...attrs.entries()].flatMap(([attr, insts]) => insts.map((i) => instanceRow(id, attr, i, t)))
  }

  return {
    async query(
      tenant: string,
      ctx: ActiveContext,
      filter: TemporalFilter,
      page: { limit: number; offset: number; count: boolean },
      params: TemporalParams,
    ): Promise<TemporalAnswer & { count?: number }> {
      const [entities, count] = await Promise.all([
        queryTemporalEntities(db, tenant, filter, page),
        page.count ? countTemporalEntities(db, tenant, filter) : Promise.resolve(undefined),
      ])
      const answer = await readHistory(db, tenant, entities, ctx, params, config.temporalInstanceLimit)
      return count === undefined ? answer : { ...answer, count }
    },

    async retrieve(
      tenant: string,
      ctx: ActiveContext,
      id: string,
      params: TemporalParams,
    ): Promise<{ entity: Record<string, unknown>; contentRange?: string }> {
      const e = await getTemporalEntity(db, tenant, id)
      if (!e) throw notFound(`Entity ${id} has no temporal representation`)
      const answer = await readHistory(db, tenant, [e], ctx, params, config.temporalInstanceLimit)
      return { entity: answer.entities[0]!, ...(answer.contentRange ? { contentRange: answer.contentRange } : {}) }
    },

    /** 5.6.11: creates the temporal entity, or adds instances to it. True when it was created. */
    async upsert(tenant: string, ctx: ActiveContext, body: unknown): Promise<{ id: string; created: boolean }> {
      const t = now()
      const p = parseTemporalPayload(body, ctx, { now: t })
      if (p.id === undefined) throw new AppError('BadRequestData', 'id: the entity id is missing')
      const id = p.id
      const existed = await append(tenant, id, rowsOf(id, p.attrs, t), (existing) => {
        if (!existing && !p.types) throw new AppError('BadRequestData', 'type: the entity type is missing')
        const types = [...(existing?.types ?? []), ...(p.types ?? []).filter((x) => !existing?.types.includes(x))]
        return { types, attrNames: [...p.attrs.keys()], createdAt: t }
      })
      return { id, created: !existed }
    },

    /** 5.6.12: adds attribute instances to an existing temporal entity. */
    async addAttrs(tenant: string, ctx: ActiveContext, id: string, body: unknown): Promise<void> {
      const t = now()
      const p = parseTemporalPayload(body, ctx, { now: t, entityId: id })
      if (p.attrs.size === 0) throw new AppError('BadRequestData', 'The payload has no attribute')
      await append(tenant, id, rowsOf(id, p.attrs, t), (existing) => {
        if (!existing) throw notFound(`Entity ${id} has no temporal representation`)
        const types = [...existing.types, ...(p.types ?? []).filter((x) => !existing.types.includes(x))]
        return { types, attrNames: [...p.attrs.keys()], createdAt: t }
      })
    },

    /** 5.6.16 */
    async deleteEntity(tenant: string, id: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await fenceEntity(trx, tenant, id)
        if (!(await deleteTemporalEntity(trx, tenant, id))) {
          throw notFound(`Entity ${id} has no temporal representation`)
        }
      })
    },

    /** 5.6.13 */
    async deleteAttr(
      tenant: string,
      ctx: ActiveContext,
      id: string,
      attrName: string,
      opts: { datasetId?: string; deleteAll?: boolean },
    ): Promise<void> {
      const attr = ctx.expand(attrName)
      await db.transaction().execute(async (trx) => {
        await fenceEntity(trx, tenant, id)
        if (!(await lockTemporalEntity(trx, tenant, id))) throw notFound(`Entity ${id} has no temporal representation`)
        const n = await deleteAttrHistory(trx, tenant, id, attr, opts)
        if (n === 0) {
          throw notFound(
            `Entity ${id} has no instance of ${attrName}${opts.datasetId ? ` with datasetId ${opts.datasetId}` : ''}`,
          )
        }
      })
    },

    /** 5.6.14: modifies one instance (a partial update of it, clause 5.6.4 semantics). */
    async patchInstance(
      tenant: string,
      ctx: ActiveContext,
      id: string,
      attrName: string,
      instanceId: string,
      body: unknown,
    ): Promise<void> {
      const attr = ctx.expand(attrName)
      const uuid = instanceUuid(instanceId)
      const t = now()
      await db.transaction().execute(async (trx) => {
        const row = await lockInstance(trx, tenant, id, attr, uuid)
        if (!row) throw notFound(`Entity ${id} has no instance ${instanceId} of ${attrName}`)
        if (row.deleted)
          throw new AppError('BadRequestData', `Instance ${instanceId} records a deletion: it cannot change`)
        const existing = {
          ...(row.inst as unknown as AttrInstance),
          ...(row.dataset_id ? { datasetId: row.dataset_id } : {}),
          createdAt: row.created_at.toISOString(),
          modifiedAt: row.modified_at.toISOString(),
        }
        const fragment = parseAttributeFragment(body, ctx, { now: t, attrIri: attr, attrName, existing })
        const holder: StoredEntity = { id, types: [], attrs: { [attr]: [existing] }, createdAt: t, modifiedAt: t }
        const merged = partialAttrUpdate(holder, attr, fragment, {
          now: t,
          ...(existing.datasetId ? { datasetId: existing.datasetId } : {}),
        }).entity.attrs[attr]?.[0]
        if (!merged) throw new AppError('BadRequestData', 'The payload would delete the instance: use DELETE')
        const next = instanceRow(id, attr, { ...merged, datasetId: existing.datasetId }, t)
        // without observedAt the instance keeps its time (that of its original write)
        const time = merged.observedAt ?? row.observed_at.toISOString()
        await partitions.ensure(trx, tenant, [monthOf(time)])
        await updateInstance(trx, tenant, uuid, { ...next, time })
      })
    },

    /** 5.6.15 */
    async deleteInstance(
      tenant: string,
      ctx: ActiveContext,
      id: string,
      attrName: string,
      instanceId: string,
    ): Promise<void> {
      const attr = ctx.expand(attrName)
      const uuid = instanceUuid(instanceId)
      await db.transaction().execute(async (trx) => {
        if (!(await deleteInstance(trx, tenant, id, attr, uuid))) {
          throw notFound(`Entity ${id} has no instance ${instanceId} of ${attrName}`)
        }
      })
    },
  }
}

export type TemporalService = ReturnType<typeof createTemporalService>
