/**
 * Index assistance for equality terms: JSON documents `d` such that `attrs @> d` for at least one of them is a
 * NECESSARY condition of the term. AND-ed (as an OR of containments) with the exact predicate, they let PostgreSQL
 * use a GIN `jsonb_path_ops` index on `attrs` (a BitmapOr of index scans) for selective `attr==value` queries.
 *
 * Every way a stored instance can equal the value gets a document, so the superset is exact with respect to the
 * exact predicate: `{"<iri>":[{"value":21}]}`, `{"<iri>":[{"value":[21]}]}` (arrays), valueList, json, object,
 * objectList, vocab, the typed `@value`, and `{"type":"LanguageProperty"}` for strings (a language map cannot be
 * matched by containment without knowing the language, so all LanguageProperty instances are candidates).
 */
import type { QNode } from './q-parser.js'
import { type PathContext, valueForms } from './q-members.js'
import { type QValue, isStringLike } from './q-values.js'

/** Above this many documents the containment is not emitted (the exact predicate alone is still correct). */
export const MAX_CONTAINMENT_DOCS = 40
const MAX_LIST = 4

type Shape = Record<string, unknown>

function instanceShapes(v: QValue, ctx: PathContext): Shape[] {
  const shapes: Shape[] = []
  for (const f of valueForms('plain', v, true, ctx)) {
    shapes.push({ value: f }, { value: [f] }, { valueList: [f] }, { json: f }, { json: [f] })
    if (typeof f === 'string') {
      shapes.push({ object: f }, { object: [f] }, { objectList: [f] }, { objectList: [{ object: f }] })
    }
  }
  for (const f of valueForms('typed', v, true, ctx)) shapes.push({ value: { '@value': f } })
  for (const f of valueForms('vocab', v, true, ctx)) shapes.push({ vocab: f }, { vocab: [f] })
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
    const kind = path.member === 'unitCode' || path.member === 'datasetId' ? 'plain' : 'timestamp'
    for (const v of values) {
      for (const f of valueForms(kind, v, true, ctx)) shapes.push({ [path.member]: f })
    }
  } else {
    for (const v of values) shapes.push(...instanceShapes(v, ctx))
    if (values.some(isStringLike)) shapes.push({ type: 'LanguageProperty' })
  }
  if (shapes.length === 0) return undefined
  for (const sub of [...path.subAttrs].reverse()) {
    const iri = ctx.expand(sub)
    shapes = shapes.map((s) => ({ [iri]: s }))
  }
  const attrIri = ctx.expand(path.attr)
  const seen = new Set<string>()
  const docs: Shape[] = []
  for (const s of shapes) {
    const doc = { [attrIri]: [s] }
    const key = JSON.stringify(doc)
    if (!seen.has(key)) {
      seen.add(key)
      docs.push(doc)
    }
  }
  return docs.length <= MAX_CONTAINMENT_DOCS ? docs : undefined
}
