/**
 * Index assistance for equality terms: JSON documents `d` such that `search @> d` for at least one of them is a
 * NECESSARY condition of the term, where `search` is the entity's index document (search-doc.ts: `attrs` without
 * timestamps, typed `@value`s, GeoProperty values and the non-string readings of measurements). AND-ed (as an OR of
 * containments) with the exact predicate, they let PostgreSQL use the GIN `jsonb_path_ops` index on `search` (a
 * BitmapOr of index scans) for selective `attr==value` queries.
 *
 * Every way a stored instance can equal the value gets a document, so the superset is exact with respect to the
 * exact predicate: `{"<key>":[{"value":21}]}`, `{"<key>":[{"value":[21]}]}` (arrays), valueList, json, object,
 * objectList, vocab, and `{"type":"LanguageProperty"}` for strings (a language map cannot be matched by containment
 * without knowing the language, so all LanguageProperty instances are candidates). A number, boolean or null may sit
 * in a measurement, whose index document keeps only `"observedAt": true`: such a term also accepts
 * `{"<key>":[{"observedAt":true}]}` (`<key>` is the short key of the attribute's IRI, `searchKey`). Terms that could match a typed literal (date and time strings), an instance
 * timestamp or a GeoProperty get no documents: the index document does not hold these values.
 */
import type { QNode } from './q-parser.js'
import { type PathContext, valueForms } from './q-members.js'
import { type QValue, isStringLike } from './q-values.js'
import { searchKey } from '../search-doc.js'

/** Above this many documents the containment is not emitted (the exact predicate alone is still correct). */
export const MAX_CONTAINMENT_DOCS = 40
const MAX_LIST = 4

type Shape = Record<string, unknown>

/** The instance shapes of one value, or undefined when the index document cannot hold it. */
function instanceShapes(v: QValue, ctx: PathContext): Shape[] | undefined {
  if (valueForms('typed', v, true, ctx).length > 0) return undefined
  const shapes: Shape[] = []
  let measurable = false
  for (const f of valueForms('plain', v, true, ctx)) {
    if (typeof f !== 'string') measurable = true
    shapes.push({ value: f }, { value: [f] }, { valueList: [f] }, { json: f }, { json: [f] })
    if (typeof f === 'string') {
      shapes.push({ object: f }, { object: [f] }, { objectList: [f] }, { objectList: [{ object: f }] })
    }
  }
  for (const f of valueForms('vocab', v, true, ctx)) shapes.push({ vocab: f }, { vocab: [f] })
  if (measurable) shapes.push({ observedAt: true })
  return shapes
}

/**
 * The containment documents of a term, or undefined when the term does not qualify (not `==`, a range, a long list,
 * a compound path, an entity timestamp) or would need too many documents.
 */
export function containmentDocs(term: QNode, ctx: PathContext): Shape[] | undefined {
  if (term.kind !== 'compare' || term.op !== '==') return undefined
  const { path, value } = term
  if (path.system || path.compound.length > 0) return undefined
  const values = value.kind === 'single' ? [value.value] : value.kind === 'list' ? value.values : undefined
  if (!values || values.length > MAX_LIST) return undefined
  let shapes: Shape[] = []
  if (path.member) {
    // observedAt, createdAt and modifiedAt are not in the index document
    if (path.member !== 'unitCode' && path.member !== 'datasetId') return undefined
    for (const v of values) {
      for (const f of valueForms('plain', v, true, ctx)) shapes.push({ [path.member]: f })
    }
  } else {
    for (const v of values) {
      const s = instanceShapes(v, ctx)
      if (!s) return undefined
      shapes.push(...s)
    }
    if (values.some(isStringLike)) shapes.push({ type: 'LanguageProperty' })
  }
  if (shapes.length === 0) return undefined
  for (const sub of [...path.subAttrs].reverse()) {
    const key = searchKey(ctx.expand(sub))
    shapes = shapes.map((s) => ({ [key]: s }))
  }
  const attrKey = searchKey(ctx.expand(path.attr))
  const seen = new Set<string>()
  const docs: Shape[] = []
  for (const s of shapes) {
    const doc = { [attrKey]: [s] }
    const key = JSON.stringify(doc)
    if (!seen.has(key)) {
      seen.add(key)
      docs.push(doc)
    }
  }
  return docs.length <= MAX_CONTAINMENT_DOCS ? docs : undefined
}
