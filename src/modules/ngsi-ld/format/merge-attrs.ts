/**
 * Attribute-level update operations (ETSI GS CIM 009 v1.8.1): append (5.6.3), update (5.6.2), partial attribute update
 * (5.6.4), replace attribute (5.6.19), delete attribute (5.6.5). Pure: they return the new entity and what changed.
 */
import { AppError } from '../../../errors.js'
import type { AttrInstance, StoredEntity } from '../model.js'
import { addTypes, appendScopes, ChangeSet, type MergeResult } from './change-set.js'
import { patchInstance, stamp } from './merge-instance.js'
import type { EntityFragment } from './parse-entity.js'
import { type AttrFragment, isNullInstance } from './shape.js'

const describe = (attr: string, datasetId?: string) => (datasetId ? `${attr} (datasetId ${datasetId})` : attr)

function notFound(attr: string, datasetId?: string): never {
  const what = datasetId ? `no instance with datasetId ${datasetId} of attribute` : 'no attribute'
  throw new AppError('ResourceNotFound', `The entity has ${what} ${attr}`, {
    attr,
    ...(datasetId ? { datasetId } : {}),
  })
}

/** Both observed, and `inst` before `prev`. */
function isLate(inst: AttrInstance, prev: AttrInstance): boolean {
  const a = inst.observedAt
  const b = prev.observedAt
  if (a === undefined || b === undefined) return false
  // stored date-times are normalized (toISOString): two of the usual form compare as strings, without parsing
  if (a.length === 24 && b.length === 24 && a.endsWith('Z') && b.endsWith('Z')) return a < b
  return Date.parse(a) < Date.parse(b)
}

/** `@none` names the default instance (clause 4.5.5). */
const dataset = (d: string | undefined) => (d === '@none' ? undefined : d)

/**
 * Append Attributes (POST /entities/{id}/attrs): instances are added, or replace the instance with the same datasetId
 * (createdAt kept) unless `noOverwrite`, in which case they are reported in notUpdated. Types are added; scopes are
 * replaced (merged with noOverwrite).
 */
export function appendAttrs(
  current: StoredEntity,
  incoming: EntityFragment,
  opts: { noOverwrite?: boolean; now: string; keepNewer?: boolean },
): MergeResult {
  const cs = new ChangeSet(current.attrs)
  const noOverwrite = opts.noOverwrite === true
  for (const [attr, instances] of Object.entries(incoming.attrs)) {
    for (const inst of instances) {
      const prev = cs.get(attr, inst.datasetId)
      if (prev && noOverwrite) {
        cs.skip(attr, inst.datasetId, `${describe(attr, inst.datasetId)} already exists and noOverwrite was requested`)
      } else if (prev && opts.keepNewer && isLate(inst, prev)) {
        cs.late(attr, stamp(inst, opts.now, prev.createdAt), prev)
      } else {
        cs.set(attr, stamp(inst, opts.now, prev?.createdAt))
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

/**
 * Update Attributes (PATCH /entities/{id}/attrs): only existing instances (same attribute and datasetId) are replaced
 * (createdAt kept) or, with an NGSI-LD Null value, deleted; the others are reported in notUpdated. Types are added;
 * scopes are replaced only if the entity has scopes.
 */
export function updateAttrs(current: StoredEntity, incoming: EntityFragment, opts: { now: string }): MergeResult {
  const cs = new ChangeSet(current.attrs)
  for (const [attr, instances] of Object.entries(incoming.attrs)) {
    for (const inst of instances) {
      const prev = cs.get(attr, inst.datasetId)
      if (!prev) {
        const reason = cs.has(attr)
          ? `the attribute has no ${inst.datasetId ? `instance with datasetId ${inst.datasetId}` : 'default instance'}`
          : 'the attribute does not exist'
        cs.skip(attr, inst.datasetId, reason)
      } else if (isNullInstance(inst)) {
        cs.delete(attr, inst.datasetId)
      } else {
        cs.set(attr, stamp(inst, opts.now, prev.createdAt))
      }
    }
  }
  const scopes = current.scopes?.length && incoming.scopes ? incoming.scopes : current.scopes
  return cs.finish(current, opts.now, addTypes(current.types, incoming.types), scopes)
}

/**
 * Partial Attribute Update (PATCH /entities/{id}/attrs/{attrId}): the fragment's members replace those of the target
 * instance (default instance, or the datasetId given in opts or in the fragment); sub-attributes given replace or
 * (with NGSI-LD Null) delete those of the instance. The type cannot change. ResourceNotFound if no such instance.
 */
export function partialAttrUpdate(
  current: StoredEntity,
  attrIri: string,
  fragment: AttrFragment,
  opts: { datasetId?: string; now: string },
): MergeResult {
  const ds = dataset(opts.datasetId ?? fragment.datasetId)
  const cs = new ChangeSet(current.attrs)
  const prev = cs.get(attrIri, ds)
  if (!prev) notFound(attrIri, ds)
  if (isNullInstance(fragment)) {
    throw new AppError('BadRequestData', `${attrIri}: a partial attribute update cannot delete the attribute`)
  }
  cs.set(attrIri, patchInstance(prev, fragment, opts.now, attrIri))
  return cs.finish(current, opts.now, current.types, current.scopes)
}

/**
 * Replace Attribute (PUT /entities/{id}/attrs/{attrId}): the instance with the same datasetId (default instance if
 * none) is replaced, createdAt kept. ResourceNotFound if there is no such instance.
 */
export function replaceAttr(
  current: StoredEntity,
  attrIri: string,
  instance: AttrInstance,
  opts: { now: string },
): MergeResult {
  const cs = new ChangeSet(current.attrs)
  const prev = cs.get(attrIri, instance.datasetId)
  if (!prev) notFound(attrIri, instance.datasetId)
  cs.set(attrIri, stamp(instance, opts.now, prev.createdAt))
  return cs.finish(current, opts.now, current.types, current.scopes)
}

/**
 * Delete Attribute (DELETE /entities/{id}/attrs/{attrId}): the default instance, the instance with `datasetId`
 * (`@none` = default), or with `deleteAll` every instance. ResourceNotFound when nothing matches.
 */
export function deleteAttr(
  current: StoredEntity,
  attrIri: string,
  opts: { datasetId?: string; deleteAll?: boolean; now: string },
): MergeResult {
  const cs = new ChangeSet(current.attrs)
  const instances = current.attrs[attrIri] ?? []
  if (opts.deleteAll) {
    if (instances.length === 0) notFound(attrIri)
    for (const i of instances) cs.delete(attrIri, i.datasetId)
  } else {
    const ds = dataset(opts.datasetId)
    if (!cs.delete(attrIri, ds)) notFound(attrIri, ds)
  }
  return cs.finish(current, opts.now, current.types, current.scopes)
}
