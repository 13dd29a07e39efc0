/**
 * Loads every remote context a context value references, recursively (contexts referencing contexts, @import), so
 * that processing can then run synchronously. Siblings load in parallel; loops and too deep nesting are rejected.
 */
import { badRequest } from '../../../errors.js'
import { checkRemote } from './process-context.js'
import { isPlainObject } from './term-definition.js'

export interface LoadOptions {
  /** Returns the document (`{ "@context": ... }`) of a remote context URL. */
  readonly load: (url: string) => Promise<Readonly<Record<string, unknown>>>
  /** Core context URLs are never loaded. */
  readonly isCore: (url: string) => boolean
  readonly maxDepth: number
  /** Upper bound on context references followed in one resolution (guards against reference fan-out). */
  readonly maxReferences: number
}

/** Returns the `@context` member of each remote document the value references, by URL. */
export async function loadReferencedContexts(value: unknown, options: LoadOptions): Promise<Map<string, unknown>> {
  const contexts = new Map<string, unknown>()
  let references = 0

  const follow = async (url: string, chain: readonly string[]): Promise<void> => {
    if (options.isCore(url)) return
    checkRemote(url, chain, options)
    if (++references > options.maxReferences) {
      throw badRequest(`Invalid JSON-LD @context: more than ${options.maxReferences} context references`)
    }
    let ctx = contexts.get(url)
    if (!contexts.has(url)) {
      ctx = (await options.load(url))['@context']
      contexts.set(url, ctx)
    }
    await walk(ctx, [...chain, url])
  }

  const walk = async (local: unknown, chain: readonly string[]): Promise<void> => {
    if (typeof local === 'string') return follow(local, chain)
    if (Array.isArray(local)) {
      await Promise.all(local.map((item) => walk(item, chain)))
    } else if (isPlainObject(local) && typeof local['@import'] === 'string') {
      await follow(local['@import'], chain)
    }
  }

  await walk(value, [])
  return contexts
}
