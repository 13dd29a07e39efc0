/**
 * The index document of an entity: column `ngsi_entities.search`, under the GIN `jsonb_path_ops` index that serves
 * the equality terms of `q` (see query/q-containment.ts). It is `attrs` without what changes with every observation,
 * so that a write that only brings new readings leaves it byte-for-byte equal: the GIN index then gets no new entries
 * and PostgreSQL can update the row in place (a HOT update: no index is touched at all).
 *
 * Per attribute instance, at every depth (sub-attributes are instances too):
 * - `createdAt`, `modifiedAt`, `deletedAt` and `instanceId` are left out, and so is `type` unless it is
 *   `LanguageProperty` (the only type a containment term asks for);
 * - `observedAt` becomes `true`: the instance is a *measurement*;
 * - in a measurement, the value members (`value`, `valueList`, `json`) keep only their strings (numbers, booleans
 *   and nulls are left out, arrays and objects keep their strings), so a new reading does not change the document;
 *   a containment term on a number or a boolean therefore also accepts `{"observedAt": true}` (any measurement);
 * - typed literals keep their `@type` without their `@value` (date-times change on every write);
 * - a GeoProperty keeps no value (geo-queries use the PostGIS projection, and coordinates are never compared by `q`);
 * - an instance left empty is left out, and so is an attribute left without instances.
 * Attribute and sub-attribute IRIs are replaced by a short key (`searchKey`, 8 hex digits of their MD5): the document
 * is about half the size, and a collision could only add candidates, which the exact predicate then drops.
 *
 * Migration 008 defines the same function in SQL (`ngsi_search_doc`) to fill the column of existing rows; a test
 * checks that the two agree.
 */
import { createHash } from 'node:crypto'
import type { AttrInstance, AttrMap } from './model.js'
import { CORE_MEMBERS } from './model.js'

const LEFT_OUT = new Set(['createdAt', 'modifiedAt', 'deletedAt', 'instanceId'])
/** The members that carry a reading (what a measurement's new value changes). */
const READING_MEMBERS = new Set(['value', 'valueList', 'json'])

type Json = unknown

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v)

const keys = new Map<string, string>()

/** The key of an attribute or sub-attribute IRI in the index document (SQL: `left(md5(iri), 8)`). */
export function searchKey(iri: string): string {
  let k = keys.get(iri)
  if (k === undefined) {
    if (keys.size >= 20_000) keys.clear()
    k = createHash('md5').update(iri).digest('hex').slice(0, 8)
    keys.set(iri, k)
  }
  return k
}

/** A value without the `@value` of its typed literals (at any depth). */
function untyped(v: Json): Json {
  if (Array.isArray(v)) return v.map(untyped)
  if (!isObject(v)) return v
  const out: Record<string, Json> = {}
  for (const k in v) if (k !== '@value') out[k] = untyped(v[k])
  return out
}

/** The strings of a value (undefined when it has none at its top: a number, a boolean, a null). */
function stringsOf(v: Json): Json {
  if (typeof v === 'string') return v
  if (Array.isArray(v)) {
    const out: Json[] = []
    for (const x of v) {
      const s = stringsOf(x)
      if (s !== undefined) out.push(s)
    }
    return out
  }
  if (!isObject(v)) return undefined
  const out: Record<string, Json> = {}
  for (const k in v) {
    if (k === '@value') continue
    const s = stringsOf(v[k])
    if (s !== undefined) out[k] = s
  }
  return out
}

function indexInstance(inst: AttrInstance): Record<string, Json> | undefined {
  const measured = inst.observedAt !== undefined
  const out: Record<string, Json> = {}
  let empty = true
  for (const k in inst) {
    const v = inst[k]
    let x: Json
    if (LEFT_OUT.has(k)) continue
    if (!CORE_MEMBERS.has(k)) {
      x = isObject(v) ? indexInstance(v as AttrInstance) : undefined
      if (x !== undefined) {
        out[searchKey(k)] = x
        empty = false
      }
      continue
    }
    if (k === 'type') x = v === 'LanguageProperty' ? v : undefined
    else if (k === 'observedAt') x = true
    else if (READING_MEMBERS.has(k)) x = inst.type === 'GeoProperty' ? undefined : measured ? stringsOf(v) : untyped(v)
    else x = v
    if (x !== undefined) {
      out[k] = x
      empty = false
    }
  }
  return empty ? undefined : out
}

/** The index document of one attribute's instances (undefined when it has nothing to index). */
function attrDoc(instances: readonly AttrInstance[] | undefined): Json[] | undefined {
  if (!instances) return undefined
  const list: Json[] = []
  for (const inst of instances) {
    const x = indexInstance(inst)
    if (x !== undefined) list.push(x)
  }
  return list.length > 0 ? list : undefined
}

/** The index document of an entity's attributes. */
export function searchDoc(attrs: AttrMap): Record<string, Json[]> {
  const out: Record<string, Json[]> = {}
  for (const iri in attrs) {
    const doc = attrDoc(attrs[iri])
    if (doc) out[searchKey(iri)] = doc
  }
  return out
}

/**
 * How the index document changes from `prev` to `next` when only the attributes `changed` differ: its keys to set
 * and to remove (both empty when readings alone changed). Undefined when a changed attribute shares its key with
 * another attribute of the entity (the whole document must be written then).
 */
export function searchDocDelta(
  next: AttrMap,
  prev: AttrMap,
  changed: readonly string[],
): { set: Record<string, Json[]>; del: string[] } | undefined {
  const changedKeys = new Set<string>()
  for (const iri of changed) {
    const k = searchKey(iri)
    if (changedKeys.has(k)) return undefined
    changedKeys.add(k)
  }
  const isChanged = new Set(changed)
  for (const attrs of [next, prev])
    for (const iri in attrs) if (!isChanged.has(iri) && changedKeys.has(searchKey(iri))) return undefined
  const set: Record<string, Json[]> = {}
  const del: string[] = []
  for (const iri of changed) {
    const after = attrDoc(next[iri])
    const before = attrDoc(prev[iri])
    if (after === undefined) {
      if (before !== undefined) del.push(searchKey(iri))
    } else if (before === undefined || JSON.stringify(after) !== JSON.stringify(before)) set[searchKey(iri)] = after
  }
  return { set, del }
}
