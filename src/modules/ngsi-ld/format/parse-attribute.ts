/**
 * Parsing of one attribute (all its instances) from the normalized or the concise representation (clauses 4.5.2 -
 * 4.5.5, 4.7.3) into the stored form, with sub-attributes at any depth.
 */
import { type AttrInstance, type AttrType, VALUE_MEMBER } from '../model.js'
import {
  ATTR_TYPES,
  GEO_ATTR_IRIS,
  MAX_DEPTH,
  META_MEMBERS,
  OUTPUT_ONLY_MEMBERS,
  RELATIONSHIP_TYPES,
  RESERVED_ATTR_NAMES,
  SYSTEM_MEMBERS,
  UNITLESS_TYPES,
  VALUE_MEMBER_TYPES,
  VALUE_MEMBERS,
} from './constants.js'
import { looksLikeGeometry } from './geojson.js'
import { type NullSite, nullAllowed, type ParseState, parseValueMember, rejectNull } from './parse-value.js'
import { type AttrFragment, isNullInstance, looksLikeAttributeObject, looksLikeInstanceArray } from './shape.js'
import {
  fail,
  isNgsiNull,
  isPlainObject,
  isUri,
  isValidName,
  nestsDeeperThan,
  normalizeDateTime,
} from './validation.js'

interface Shape {
  type: AttrType | undefined
  /** False when the type was inferred from a bare value or a lone `value` (simplified input, clause 5.6.17). */
  explicit: boolean
  body: Record<string, unknown>
  /** The payload was the bare value (error paths then name the attribute itself). */
  bare?: boolean
}

function shapeOf(raw: unknown, path: string): Shape {
  if (!looksLikeAttributeObject(raw)) {
    const type = looksLikeGeometry(raw) ? 'GeoProperty' : 'Property'
    return { type, explicit: false, body: { value: raw }, bare: true }
  }
  if ('type' in raw) {
    const t = raw.type
    if (typeof t === 'string' && ATTR_TYPES.has(t as AttrType))
      return { type: t as AttrType, explicit: true, body: raw }
    if (looksLikeGeometry(raw)) return { type: 'GeoProperty', explicit: false, body: { value: raw }, bare: true }
    fail(path, `unknown attribute type ${JSON.stringify(t)}`)
  }
  const present = VALUE_MEMBER_TYPES.filter(([m]) => m in raw)
  if (present.length > 1) fail(path, `has more than one value member (${present.map(([m]) => m).join(', ')})`)
  const first = present[0]
  if (!first) return { type: undefined, explicit: false, body: raw }
  const [member, inferred] = first
  if (member !== 'value') return { type: inferred, explicit: true, body: raw }
  return { type: looksLikeGeometry(raw.value) ? 'GeoProperty' : 'Property', explicit: false, body: raw }
}

/**
 * In partial updates the payload is the attribute fragment itself; in merges (and for sub-attributes of partial
 * updates) an object made only of sub-attributes (`{ "unitText": { "value": "m2" } }`) patches an existing attribute
 * rather than being its new JSON value.
 */
function isFragmentObject(raw: unknown, st: ParseState, site: 'attr' | 'sub', existing?: AttrInstance): boolean {
  if (!isPlainObject(raw) || looksLikeAttributeObject(raw)) return false
  if (st.mode === 'partial' && site === 'attr') return true
  if ((st.mode !== 'merge' && st.mode !== 'partial') || !existing) return false
  const members = Object.values(raw)
  return members.length > 0 && members.every(looksLikeAttributeObject)
}

/**
 * A simplified value sent for an attribute that exists with another type keeps the existing type (clause 5.6.17);
 * the value is moved to the member of that type.
 */
function preserveType(shape: Shape, existing: AttrInstance, st: ParseState): Shape {
  const body = { ...shape.body }
  const v = body.value
  delete body.value
  if (v !== undefined) {
    const lm = existing.type === 'LanguageProperty' && (typeof v === 'string' || Array.isArray(v))
    body[VALUE_MEMBER[existing.type]] = lm && !isNgsiNull(v) ? { [st.lang ?? '@none']: v } : v
  }
  return { type: existing.type, explicit: true, body, bare: shape.bare }
}

function parseObjectType(v: unknown, path: string, st: ParseState): string | string[] {
  const names = typeof v === 'string' ? [v] : Array.isArray(v) && v.length > 0 ? v : undefined
  if (!names?.every((n) => typeof n === 'string' && isValidName(n))) {
    fail(path, 'objectType must be an entity type name or a non-empty array of them')
  }
  const expanded = (names as string[]).map((n) => st.ctx.expand(n))
  return typeof v === 'string' ? expanded[0]! : expanded
}

function parseMeta(out: AttrFragment, key: string, v: unknown, path: string, st: ParseState, site: NullSite): void {
  const p = `${path}.${key}`
  if (key === 'datasetId') {
    if (site !== 'attr') fail(p, 'datasetId is only allowed on attributes, not on sub-attributes')
    if (v === '@none') return
    if (isNgsiNull(v)) fail(p, 'a datasetId cannot be "urn:ngsi-ld:null" (delete the instance instead)')
    if (!isUri(v)) fail(p, 'datasetId must be a URI')
    out.datasetId = v
    return
  }
  if (isNgsiNull(v)) {
    if (!nullAllowed(st, 'member')) rejectNull(st, 'member', p)
    out[key] = v
    return
  }
  if (key === 'observedAt') {
    const at = normalizeDateTime(v)
    if (!at) fail(p, 'observedAt must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T10:00:00Z')
    out.observedAt = at
  } else if (key === 'unitCode') {
    if (out.type && UNITLESS_TYPES.has(out.type)) fail(p, `a ${out.type} cannot have a unitCode`)
    if (typeof v !== 'string' || v === '') fail(p, 'unitCode must be a non-empty string (UN/CEFACT code)')
    out.unitCode = v
  } else {
    if (out.type && !RELATIONSHIP_TYPES.has(out.type)) fail(p, `objectType is only allowed on relationships`)
    out.objectType = parseObjectType(v, p, st)
  }
}

function parseSubAttribute(
  out: AttrFragment,
  key: string,
  raw: unknown,
  path: string,
  st: ParseState,
  existing: AttrInstance | undefined,
): void {
  const p = `${path}.${key}`
  if (RESERVED_ATTR_NAMES.has(key) || key.startsWith('@')) fail(p, `"${key}" is a reserved name`)
  if (!isValidName(key)) fail(p, `"${key}" is not a valid name (clause 4.6.2)`)
  if (raw === null) fail(p, `null is not a valid value; use "urn:ngsi-ld:null" to delete`)
  if (Array.isArray(raw) && raw.length === 0) fail(p, 'a sub-attribute cannot be an empty array')
  if (looksLikeInstanceArray(raw)) fail(p, 'a sub-attribute cannot have multiple instances')
  const iri = st.ctx.expand(key)
  if (iri in out) fail(p, `duplicate sub-attribute (${iri})`)
  const prev = existing?.[iri]
  const sub = parseInstance(raw, iri, p, st, 'sub', isPlainObject(prev) ? (prev as AttrInstance) : undefined)
  if (st.mode === 'update' && isNullInstance(sub)) return
  out[iri] = sub
}

/** Parses one instance of an attribute (`site` 'attr') or a sub-attribute (`site` 'sub'). */
export function parseInstance(
  raw: unknown,
  iri: string,
  path: string,
  st: ParseState,
  site: 'attr' | 'sub',
  existing?: AttrInstance,
): AttrFragment {
  let shape = isFragmentObject(raw, st, site, existing)
    ? { type: undefined, explicit: false, body: raw as Record<string, unknown> }
    : shapeOf(raw, path)
  if (!shape.explicit && existing && shape.type !== existing.type) shape = preserveType(shape, existing, st)
  if (shape.type === 'Property' && !shape.explicit && GEO_ATTR_IRIS.has(iri)) shape.type = 'GeoProperty'
  const { type, body } = shape
  // Clause 4.7.1 wants location, observationSpace and operationSpace to be GeoProperties. A Property explicitly typed
  // as such is still kept (FIWARE's DeviceMeasurement model sends one): it is stored, but not geo-indexed.
  if (type && GEO_ATTR_IRIS.has(iri) && type !== 'GeoProperty' && type !== 'Property') {
    fail(path, `must be a GeoProperty, not a ${type}`)
  }
  // a partial update without the existing instance only knows the type if it is explicit (5.6.4: may be omitted)
  const keepType = shape.explicit || existing !== undefined || !(st.mode === 'partial' && site === 'attr')
  const out: AttrFragment = type && keepType ? { type } : {}
  const member = type ? VALUE_MEMBER[type] : undefined
  for (const [key, v] of Object.entries(body)) {
    if (key === 'type' || key === '@context' || SYSTEM_MEMBERS.has(key) || OUTPUT_ONLY_MEMBERS.has(key)) continue
    if (VALUE_MEMBERS.has(key)) {
      const p = shape.bare ? path : `${path}.${key}`
      if (key !== member) fail(p, `"${key}" is not allowed in a ${type}`)
      out[key] = parseValueMember(type!, v, p, st, site)
    } else if (META_MEMBERS.has(key)) {
      parseMeta(out, key, v, path, st, site)
    } else {
      parseSubAttribute(out, key, v, path, st, existing)
    }
  }
  if (member === undefined || out[member] === undefined) {
    const partialOk = st.mode === 'partial' || (st.mode === 'merge' && existing !== undefined)
    if (!partialOk) {
      const expected = type ? `"${member}"` : VALUE_MEMBER_TYPES.map(([m]) => `"${m}"`).join(', ')
      fail(path, `has no value (expected ${type ? `${expected} in a ${type}` : `one of ${expected}`})`)
    }
  }
  out.createdAt = st.now
  out.modifiedAt = st.now
  return out
}

/**
 * Parses an attribute member of an entity or fragment: one instance, or an array of instances with distinct datasetIds.
 * `existing` (the current instances, for merge and partial updates) lets simplified values keep the existing type.
 */
export function parseAttribute(
  raw: unknown,
  iri: string,
  path: string,
  st: ParseState,
  existing?: readonly AttrInstance[],
): AttrFragment[] {
  if (raw === null) fail(path, 'null is not a valid attribute; use "urn:ngsi-ld:null" to delete in updates')
  if (Array.isArray(raw) && raw.length === 0) fail(path, 'an attribute cannot be an empty array')
  if (nestsDeeperThan(raw, MAX_DEPTH)) fail(path, `nests deeper than ${MAX_DEPTH} levels`)
  const items = looksLikeInstanceArray(raw) ? raw : [raw]
  const seen = new Set<string | undefined>()
  return items.map((item, i) => {
    const p = items === raw ? `${path}[${i}]` : path
    const rawDs = isPlainObject(item) && typeof item.datasetId === 'string' ? item.datasetId : undefined
    const ds = rawDs === '@none' ? undefined : rawDs
    const prev = existing?.find((e) => e.datasetId === ds) ?? existing?.[0]
    const inst = parseInstance(item, iri, p, st, 'attr', prev)
    if (seen.has(inst.datasetId)) {
      fail(path, inst.datasetId ? `duplicate datasetId "${inst.datasetId}"` : 'more than one default instance')
    }
    seen.add(inst.datasetId)
    return inst
  })
}
