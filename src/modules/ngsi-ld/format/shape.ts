/**
 * How attribute payloads are recognized (normalized vs concise) and how deletions (NGSI-LD Null) are represented in
 * parsed fragments.
 */
import { type AttrInstance, type AttrType, VALUE_MEMBER } from '../model.js'
import { NGSI_LD_NULL, VALUE_MEMBERS } from './constants.js'
import { isPlainObject } from './validation.js'

/** A parsed attribute fragment of a partial update: `type` may be unknown when the client omitted it. */
export type AttrFragment = Partial<AttrInstance>

const ATTRIBUTE_KEYS = ['type', ...VALUE_MEMBERS, 'datasetId', 'observedAt', 'unitCode', 'objectType']

/**
 * An object that is an attribute (normalized or concise) rather than a bare JSON value: it has `type`, a value member
 * or a non-reified attribute member. (Clause 4.5.2.3: a JSON object with a "type" is always taken as normalized.)
 */
export function looksLikeAttributeObject(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) && ATTRIBUTE_KEYS.some((k) => k in v)
}

/** An array holding attribute instances (multi-attribute, clause 4.5.5) rather than an array value. */
export function looksLikeInstanceArray(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.some(looksLikeAttributeObject)
}

/** The canonical NGSI-LD Null stored in a fragment's value member, per attribute type (clauses 4.5.x, 4.6.5). */
export function nullMarker(type: AttrType): unknown {
  switch (type) {
    case 'LanguageProperty':
      return { '@none': NGSI_LD_NULL }
    case 'ListProperty':
    case 'ListRelationship':
      return [NGSI_LD_NULL]
    default:
      return NGSI_LD_NULL
  }
}

/** Whether a raw value member is one of the accepted encodings of NGSI-LD Null. */
export function isNullEncoding(raw: unknown): boolean {
  if (raw === NGSI_LD_NULL) return true
  if (Array.isArray(raw)) return raw.length === 1 && raw[0] === NGSI_LD_NULL
  if (isPlainObject(raw)) {
    const keys = Object.keys(raw)
    return keys.length === 1 && keys[0] === '@none' && raw['@none'] === NGSI_LD_NULL
  }
  return false
}

/** True if a parsed instance (or fragment) asks for a deletion: its value member is an NGSI-LD Null. */
export function isNullInstance(inst: AttrFragment | AttrInstance): boolean {
  if (!inst.type) return false
  const v = inst[VALUE_MEMBER[inst.type]]
  return v !== undefined && isNullEncoding(v)
}

/** True if the instance carries the value member its type requires. */
export function hasValueMember(inst: AttrFragment | AttrInstance): boolean {
  return inst.type !== undefined && inst[VALUE_MEMBER[inst.type]] !== undefined
}

/** Keys of an instance that are sub-attributes (expanded IRIs). */
export function subAttributeKeys(inst: AttrFragment | AttrInstance, core: ReadonlySet<string>): string[] {
  return Object.keys(inst).filter((k) => !core.has(k) && isPlainObject(inst[k]))
}
