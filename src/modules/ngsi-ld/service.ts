/**
 * NGSI-LD entity operations (clause 5.6, 5.7): parse, apply the update semantics (format/), and write the new state
 * in one transaction. Every write goes through `commit()`, where change listeners (history, subscriptions) hook in.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { AppError } from '../../errors.js'
import type { ActiveContext } from './context/index.js'
import {
  type AttrChange,
  appendAttrs,
  deleteAttr,
  type EntityFragment,
  type MergeResult,
  mergeEntity,
  parseAttributeFragment,
  parseAttributeInstance,
  parseEntity,
  parseFragment,
  partialAttrUpdate,
  replaceAttr,
  replaceEntity,
  updateAttrs,
} from './format/index.js'
import type { StoredEntity } from './model.js'
import * as repo from './repo.js'
import { createdChanges } from './batch.js'
import { createGroupCommit } from './group-commit.js'
import { createEntityReader } from './read-batch.js'

export interface EntityChange {
  entityId: string
  kind: 'created' | 'updated' | 'deleted'
  previous?: StoredEntity
  current?: StoredEntity
  changes: AttrChange[]
  /**
   * The entity's temporal record as the write read it, before its first update (null: it had none). Without it,
   * history registers the entity's types and attribute names as if it had none (temporal/listener.ts).
   */
  temporal?: repo.TemporalRecord | null
}

/**
 * Called inside the write transaction with every change (history and subscriptions register here). With `inWrite`,
 * a listener can also give the same work as parts of a one-statement write (group commit's direct path), or answer
 * 'transaction' when these changes need statements of its own after the write; without it, it always does.
 */
export interface ChangeListener {
  (trx: Kysely<DB>, tenant: string, changes: EntityChange[]): Promise<void>
  inWrite?(db: Kysely<DB>, tenant: string, changes: EntityChange[]): Promise<repo.WritePart | 'transaction'>
}

/** A listener with its one-statement form. */
export const changeListener = (
  run: (trx: Kysely<DB>, tenant: string, changes: EntityChange[]) => Promise<void>,
  inWrite: NonNullable<ChangeListener['inWrite']>,
): ChangeListener => Object.assign(run, { inWrite })

export function createEntityService(
  db: Kysely<DB>,
  listeners: ChangeListener[] = [],
  opts: {
    /** Write transactions of single-entity updates that may run at once (2 on PostgreSQL). */ lanes?: number
    /** Entity lookups that may run at once; the rest wait and go together (read-batch.ts). */ readers?: number
  } = {},
) {
  const now = () => new Date().toISOString()

  async function commit(
    trx: Kysely<DB>,
    tenant: string,
    written: StoredEntity[],
    geo: StoredEntity[],
    events: EntityChange[],
  ) {
    await repo.writeEntities(trx, tenant, written)
    await repo.syncGeo(trx, tenant, geo)
    for (const l of listeners) await l(trx, tenant, events)
  }

  /** The one-statement write of a group: when every listener can take part in it (else a transaction is needed). */
  async function commitDirect(db: Kysely<DB>, tenant: string, written: repo.DirectWrite[], events: EntityChange[]) {
    const parts: repo.WritePart[] = []
    for (const l of listeners) {
      const p = l.inWrite ? await l.inWrite(db, tenant, events) : 'transaction'
      if (p === 'transaction') return undefined
      parts.push(p)
    }
    return repo.writeVersioned(db, tenant, written, parts)
  }

  /**
   * Applies `fn` to one entity's current state and writes what changed (404 when the entity does not exist):
   * grouped with the updates that arrive meanwhile, in one statement or one transaction (group-commit.ts).
   */
  const group = createGroupCommit(db, commit, { lanes: opts.lanes ?? 1, direct: commitDirect })
  const reader = createEntityReader(db, { concurrency: opts.readers ?? 1 })
  const mutate = (tenant: string, id: string, fn: (current: StoredEntity) => MergeResult): Promise<MergeResult> =>
    group.update(tenant, id, fn)

  return {
    async get(tenant: string, id: string): Promise<StoredEntity> {
      const e = await reader.get(tenant, id)
      if (!e) throw new AppError('ResourceNotFound', `Entity ${id} does not exist`)
      return e
    },

    async create(tenant: string, ctx: ActiveContext, body: unknown): Promise<StoredEntity> {
      const entity = parseEntity(body, ctx, { now: now() })
      await db.transaction().execute(async (trx) => {
        const existed = await repo.insertEntities(trx, tenant, [entity])
        if (existed.size) throw new AppError('AlreadyExists', `Entity ${entity.id} already exists`)
        await repo.syncGeo(trx, tenant, [entity])
        const changes = createdChanges(entity)
        for (const l of listeners)
          await l(trx, tenant, [{ entityId: entity.id, kind: 'created', current: entity, changes }])
      })
      return entity
    },

    async replace(tenant: string, ctx: ActiveContext, id: string, body: unknown) {
      const t = now()
      const fragment = parseFragment(body, ctx, { now: t, entityId: id })
      return mutate(tenant, id, (cur) => replaceEntity(cur, fragment, { now: t }))
    },

    async merge(
      tenant: string,
      ctx: ActiveContext,
      id: string,
      body: unknown,
      opts: { observedAt?: string; lang?: string } = {},
    ) {
      const t = now()
      return mutate(tenant, id, (cur) => {
        const fragment = parseFragment(body, ctx, {
          now: t,
          entityId: id,
          mode: 'merge',
          existing: cur,
          ...(opts.lang ? { lang: opts.lang } : {}),
        })
        return mergeEntity(cur, fragment, { now: t, ...(opts.observedAt ? { observedAt: opts.observedAt } : {}) })
      })
    },

    async appendAttrs(tenant: string, ctx: ActiveContext, id: string, body: unknown, noOverwrite: boolean) {
      const t = now()
      const fragment: EntityFragment = parseFragment(body, ctx, { now: t, entityId: id })
      return mutate(tenant, id, (cur) => appendAttrs(cur, fragment, { noOverwrite, now: t }))
    },

    async updateAttrs(tenant: string, ctx: ActiveContext, id: string, body: unknown) {
      const t = now()
      const fragment = parseFragment(body, ctx, { now: t, entityId: id, mode: 'update' })
      return mutate(tenant, id, (cur) => updateAttrs(cur, fragment, { now: t }))
    },

    async patchAttr(
      tenant: string,
      ctx: ActiveContext,
      id: string,
      attrName: string,
      body: unknown,
      datasetId?: string,
    ) {
      const t = now()
      const attrIri = ctx.expand(attrName)
      return mutate(tenant, id, (cur) => {
        const existing = cur.attrs[attrIri]?.find((i) => (i.datasetId ?? undefined) === (datasetId ?? undefined))
        const fragment = parseAttributeFragment(body, ctx, {
          now: t,
          attrIri,
          attrName,
          ...(existing ? { existing } : {}),
        })
        return partialAttrUpdate(cur, attrIri, fragment, { now: t, ...(datasetId ? { datasetId } : {}) })
      })
    },

    async replaceAttr(tenant: string, ctx: ActiveContext, id: string, attrName: string, body: unknown) {
      const t = now()
      const attrIri = ctx.expand(attrName)
      const instance = parseAttributeInstance(body, ctx, { now: t, attrIri, attrName })
      return mutate(tenant, id, (cur) => replaceAttr(cur, attrIri, instance, { now: t }))
    },

    async deleteAttr(
      tenant: string,
      ctx: ActiveContext,
      id: string,
      attrName: string,
      opts: { datasetId?: string; deleteAll?: boolean },
    ) {
      const t = now()
      const attrIri = ctx.expand(attrName)
      return mutate(tenant, id, (cur) => deleteAttr(cur, attrIri, { ...opts, now: t }))
    },

    async delete(tenant: string, id: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const current = (await repo.lockEntities(trx, tenant, [id])).get(id)
        if (!current) throw new AppError('ResourceNotFound', `Entity ${id} does not exist`)
        await repo.deleteEntities(trx, tenant, [id])
        for (const l of listeners)
          await l(trx, tenant, [{ entityId: id, kind: 'deleted', previous: current, changes: [] }])
      })
    },
  }
}

export type EntityService = ReturnType<typeof createEntityService>
