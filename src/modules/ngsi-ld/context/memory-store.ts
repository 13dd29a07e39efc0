/** An in-memory ContextStore (tests, and single-process setups without a database). */
import type { ContextStore } from './types.js'

interface Row {
  body: unknown
  kind: 'Cached' | 'Hosted'
  fetchedAt: string
  bytes: number
}

export class MemoryContextStore implements ContextStore {
  private readonly rows = new Map<string, Row>()
  /** Number of `get` and `put` calls, for tests. */
  readonly calls = { get: 0, put: 0 }

  async get(url: string): Promise<{ body: unknown; fetchedAt: string } | undefined> {
    this.calls.get++
    const row = this.rows.get(url)
    return row && { body: row.body, fetchedAt: row.fetchedAt }
  }

  async put(url: string, body: unknown, kind: 'Cached' | 'Hosted'): Promise<void> {
    this.calls.put++
    const bytes = Buffer.byteLength(JSON.stringify(body) ?? '')
    this.rows.set(url, { body, kind, fetchedAt: new Date().toISOString(), bytes })
  }

  async list(): Promise<{ url: string; kind: 'Cached' | 'Hosted'; fetchedAt: string; bytes: number }[]> {
    return [...this.rows].map(([url, { kind, fetchedAt, bytes }]) => ({ url, kind, fetchedAt, bytes }))
  }

  async delete(url: string): Promise<boolean> {
    return this.rows.delete(url)
  }
}
