/**
 * Entity-level update operations (ETSI GS CIM 009 v1.8.1): merge entity (5.6.17), replace entity (5.6.18) and the
 * per-entity step of batch upsert (5.6.8).
 */
import { AppError } from '../../../errors.js'
import type { AttrMap, StoredEntity } from '../model.js'
import { type AttrChange, addTypes, appendScopes, ChangeSet, type MergeResult } from './change-set.js'
import { appendAttrs } from './merge-attrs.js'
import { mergeInstance, stamp } from './merge-instance.js'
import type { EntityFragment } from './parse-entity.js'
import { hasValueMember, isNullInstance } from './shape.js'

export interface MergeEntityOptions {
  now: string
  /** Leave existing instances untouched (5.6.17 "overwrite is not allowed"). */
  noOverwrite?: boolean
  /** Common observedAt (5.6.17): also set on merged instances that had one, unless the fragment gives its own. */
  observedAt?: string
}

/**
 * Merge Entity (PATCH /entities/{id}): each instance of the fragment is merged in depth into the instance with the same
 * datasetId (value objects merged, members overwritten, sub-attributes merged, NGSI-LD Null deleting an attribute,
 * a sub-attribute, a member or a key of a value), or appended if there is none. Types are added; scopes replaced.
 * Parse the fragment with `parseFragment(..., { mode: 'merge', existing })` so that simplified values keep the
 * type of the existing attributes.
 */
export function mergeEntity(current: StoredEntity, incoming: EntityFragment, opts: MergeEntityOptions): MergeResult {
  const cs = new ChangeSet(current.attrs)
  const noOverwrite = opts.noOverwrite === true
  for (const [attr, instances] of Object.entries(incoming.attrs)) {
    for (const inst of instances) {
      const prev = cs.get(attr, inst.datasetId)
      if (prev && noOverwrite) {
        cs.skip(attr, inst.datasetId, 'the attribute already exists and noOverwrite was requested')
      } else if (isNullInstance(inst)) {
        if (prev) cs.delete(attr, inst.datasetId)
      } else if (prev) {
        const merged = mergeInstance(prev, inst, opts.now)
        if (opts.observedAt && prev.observedAt !== undefined && inst.observedAt === undefined) {
          merged.observedAt = opts.observedAt
        }
        cs.set(attr, merged)
      } else if (hasValueMember(inst)) {
        cs.set(attr, mergeInstance(undefined, inst, opts.now))
      } else {
        cs.skip(attr, inst.datasetId, 'the instance does not exist and the fragment gives no value to create it')
      }
    }
  }
  return cs.finish(
    current,
    opts.now,
    addTypes(current.types, incoming.types),
    appendScopes(current, incoming, noOverwrite),
  )
}

function stampAll(attrs: AttrMap, now: string): AttrMap {
  return Object.fromEntries(Object.entries(attrs).map(([k, list]) => [k, list.map((i) => stamp(i, now))]))
}

function diff(before: AttrMap, after: AttrMap): AttrChange[] {
  // (built field by field: conditional object spreads made this a visible part of a batch upsert's profile)
  const changes: AttrChange[] = []
  for (const attr in before) {
    const kept = after[attr]
    for (const previous of before[attr]!) {
      if (kept?.some((i) => i.datasetId === previous.datasetId)) continue
      const c: AttrChange = { attr, kind: 'deleted', previous }
      if (previous.datasetId !== undefined) c.datasetId = previous.datasetId
      changes.push(c)
    }
  }
  for (const attr in after) {
    const was = before[attr]
    for (const current of after[attr]!) {
      const previous = was?.find((i) => i.datasetId === current.datasetId)
      const c: AttrChange = { attr, kind: previous ? 'updated' : 'created', current }
      if (current.datasetId !== undefined) c.datasetId = current.datasetId
      if (previous) c.previous = previous
      changes.push(c)
    }
  }
  return changes
}

/**
 * Replace Entity (PUT /entities/{id}): id and createdAt kept; types, scopes and attributes replaced by the incoming
 * ones (attributes are new: createdAt = now).
 */
export function replaceEntity(current: StoredEntity, incoming: EntityFragment, opts: { now: string }): MergeResult {
  if (!incoming.types?.length) throw new AppError('BadRequestData', 'type: the entity type is missing')
  const attrs = stampAll(incoming.attrs, opts.now)
  const entity: StoredEntity = {
    id: current.id,
    types: [...incoming.types],
    attrs,
    createdAt: current.createdAt,
    modifiedAt: opts.now,
  }
  if (incoming.scopes?.length) entity.scopes = [...incoming.scopes]
  const changes = diff(current.attrs, attrs)
  const updated = [...new Set(changes.map((c) => c.attr))]
  return { entity, attrs, updated, notUpdated: [], changes, modified: true }
}

export interface UpsertResult extends MergeResult {
  /** True if the entity did not exist and was created. */
  created: boolean
}

/**
 * One entity of Batch Upsert (5.6.8): created if absent; otherwise replaced (`replace`, the default mode) or updated
 * with its attributes appended/overwritten (`update`).
 */
export function upsertEntity(
  current: StoredEntity | undefined,
  incoming: StoredEntity,
  opts: { mode: 'replace' | 'update'; now: string; keepNewer?: boolean },
): UpsertResult {
  if (!current) {
    const attrs = stampAll(incoming.attrs, opts.now)
    const entity: StoredEntity = { ...incoming, attrs, createdAt: opts.now, modifiedAt: opts.now }
    const changes = diff({}, attrs)
    const updated = Object.keys(attrs)
    return { entity, attrs, updated, notUpdated: [], changes, modified: true, created: true }
  }
  const result =
    opts.mode === 'update'
      ? appendAttrs(current, incoming, { now: opts.now, keepNewer: opts.keepNewer === true })
      : replaceEntity(current, incoming, opts)
  const r = result as UpsertResult
  r.created = false
  return r
}
