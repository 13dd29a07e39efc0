/**
 * A minimal ActiveContext for unit tests: a term -> IRI map (plus optional prefixes); unknown terms expand to the
 * default vocabulary and compact back. The core GeoProperty terms are always defined.
 */
import type { ActiveContext } from '../context/types.js'

export const DEFAULT_VOCAB = 'https://uri.etsi.org/ngsi-ld/default-context/'

const CORE_TERMS: Record<string, string> = {
  location: 'https://uri.etsi.org/ngsi-ld/location',
  observationSpace: 'https://uri.etsi.org/ngsi-ld/observationSpace',
  operationSpace: 'https://uri.etsi.org/ngsi-ld/operationSpace',
}

const ABSOLUTE = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/|urn:)/

export function fakeContext(terms: Record<string, string> = {}, prefixes: Record<string, string> = {}): ActiveContext {
  const all = { ...CORE_TERMS, ...terms }
  const reverse = new Map(Object.entries(all).map(([t, iri]) => [iri, t]))
  const expand = (term: string): string => {
    const known = all[term]
    if (known) return known
    if (ABSOLUTE.test(term)) return term
    const colon = term.indexOf(':')
    const prefix = colon > 0 ? prefixes[term.slice(0, colon)] : undefined
    if (prefix) return prefix + term.slice(colon + 1)
    return DEFAULT_VOCAB + term
  }
  const compact = (iri: string): string => {
    const term = reverse.get(iri)
    if (term) return term
    if (iri.startsWith(DEFAULT_VOCAB)) return iri.slice(DEFAULT_VOCAB.length)
    for (const [p, ns] of Object.entries(prefixes)) if (iri.startsWith(ns)) return `${p}:${iri.slice(ns.length)}`
    return iri
  }
  return {
    key: JSON.stringify([terms, prefixes]),
    value: 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld',
    expand,
    compact,
    expandVocab: expand,
    compactVocab: compact,
    coercion: () => undefined,
  }
}
