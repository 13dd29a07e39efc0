/** Term definitions and the mutable state of a JSON-LD context while it is being processed. */

export interface TermDefinition {
  /** Expanded IRI, or a keyword for aliases (`id` -> `@id`). */
  readonly iri: string
  /** `@type` coercion: `@id`, `@vocab`, `@json`, `@none` or an expanded datatype IRI. */
  readonly type: string | undefined
  /** `@container` value(s), comma-joined (recorded, not interpreted). */
  readonly container: string | undefined
  /** May be used as the prefix of a compact IRI (`prefix:suffix`). */
  readonly prefix: boolean
  readonly protected: boolean
  /** Defined with `@reverse`. */
  readonly reverse: boolean
  /** Comes from the NGSI-LD core context (always applied last; never a protected-redefinition error). */
  readonly core: boolean
}

export interface ContextState {
  readonly terms: Map<string, TermDefinition>
  /** The user's `@vocab`; undefined = the core default vocabulary. */
  vocab: string | undefined
}

export const KEYWORDS: ReadonlySet<string> = new Set([
  '@base',
  '@container',
  '@context',
  '@direction',
  '@graph',
  '@id',
  '@import',
  '@included',
  '@index',
  '@json',
  '@language',
  '@list',
  '@nest',
  '@none',
  '@prefix',
  '@propagate',
  '@protected',
  '@reverse',
  '@set',
  '@type',
  '@value',
  '@version',
  '@vocab',
])

/** Keywords that may appear as members of a context definition (not term definitions). */
export const CONTEXT_KEYWORDS: ReadonlySet<string> = new Set([
  '@base',
  '@direction',
  '@import',
  '@language',
  '@propagate',
  '@protected',
  '@type',
  '@version',
  '@vocab',
])

/** `@type` values that are keywords rather than datatype IRIs. */
export const TYPE_KEYWORDS: ReadonlySet<string> = new Set(['@id', '@vocab', '@json', '@none'])

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/

/** Has a URI scheme (`https:`, `urn:`, `mailto:` ...). Note that `prefix:suffix` compact IRIs also match. */
export const hasScheme = (value: string): boolean => SCHEME.test(value)

/** Can serve as a prefix IRI in JSON-LD 1.1: ends with a gen-delim character, or is a blank node. */
export const endsWithGenDelim = (iri: string): boolean => /[:/?#[\]@]$/.test(iri) || iri.startsWith('_:')

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

export function sameDefinition(a: TermDefinition, b: TermDefinition): boolean {
  return (
    a.iri === b.iri &&
    a.type === b.type &&
    a.container === b.container &&
    a.prefix === b.prefix &&
    a.reverse === b.reverse
  )
}

export function cloneState(state: ContextState): ContextState {
  return { terms: new Map(state.terms), vocab: state.vocab }
}

export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'string' ? `"${value.length > 80 ? value.slice(0, 80) + '...' : value}"` : `a ${typeof value}`
}
