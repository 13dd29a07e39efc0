/**
 * Validation of the value member of an attribute instance, per attribute type (clauses 4.5.2 - 4.5.24), and the
 * rules on where an NGSI-LD Null may appear (clause 5.5.4).
 */
import type { AttrType } from '../model.js'
import type { ActiveContext } from '../context/types.js'
import { NGSI_LD_NULL } from './constants.js'
import { validateGeometry } from './geojson.js'
import { isNullEncoding, nullMarker } from './shape.js'
import { containsNgsiNull, fail, findJsonNull, isPlainObject, isUri, isValidLangTag } from './validation.js'

/**
 * What the payload is for: `create` (create, replace, append: no NGSI-LD Null), `update` (update attributes 5.6.2:
 * Null deletes an attribute), `partial` (partial attribute update 5.6.4: Null deletes sub-attributes and members),
 * `merge` (merge entity 5.6.17: Null anywhere, including inside JSON object values).
 */
export type ParseMode = 'create' | 'update' | 'partial' | 'merge'

export interface ParseState {
  readonly ctx: ActiveContext
  readonly now: string
  readonly mode: ParseMode
  /** Common language tag of a merge (5.6.17): a bare string merged into a LanguageProperty sets that language only. */
  readonly lang?: string | undefined
}

/** Where a value sits: the attribute itself, a sub-attribute, a non-reified member, or inside a JSON value. */
export type NullSite = 'attr' | 'sub' | 'member' | 'inner'

const NULL_SITES: Record<ParseMode, ReadonlySet<NullSite>> = {
  create: new Set(),
  update: new Set(['attr', 'sub']),
  partial: new Set(['sub', 'member']),
  merge: new Set(['attr', 'sub', 'member', 'inner']),
}

export function nullAllowed(st: ParseState, site: NullSite): boolean {
  return NULL_SITES[st.mode].has(site)
}

export function rejectNull(st: ParseState, site: NullSite, path: string): never {
  if (st.mode === 'partial' && site === 'attr') {
    fail(path, `"${NGSI_LD_NULL}" cannot delete the attribute in a partial attribute update (use DELETE)`)
  }
  const where = site === 'inner' ? 'inside a value (only in merge operations)' : 'here'
  fail(path, `"${NGSI_LD_NULL}" is not allowed ${where}`)
}

function checkNoNulls(v: unknown, path: string, st: ParseState): void {
  const jsonNull = findJsonNull(v)
  if (jsonNull !== undefined) fail(path, `null is not a valid value (at ${jsonNull}); use "${NGSI_LD_NULL}" to delete`)
  if (containsNgsiNull(v) && !nullAllowed(st, 'inner')) rejectNull(st, 'inner', path)
}

function checkStrings(v: unknown, path: string, what: string): string | string[] {
  if (typeof v === 'string') return v
  if (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string')) return v as string[]
  fail(path, `${what} must be a string or a non-empty array of strings`)
}

function parseLanguageMap(raw: unknown, path: string, st: ParseState): Record<string, string | string[]> {
  if (!isPlainObject(raw)) fail(path, 'a languageMap must be an object of language tags to strings')
  const entries = Object.entries(raw)
  if (entries.length === 0) fail(path, 'a languageMap must not be empty')
  for (const [tag, text] of entries) {
    if (!isValidLangTag(tag)) fail(`${path}.${tag}`, `"${tag}" is not a valid language tag (RFC 5646) or "@none"`)
    if (text === NGSI_LD_NULL) {
      if (!nullAllowed(st, 'inner')) rejectNull(st, 'inner', `${path}.${tag}`)
      continue
    }
    checkStrings(text, `${path}.${tag}`, 'a languageMap entry')
  }
  return raw as Record<string, string | string[]>
}

function parseObjectList(raw: unknown, path: string): string[] {
  if (!Array.isArray(raw)) fail(path, 'an objectList must be an array of URIs')
  return raw.map((item, i) => {
    const uri = isPlainObject(item) ? item.object : item
    if (!isUri(uri)) fail(`${path}[${i}]`, 'an objectList entry must be a URI (or an object with an "object" URI)')
    return uri
  })
}

function parseObject(raw: unknown, path: string): string | string[] {
  if (isUri(raw)) return raw
  if (Array.isArray(raw) && raw.length > 0 && raw.every(isUri)) return raw
  fail(path, 'a Relationship object must be a URI or a non-empty array of URIs')
}

/**
 * Validates the value member of an instance of `type` and returns what is stored: geometries parsed from strings,
 * objectLists reduced to URIs, vocab terms expanded, and NGSI-LD Nulls canonicalized (where the mode allows them).
 */
export function parseValueMember(type: AttrType, raw: unknown, path: string, st: ParseState, site: NullSite): unknown {
  if (raw === null) fail(path, `null is not a valid value; use "${NGSI_LD_NULL}" to delete`)
  if (isNullEncoding(raw) && (type !== 'Property' || raw === NGSI_LD_NULL)) {
    if (!nullAllowed(st, site)) rejectNull(st, site, path)
    return nullMarker(type)
  }
  switch (type) {
    case 'Property':
      checkNoNulls(raw, path, st)
      return raw
    case 'GeoProperty':
      return validateGeometry(raw, path)
    case 'Relationship':
      return parseObject(raw, path)
    case 'LanguageProperty':
      return parseLanguageMap(raw, path, st)
    case 'JsonProperty':
      return raw
    case 'ListProperty':
      if (!Array.isArray(raw)) fail(path, 'a valueList must be an array')
      checkNoNulls(raw, path, st)
      return raw
    case 'ListRelationship':
      return parseObjectList(raw, path)
    case 'VocabProperty': {
      const v = checkStrings(raw, path, 'a vocab')
      return Array.isArray(v) ? v.map((t) => st.ctx.expandVocab(t)) : st.ctx.expandVocab(v)
    }
  }
}
