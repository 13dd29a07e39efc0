/**
 * An ActiveContext: the user's processed contexts with the NGSI-LD core context applied last (a user context cannot
 * change a core term). Expansion and compaction are map lookups after warm-up (precomputed maps + bounded memos).
 */
import { DEFAULT_RESPONSE_CONTEXT, DEFAULT_VOCAB } from './builtin.js'
import { getCoreState } from './core-context.js'
import { type ContextState, hasScheme, type TermDefinition } from './term-definition.js'
import type { ActiveContext } from './types.js'

const MAX_MEMO = 10_000

/** Shorter wins, then lexicographic order: deterministic whatever the order of the definitions. */
const better = (candidate: string, current: string | undefined): boolean =>
  current === undefined ||
  candidate.length < current.length ||
  (candidate.length === current.length && candidate < current)

export class JsonLdActiveContext implements ActiveContext {
  readonly key: string
  readonly value: unknown
  private readonly terms: Map<string, TermDefinition>
  private readonly vocab: string
  private readonly termByIri = new Map<string, string>()
  private readonly prefixes: [term: string, iri: string][] = []
  private readonly expandMemo = new Map<string, string>()
  private readonly compactMemo = new Map<string, string>()

  /**
   * @param user the processed user contexts (undefined = core only)
   * @param value the context value as the client gave it (undefined = none)
   */
  constructor(key: string, value: unknown, user: ContextState | undefined, core: ContextState = getCoreState()) {
    this.key = key
    this.value = value ?? DEFAULT_RESPONSE_CONTEXT
    this.terms = new Map(user?.terms)
    for (const [term, def] of core.terms) this.terms.set(term, def)
    this.vocab = user?.vocab ?? core.vocab ?? DEFAULT_VOCAB
    for (const [term, def] of this.terms) {
      if (def.reverse) continue
      if (better(term, this.termByIri.get(def.iri))) this.termByIri.set(def.iri, term)
      if (def.prefix && !def.iri.startsWith('@')) this.prefixes.push([term, def.iri])
    }
  }

  expand(term: string): string {
    let iri = this.expandMemo.get(term)
    if (iri === undefined) {
      iri = this.computeExpand(term)
      remember(this.expandMemo, term, iri)
    }
    return iri
  }

  compact(iri: string): string {
    let term = this.compactMemo.get(iri)
    if (term === undefined) {
      term = this.computeCompact(iri)
      remember(this.compactMemo, iri, term)
    }
    return term
  }

  /** VocabProperty values are expanded with @vocab semantics: the same rules as for terms. */
  expandVocab(value: string): string {
    return this.expand(value)
  }

  compactVocab(iri: string): string {
    return this.compact(iri)
  }

  coercion(term: string): string | undefined {
    return this.terms.get(term)?.type
  }

  private computeExpand(term: string): string {
    const def = this.terms.get(term)
    if (def) return def.iri
    if (term.startsWith('@')) return term
    const colon = term.indexOf(':')
    if (colon >= 0) {
      const prefix = term.slice(0, colon)
      const suffix = term.slice(colon + 1)
      if (prefix === '_') return term
      if (!suffix.startsWith('//')) {
        const p = this.terms.get(prefix)
        if (p?.prefix) return p.iri + suffix
      }
      if (hasScheme(term)) return term
    }
    return this.vocab + term
  }

  private computeCompact(iri: string): string {
    const term = this.termByIri.get(iri)
    if (term !== undefined) return term
    if (iri.length > this.vocab.length && iri.startsWith(this.vocab)) {
      const suffix = iri.slice(this.vocab.length)
      if (!suffix.includes(':') && !suffix.startsWith('@') && !this.terms.has(suffix)) return suffix
    }
    let best: string | undefined
    for (const [prefix, prefixIri] of this.prefixes) {
      if (iri.length <= prefixIri.length || !iri.startsWith(prefixIri)) continue
      const suffix = iri.slice(prefixIri.length)
      if (suffix.startsWith('//')) continue
      const candidate = `${prefix}:${suffix}`
      const clash = this.terms.get(candidate)
      if (clash && clash.iri !== iri) continue
      if (better(candidate, best)) best = candidate
    }
    return best ?? iri
  }
}

function remember(memo: Map<string, string>, key: string, value: string): void {
  if (memo.size >= MAX_MEMO) memo.clear()
  memo.set(key, value)
}

let coreOnly: JsonLdActiveContext | undefined

/** The ActiveContext of requests without a user context (core only); `value` is the v1.8 core context URL. */
export function coreActiveContext(): JsonLdActiveContext {
  coreOnly ??= new JsonLdActiveContext(DEFAULT_RESPONSE_CONTEXT, undefined, undefined)
  return coreOnly
}
