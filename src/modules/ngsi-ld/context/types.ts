/**
 * A resolved JSON-LD @context, as the NGSI-LD layer needs it: expansion of short names of types and attributes to
 * IRIs and compaction back. The core context (ETSI, built in) is always in force and protected.
 */
export interface ActiveContext {
  /** Stable key of this context (the list of URLs / inline objects), usable in caches. */
  readonly key: string
  /**
   * The @context value to echo in responses: the client's context value as given (a URL, an object or an array), or
   * the core context URL (v1.8) when the client gave none.
   */
  readonly value: unknown
  /**
   * Expands a short name (type name or attribute name) to its IRI. Absolute IRIs and compact IRIs (prefix:suffix with
   * a known prefix) are expanded/kept; unknown terms map to the default vocabulary
   * `https://uri.etsi.org/ngsi-ld/default-context/<term>` as the core context's @vocab says.
   */
  expand(term: string): string
  /** Compacts an IRI to the shortest matching term of this context, or returns the IRI unchanged. */
  compact(iri: string): string
  /** Expands a VocabProperty value (terms are expanded with @vocab semantics). */
  expandVocab(value: string): string
  compactVocab(iri: string): string
  /**
   * The `@type` coercion of a term (`@vocab`, `@id`, `@json`, `@none` or a datatype IRI), undefined if none. Values
   * of terms coerced to `@vocab` (such as VocabProperty `vocab`) are expanded with `expandVocab`.
   */
  coercion(term: string): string | undefined
}

/** Where user contexts are cached once fetched (a database table), so that restarts and other servers do not refetch. */
export interface ContextStore {
  get(url: string): Promise<{ body: unknown; fetchedAt: string } | undefined>
  put(url: string, body: unknown, kind: 'Cached' | 'Hosted'): Promise<void>
  list(): Promise<{ url: string; kind: 'Cached' | 'Hosted'; fetchedAt: string; bytes: number }[]>
  delete(url: string): Promise<boolean>
}
