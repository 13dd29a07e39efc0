/** Context documents for the `/jsonldContexts` API: built-in ones from disk, the others from the ContextStore. */
import { getBuiltinDocument } from './builtin.js'
import type { ContextStore } from './types.js'

export { type BuiltinContextInfo, listBuiltinContexts } from './builtin.js'

export interface ContextDocument {
  readonly url: string
  /** The document, `{ "@context": ... }`. */
  readonly body: unknown
  /** 'Builtin': shipped in data/contexts (never fetched); 'Stored': from the ContextStore (Cached or Hosted). */
  readonly source: 'Builtin' | 'Stored'
  readonly fetchedAt?: string
}

/** The document of a built-in or stored context; undefined if neither (it is never downloaded here). */
export async function getContextDocument(url: string, store?: ContextStore): Promise<ContextDocument | undefined> {
  const builtin = getBuiltinDocument(url)
  if (builtin) return { url, body: builtin, source: 'Builtin' }
  const row = await store?.get(url)
  if (!row) return undefined
  const body = typeof row.body === 'string' ? JSON.parse(row.body) : row.body
  return { url, body, source: 'Stored', fetchedAt: row.fetchedAt }
}
