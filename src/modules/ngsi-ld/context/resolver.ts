/**
 * Resolves the @context of a request to an ActiveContext. Built-in contexts come from disk; other remote contexts
 * from memory, then the ContextStore, then the network (once: concurrent resolutions share one fetch, the document
 * is stored with kind 'Cached'). Resolved ActiveContexts are kept in an LRU, so the hot path is a map lookup.
 */
import { createHash } from 'node:crypto'
import { AppError, badRequest, isAppError } from '../../../errors.js'
import { coreActiveContext, JsonLdActiveContext } from './active-context.js'
import { getBuiltinDocument, isCoreContextUrl } from './builtin.js'
import { initialUserState } from './core-context.js'
import { contextNotAvailable, fetchContextDocument } from './fetch-context.js'
import { loadReferencedContexts } from './loader.js'
import { Lru } from './lru.js'
import { processContext } from './process-context.js'
import { describe, isPlainObject } from './term-definition.js'
import type { ActiveContext, ContextStore } from './types.js'

export interface ContextResolverOptions {
  readonly store: ContextStore
  /** Deadline of one remote context download (headers and body). */
  readonly fetchTimeoutMs?: number
  readonly maxBytes?: number
  readonly fetch?: typeof globalThis.fetch
  /** Size of the LRU of ActiveContexts (and of the in-memory document cache). */
  readonly maxCached?: number
  /** A failed download is not retried before this delay: requests fail fast meanwhile. 0 disables it. */
  readonly failureTtlMs?: number
  /** Maximum nesting of contexts referencing contexts. */
  readonly maxDepth?: number
  /** Policy hook: URLs it rejects are never fetched (LdContextNotAvailable). */
  readonly allowUrl?: (url: URL) => boolean
  readonly logger?: { warn(obj: object, msg?: string): void }
}

export interface ContextResolver {
  /** `contextValue`: the @context of the request (URL, object or array of them); undefined/null = core only. */
  resolve(contextValue: unknown): Promise<ActiveContext>
  /** The core-only ActiveContext (no user context). */
  readonly core: ActiveContext
  /** The document of a context URL (built-in, cached, stored or downloaded now). */
  loadDocument(url: string): Promise<Readonly<Record<string, unknown>>>
  /** Forgets what is cached in memory about `url` (all of it without argument), e.g. after the store changed. */
  invalidate(url?: string): void
}

/** The cache key of a context value: the URL itself, or a hash of the JSON of an inline context / array. */
export function contextKey(contextValue: unknown): string {
  if (typeof contextValue === 'string') return contextValue
  return 'sha256:' + createHash('sha256').update(JSON.stringify(contextValue)).digest('base64url')
}

type Doc = Readonly<Record<string, unknown>>

export function createContextResolver(options: ContextResolverOptions): ContextResolver {
  const {
    store,
    fetchTimeoutMs = 5000,
    maxBytes = 1_000_000,
    fetch = globalThis.fetch,
    maxCached = 200,
    failureTtlMs = 5000,
    maxDepth = 8,
    allowUrl,
    logger,
  } = options
  const contexts = new Lru<string, ActiveContext>(maxCached)
  const pendingContexts = new Map<string, Promise<ActiveContext>>()
  const documents = new Lru<string, Doc>(maxCached)
  const pendingDocuments = new Map<string, Promise<Doc>>()
  const failures = new Lru<string, { error: AppError; until: number }>(maxCached)
  /** Downloaded documents not yet stored: stored once a resolution using them succeeded. */
  const unstored = new Map<string, Doc>()

  async function readStore(url: string): Promise<Doc | undefined> {
    try {
      const row = await store.get(url)
      if (!row) return undefined
      const body = typeof row.body === 'string' ? JSON.parse(row.body) : row.body
      if (isPlainObject(body) && '@context' in body) return body
      logger?.warn({ url }, 'stored JSON-LD context is not a context document; fetching it again')
    } catch (err) {
      logger?.warn({ url, err }, 'reading a stored JSON-LD context failed')
    }
    return undefined
  }

  async function download(url: string): Promise<Doc> {
    const stored = await readStore(url)
    if (stored) return stored
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw badRequest(`Invalid JSON-LD @context: ${describe(url)} is not a URL`)
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw contextNotAvailable(url, `only http and https contexts can be retrieved`)
    }
    if (allowUrl && !allowUrl(parsed)) throw contextNotAvailable(url, 'this URL is not allowed by the configuration')
    try {
      const doc = await fetchContextDocument(url, { fetch, timeoutMs: fetchTimeoutMs, maxBytes })
      unstored.set(url, doc)
      return doc
    } catch (e) {
      if (failureTtlMs > 0 && isAppError(e)) failures.set(url, { error: e, until: Date.now() + failureTtlMs })
      throw e
    }
  }

  function loadDocument(url: string): Promise<Doc> {
    const builtin = getBuiltinDocument(url)
    if (builtin) return Promise.resolve(builtin)
    const cached = documents.get(url)
    if (cached) return Promise.resolve(cached)
    const failed = failures.get(url)
    if (failed && failed.until > Date.now()) {
      const { error } = failed
      return Promise.reject(new AppError(error.code, error.message, error.details))
    }
    let pending = pendingDocuments.get(url)
    if (!pending) {
      pending = download(url)
        .then((doc) => {
          documents.set(url, doc)
          return doc
        })
        .finally(() => pendingDocuments.delete(url))
      pendingDocuments.set(url, pending)
    }
    return pending
  }

  async function persist(urls: Iterable<string>): Promise<void> {
    for (const url of urls) {
      const doc = unstored.get(url)
      if (!doc) continue
      unstored.delete(url)
      try {
        await store.put(url, doc, 'Cached')
      } catch (err) {
        logger?.warn({ url, err }, 'storing a JSON-LD context failed')
      }
    }
  }

  async function build(key: string, value: unknown): Promise<ActiveContext> {
    const loaded = await loadReferencedContexts(value, {
      load: loadDocument,
      isCore: isCoreContextUrl,
      maxDepth,
      maxReferences: 64,
    })
    const state = processContext(initialUserState(), value, {
      contextOf: (url) => {
        if (!loaded.has(url)) throw new AppError('InternalError', `JSON-LD @context ${url} was not loaded`)
        return loaded.get(url)
      },
      isCore: isCoreContextUrl,
      initial: initialUserState,
      maxDepth,
    })
    const active = new JsonLdActiveContext(key, value, state)
    await persist(loaded.keys())
    contexts.set(key, active)
    return active
  }

  const core = coreActiveContext()

  return {
    core,
    loadDocument,
    resolve(contextValue: unknown): Promise<ActiveContext> {
      if (contextValue === undefined || contextValue === null) return Promise.resolve(core)
      if (Array.isArray(contextValue) ? contextValue.length === 0 : isCoreOnly(contextValue)) {
        return Promise.resolve(core)
      }
      if (typeof contextValue !== 'string' && !Array.isArray(contextValue) && !isPlainObject(contextValue)) {
        return Promise.reject(
          badRequest(`Invalid JSON-LD @context: expected a URL, an object or an array, got ${describe(contextValue)}`),
        )
      }
      const key = contextKey(contextValue)
      const hit = contexts.get(key)
      if (hit) return Promise.resolve(hit)
      let pending = pendingContexts.get(key)
      if (!pending) {
        pending = build(key, contextValue).finally(() => pendingContexts.delete(key))
        pendingContexts.set(key, pending)
      }
      return pending
    },
    invalidate(url?: string): void {
      contexts.clear()
      if (url === undefined) {
        documents.clear()
        failures.clear()
        unstored.clear()
      } else {
        documents.delete(url)
        failures.delete(url)
        unstored.delete(url)
      }
    },
  }
}

/** The unversioned/v1.8 core URL alone means "core only"; other core versions keep their own value to echo. */
function isCoreOnly(value: unknown): boolean {
  return typeof value === 'string' && value === coreActiveContext().value
}
