/**
 * Stored attribute instances -> normalized (clause 4.5.2.2 ...), concise (4.5.2.3 ...) and simplified (4.5.4) forms.
 */
import type { ActiveContext } from '../context/types.js'
import { type AttrInstance, CORE_MEMBERS, VALUE_MEMBER } from '../model.js'
import { looksLikeGeometry } from './geojson.js'
import { type LangRange, pickLanguage } from './lang.js'
import { looksLikeAttributeObject, looksLikeInstanceArray } from './shape.js'
import { isPlainObject } from './validation.js'

export interface AttrFormatState {
  readonly ctx: ActiveContext
  readonly sysAttrs: boolean
  /** Parsed `lang` parameter: LanguageProperties become Properties in the chosen language (clause 4.15). */
  readonly lang?: readonly LangRange[] | undefined
}

const compactAll = (v: string | string[], f: (s: string) => string) => (Array.isArray(v) ? v.map(f) : f(v))

const INSTANCE_MEMBERS = ['datasetId', 'observedAt', 'unitCode'] as const

/**
 * The members of an instance in normalized shape, with names and vocab compacted: `type` first when `withType` (the
 * normalized form), then the value, the instance members and the sub-attributes.
 */
function members(inst: AttrInstance, st: AttrFormatState, concise: boolean, withType = false): Record<string, unknown> {
  const out: Record<string, unknown> = withType ? { type: shownType(inst, st) } : {}
  const lm = inst.languageMap
  const choice = inst.type === 'LanguageProperty' && st.lang && lm ? pickLanguage(lm, st.lang) : undefined
  if (choice) {
    out.value = choice.value
    out.lang = choice.lang
  } else if (inst.type === 'VocabProperty' && inst.vocab !== undefined) {
    out.vocab = compactAll(inst.vocab, (v) => st.ctx.compactVocab(v))
  } else if (inst.type === 'ListRelationship' && inst.objectList) {
    out.objectList = inst.objectList.map((o) => ({ object: o }))
  } else {
    const m = VALUE_MEMBER[inst.type]
    if (inst[m] !== undefined) out[m] = inst[m]
  }
  if (inst.objectType !== undefined) out.objectType = compactAll(inst.objectType, (t) => st.ctx.compact(t))
  for (const k of INSTANCE_MEMBERS) {
    if (inst[k] !== undefined) out[k] = inst[k]
  }
  if (st.sysAttrs) {
    if (inst.createdAt) out.createdAt = inst.createdAt
    if (inst.modifiedAt) out.modifiedAt = inst.modifiedAt
  }
  for (const k in inst) {
    if (CORE_MEMBERS.has(k)) continue
    const sub = inst[k]
    if (!isPlainObject(sub) || typeof sub.type !== 'string') continue
    const s = sub as AttrInstance
    out[st.ctx.compact(k)] = concise ? conciseInstance(s, st, false) : normalizedInstance(s, st)
  }
  return out
}

/** The type shown for an instance: a LanguageProperty rendered in one language is a Property (clause 4.15). */
function shownType(inst: AttrInstance, st: AttrFormatState): string {
  return inst.type === 'LanguageProperty' && st.lang && inst.languageMap ? 'Property' : inst.type
}

export function normalizedInstance(inst: AttrInstance, st: AttrFormatState): Record<string, unknown> {
  return members(inst, st, false, true)
}

/** Whether a bare Property value would be read back as something else (concise input rules). */
function bareIsAmbiguous(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0 || looksLikeInstanceArray(v)
  return looksLikeAttributeObject(v) || looksLikeGeometry(v)
}

/**
 * Concise form (clauses 4.5.2.3, 4.5.3.3, 4.7.3 ...): `type` dropped where it can be inferred; a Property or
 * GeoProperty with nothing but its value becomes the bare value. `inArray` (multi-attribute) keeps objects so that
 * instances stay distinguishable from array values.
 */
export function conciseInstance(inst: AttrInstance, st: AttrFormatState, inArray: boolean): unknown {
  const m = members(inst, st, true)
  const keys = Object.keys(m)
  const only = keys.length === 1 && keys[0] === 'value' && !inArray
  const type = shownType(inst, st)
  if (type === 'Property' && inst.type !== 'LanguageProperty') {
    if (only && !bareIsAmbiguous(m.value)) return m.value
    // a Property whose value is a geometry would be read back as a GeoProperty: keep its type
    return looksLikeGeometry(m.value) ? { type, ...m } : m
  }
  if (type === 'GeoProperty' && only) return m.value
  return m
}

/** Simplified (keyValues) value of one instance (clause 4.5.4). */
export function simplifiedValue(inst: AttrInstance, st: AttrFormatState): unknown {
  switch (inst.type) {
    case 'Property':
    case 'GeoProperty':
      return inst.value
    case 'Relationship':
      return inst.object
    case 'ListProperty':
      return inst.valueList
    case 'ListRelationship':
      return inst.objectList
    case 'JsonProperty':
      return { json: inst.json }
    case 'VocabProperty':
      return { vocab: inst.vocab === undefined ? undefined : compactAll(inst.vocab, (v) => st.ctx.compactVocab(v)) }
    case 'LanguageProperty': {
      const choice = st.lang && inst.languageMap ? pickLanguage(inst.languageMap, st.lang) : undefined
      return choice ? choice.value : { languageMap: inst.languageMap }
    }
  }
}

/** Simplified value of an attribute: one value, or `{ dataset: { '@none' | datasetId: value } }` (clause 4.5.4). */
export function simplifiedAttribute(instances: readonly AttrInstance[], st: AttrFormatState): unknown {
  if (instances.length === 1) return simplifiedValue(instances[0]!, st)
  const dataset: Record<string, unknown> = {}
  for (const inst of instances) dataset[inst.datasetId ?? '@none'] = simplifiedValue(inst, st)
  return { dataset }
}
