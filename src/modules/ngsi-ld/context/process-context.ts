/**
 * The JSON-LD 1.1 context processing algorithm, reduced to what NGSI-LD needs (term -> IRI, @type coercion, @vocab,
 * prefixes, @protected, @import). Synchronous and pure: remote contexts must have been loaded beforehand
 * (see loader.ts); `env.contextOf(url)` returns the `@context` member of a loaded document.
 * Scoped contexts (`@context` inside a term definition) are not applied: they do not change top-level terms.
 * Invalid contexts raise BadRequestData (ETSI GS CIM 009 clause 5.5.4).
 */
import { badRequest } from '../../../errors.js'
import { DEFAULT_VOCAB } from './builtin.js'
import {
  CONTEXT_KEYWORDS,
  type ContextState,
  describe,
  endsWithGenDelim,
  hasScheme,
  isPlainObject,
  KEYWORDS,
  sameDefinition,
  TYPE_KEYWORDS,
  type TermDefinition,
} from './term-definition.js'

export interface ProcessEnv {
  /** The `@context` member of an already loaded remote context document. */
  contextOf(url: string): unknown
  /** Core context URLs are skipped: the core context is applied last anyway. */
  isCore(url: string): boolean
  /** A fresh state to restart from when a context is `null`. */
  initial(): ContextState
  /** Marks contexts coming from the core context. */
  readonly core?: boolean
  readonly maxDepth: number
}

const invalid = (message: string) => badRequest(`Invalid JSON-LD @context: ${message}`)

/** Applies `local` (a URL, an object, null or an array of those) to `active`; mutates and returns the state. */
export function processContext(
  active: ContextState,
  local: unknown,
  env: ProcessEnv,
  chain: readonly string[] = [],
): ContextState {
  let result = active
  const items = Array.isArray(local) ? local : [local]
  for (const item of items) {
    if (item === null) {
      result = env.initial()
    } else if (Array.isArray(item)) {
      result = processContext(result, item, env, chain)
    } else if (typeof item === 'string') {
      if (env.isCore(item)) continue
      result = processContext(result, env.contextOf(checkRemote(item, chain, env)), env, [...chain, item])
    } else if (isPlainObject(item)) {
      applyDefinition(result, item, env, chain)
    } else {
      throw invalid(`expected a URL, an object, null or an array of them, got ${describe(item)}`)
    }
  }
  return result
}

/** Rejects relative URLs, context inclusion loops and too deep nesting (also checked by the loader). */
export function checkRemote(url: string, chain: readonly string[], env: { maxDepth: number }): string {
  if (!hasScheme(url)) throw invalid(`context reference ${describe(url)} is not an absolute URL`)
  if (chain.includes(url)) throw invalid(`recursive context inclusion: ${[...chain, url].join(' -> ')}`)
  if (chain.length >= env.maxDepth) throw invalid(`contexts nested deeper than ${env.maxDepth} levels at ${url}`)
  return url
}

function applyDefinition(
  state: ContextState,
  input: Record<string, unknown>,
  env: ProcessEnv,
  chain: readonly string[],
) {
  let local = input
  if ('@version' in local && local['@version'] !== 1.1) throw invalid(`@version must be 1.1`)
  if ('@import' in local) {
    const url = local['@import']
    if (typeof url !== 'string') throw invalid('@import must be a URL')
    const imported = env.contextOf(checkRemote(url, chain, env))
    if (!isPlainObject(imported) || '@import' in imported) {
      throw invalid(`the context imported from ${url} must be a single object without @import`)
    }
    local = { ...imported, ...local }
    delete local['@import']
  }
  for (const k of ['@propagate', '@protected'] as const) {
    if (k in local && typeof local[k] !== 'boolean') throw invalid(`${k} must be true or false`)
  }
  const defaultProtected = local['@protected'] === true
  const defined = new Map<string, boolean>()

  /** IRI expansion (vocab-relative) after defining the terms of this context it depends on. */
  const expandIri = (value: string): string => {
    if (!value.startsWith('@')) {
      if (Object.hasOwn(local, value)) createTerm(value)
      const colon = value.indexOf(':')
      if (colon > 0 && Object.hasOwn(local, value.slice(0, colon))) createTerm(value.slice(0, colon))
    }
    return expandWithState(state, value)
  }

  /** The IRI of a term defined without @id: compact IRI, absolute IRI, or @vocab-relative. */
  const iriOfTerm = (term: string): string => {
    const colon = term.indexOf(':', 1)
    if (colon > 0) {
      const prefix = term.slice(0, colon)
      const suffix = term.slice(colon + 1)
      if (prefix === '_' || suffix.startsWith('//')) return term
      if (Object.hasOwn(local, prefix)) createTerm(prefix)
      const p = state.terms.get(prefix)
      if (p) return p.iri + suffix
      if (hasScheme(term)) return term
    }
    return (state.vocab ?? DEFAULT_VOCAB) + term
  }

  const buildDefinition = (term: string, raw: unknown): TermDefinition | null | undefined => {
    if (raw === null) return null
    let value: Record<string, unknown>
    const simple = typeof raw === 'string'
    if (typeof raw === 'string') value = { '@id': raw }
    else if (isPlainObject(raw)) value = raw
    else throw invalid(`the definition of term "${term}" must be a string, an object or null, got ${describe(raw)}`)

    const prot = value['@protected'] ?? defaultProtected
    if (typeof prot !== 'boolean') throw invalid(`@protected of term "${term}" must be true or false`)

    let type: string | undefined
    if ('@type' in value) {
      const t = value['@type']
      if (typeof t !== 'string') throw invalid(`@type of term "${term}" must be a string`)
      type = TYPE_KEYWORDS.has(t) ? t : expandIri(t)
      if (!TYPE_KEYWORDS.has(type) && !hasScheme(type)) throw invalid(`invalid @type mapping for term "${term}"`)
    }

    let iri: string
    let reverse = false
    if ('@reverse' in value) {
      const r = value['@reverse']
      if (typeof r !== 'string' || r.startsWith('@')) throw invalid(`@reverse of term "${term}" must be an IRI`)
      iri = expandIri(r)
      reverse = true
    } else if ('@id' in value && value['@id'] !== term) {
      const id = value['@id']
      if (id === null) return null
      if (typeof id !== 'string') throw invalid(`@id of term "${term}" must be a string`)
      if (id.startsWith('@')) {
        if (!KEYWORDS.has(id)) return undefined // keyword-like but not a keyword: JSON-LD ignores the term
        if (id === '@context') throw invalid(`term "${term}" cannot be an alias of @context`)
        iri = id
      } else {
        iri = expandIri(id)
      }
      if (!iri.startsWith('@') && !hasScheme(iri)) throw invalid(`invalid IRI mapping for term "${term}": ${iri}`)
    } else {
      iri = iriOfTerm(term)
    }

    let prefix: boolean
    if ('@prefix' in value) {
      const p = value['@prefix']
      if (typeof p !== 'boolean') throw invalid(`@prefix of term "${term}" must be true or false`)
      prefix = p && !term.includes(':') && !term.includes('/')
    } else {
      prefix = simple && !term.includes(':') && !term.includes('/') && endsWithGenDelim(iri)
    }

    const c = value['@container']
    let container: string | undefined
    if (typeof c === 'string') container = c
    else if (Array.isArray(c) && c.every((x) => typeof x === 'string')) container = c.join(',')
    else if (c !== undefined && c !== null) throw invalid(`@container of term "${term}" must be a string or an array`)

    return { iri, type, container, prefix, protected: prot, reverse, core: env.core === true }
  }

  const createTerm = (term: string): void => {
    const status = defined.get(term)
    if (status === true) return
    if (status === false) throw invalid(`cyclic IRI mapping involving term "${term}"`)
    defined.set(term, false)
    const def = buildDefinition(term, local[term])
    const previous = state.terms.get(term)
    if (previous?.protected && !previous.core && def !== undefined) {
      if (def === null || !sameDefinition(previous, def)) throw invalid(`protected term redefinition: "${term}"`)
    } else if (def === null) {
      state.terms.delete(term)
    } else if (def !== undefined) {
      state.terms.set(term, def)
    }
    defined.set(term, true)
  }

  if ('@vocab' in local) {
    const v = local['@vocab']
    if (v === null) state.vocab = undefined
    else if (typeof v === 'string' && v !== '') {
      const iri = expandWithState(state, v)
      if (!hasScheme(iri)) throw invalid(`@vocab must be an absolute IRI, got ${describe(v)}`)
      state.vocab = iri
    } else throw invalid(`@vocab must be an absolute IRI or null, got ${describe(v)}`)
  }

  for (const key of Object.keys(local)) {
    if (CONTEXT_KEYWORDS.has(key)) continue
    if (key === '') throw invalid('the empty string is not a valid term')
    if (key === '@context') throw invalid('a context cannot contain "@context" (give the context, not its document)')
    if (key.startsWith('@')) {
      if (KEYWORDS.has(key)) throw invalid(`${key} cannot be redefined in a context`)
      continue // keyword-like terms are ignored, as JSON-LD says
    }
    createTerm(key)
  }
}

/** IRI expansion with @vocab semantics against the terms defined so far. */
function expandWithState(state: ContextState, value: string): string {
  if (value.startsWith('@')) return value
  const def = state.terms.get(value)
  if (def) return def.iri
  const colon = value.indexOf(':')
  if (colon >= 0) {
    const prefix = value.slice(0, colon)
    const suffix = value.slice(colon + 1)
    if (prefix === '_' || suffix.startsWith('//')) return value
    const p = state.terms.get(prefix)
    if (p?.prefix) return p.iri + suffix
    if (hasScheme(value)) return value
  }
  return (state.vocab ?? DEFAULT_VOCAB) + value
}
