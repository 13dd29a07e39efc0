/**
 * Instance-level merge rules: replacement keeping createdAt (5.6.3, 5.6.19), the member-level partial update patch
 * (5.5.8) and the deep merge patch (5.5.12, adapted from RFC 7396 with NGSI-LD Null as the deletion marker).
 */
import { AppError } from '../../../errors.js'
import { type AttrInstance, type AttrType, CORE_MEMBERS, VALUE_MEMBER } from '../model.js'
import { NGSI_LD_NULL, VALUE_MEMBERS } from './constants.js'
import { cloneJson } from './clone-json.js'
import { validateGeometry } from './geojson.js'
import { type AttrFragment, hasValueMember, isNullInstance, subAttributeKeys } from './shape.js'
import { isPlainObject } from './validation.js'

const PATCHABLE_MEMBERS = ['observedAt', 'unitCode', 'objectType'] as const

/**
 * The instance stamped as written at `now`, keeping `createdAt` of the instance it replaces: a copy, or the instance
 * itself when it already carries these stamps (as parsed: instances are never mutated once built, so sharing one is
 * safe, and a batch of new attributes skips a deep copy of every value).
 */
export function stamp(inst: AttrInstance, now: string, createdAt?: string): AttrInstance {
  const created = createdAt ?? now
  if (inst.createdAt === created && inst.modifiedAt === now) return inst
  return { ...cloneJson(inst), createdAt: created, modifiedAt: now }
}

/** RFC 7396 merge of JSON objects; "urn:ngsi-ld:null" removes a member. Returns a new object. */
export function jsonMergePatch(target: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === NGSI_LD_NULL) delete out[k]
    else if (isPlainObject(v)) out[k] = jsonMergePatch(out[k], v)
    else out[k] = cloneJson(v)
  }
  return out
}

function mergeValue(type: AttrType, previous: unknown, next: unknown): unknown {
  // Property values and language maps are merged in depth (5.5.12 example 2); geometries, JSON and lists are replaced
  if ((type === 'Property' || type === 'LanguageProperty') && isPlainObject(next)) return jsonMergePatch(previous, next)
  return cloneJson(next)
}

function patchMembers(out: AttrInstance, fragment: AttrFragment): void {
  for (const k of PATCHABLE_MEMBERS) {
    const v = fragment[k]
    if (v === NGSI_LD_NULL) delete out[k]
    else if (v !== undefined) out[k] = cloneJson(v) as never
  }
}

/**
 * Merge patch of one instance (5.5.12): the value merged in depth, members overwritten, sub-attributes merged
 * recursively, NGSI-LD Nulls deleting. With no previous instance, builds a new one (Nulls dropped).
 */
export function mergeInstance(previous: AttrInstance | undefined, fragment: AttrFragment, now: string): AttrInstance {
  const type = fragment.type ?? previous?.type
  if (!type) throw new AppError('BadRequestData', 'an attribute fragment without type or value cannot be merged')
  const out: AttrInstance = previous ? cloneJson(previous) : { type }
  if (previous && previous.type !== type) delete out[VALUE_MEMBER[previous.type]]
  out.type = type
  const member = VALUE_MEMBER[type]
  if (fragment[member] !== undefined) out[member] = mergeValue(type, out[member], fragment[member])
  patchMembers(out, fragment)
  if (fragment.datasetId !== undefined) out.datasetId = fragment.datasetId
  for (const k of subAttributeKeys(fragment, CORE_MEMBERS)) {
    const sub = fragment[k] as AttrFragment
    const prev = isPlainObject(out[k]) ? (out[k] as AttrInstance) : undefined
    if (isNullInstance(sub)) delete out[k]
    else if (prev || hasValueMember(sub)) out[k] = mergeInstance(prev, sub, now)
  }
  out.createdAt = previous?.createdAt ?? now
  out.modifiedAt = now
  return out
}

function bad(message: string): never {
  throw new AppError('BadRequestData', message)
}

/**
 * Partial update patch of one instance (5.5.8, 5.6.4): members given in the fragment replace those of the instance,
 * the others stay; sub-attributes are replaced (or patched, when the fragment gives no value), Nulls delete them.
 */
export function patchInstance(previous: AttrInstance, fragment: AttrFragment, now: string, path: string): AttrInstance {
  if (fragment.type && fragment.type !== previous.type) {
    bad(`${path}: the type of an attribute cannot change (${previous.type} -> ${fragment.type})`)
  }
  const out: AttrInstance = cloneJson(previous)
  const member = VALUE_MEMBER[previous.type]
  for (const k of VALUE_MEMBERS) {
    if (fragment[k] === undefined) continue
    if (k !== member) bad(`${path}: "${k}" does not fit a ${previous.type} (expected "${member}")`)
    out[k] = previous.type === 'GeoProperty' ? validateGeometry(fragment[k], `${path}.${k}`) : cloneJson(fragment[k])
  }
  patchMembers(out, fragment)
  for (const k of subAttributeKeys(fragment, CORE_MEMBERS)) {
    const sub = fragment[k] as AttrFragment
    const prev = isPlainObject(out[k]) ? (out[k] as AttrInstance) : undefined
    if (isNullInstance(sub)) delete out[k]
    else if (hasValueMember(sub)) out[k] = { ...mergeInstance(undefined, sub, now), createdAt: prev?.createdAt ?? now }
    else if (prev) out[k] = patchInstance(prev, sub, now, `${path}.${k}`)
    else bad(`${path}.${k}: a new sub-attribute needs a value`)
  }
  out.createdAt = previous.createdAt ?? now
  out.modifiedAt = now
  return out
}
