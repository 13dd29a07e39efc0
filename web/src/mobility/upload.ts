/**
 * CSV upload with progress: `POST /imports/{kind}` with the file as the body and `Accept: application/x-ndjson`; the
 * answer is read as it streams, one JSON object per line: `{progress: {rows, imported, rejected}}` lines, then
 * `{summary: {...}}`. A plain JSON answer (no streaming) is taken as the summary.
 */
import { ApiError, getCsrfToken } from '../api'
import type { ImportProgress, ImportSummary } from './types'

/** Calls `onLine` with each JSON line of a streamed body; returns the lines. */
export async function readNdjson(body: ReadableStream<Uint8Array>, onLine: (o: unknown) => void): Promise<unknown[]> {
  const reader = body.getReader()
  const dec = new TextDecoder()
  const out: unknown[] = []
  let buf = ''
  const take = (line: string) => {
    const s = line.trim()
    if (!s) return
    const o = JSON.parse(s) as unknown
    out.push(o)
    onLine(o)
  }
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    buf += dec.decode(value, { stream: true })
    let i = buf.indexOf('\n')
    while (i >= 0) {
      take(buf.slice(0, i))
      buf = buf.slice(i + 1)
      i = buf.indexOf('\n')
    }
  }
  buf += dec.decode()
  take(buf)
  return out
}

function problem(o: unknown): string | null {
  if (!o || typeof o !== 'object') return null
  const p = o as { error?: unknown; detail?: string; title?: string }
  if (p.error === undefined) return null
  if (typeof p.error === 'string') return p.error
  const e = p.error as { message?: string; detail?: string; title?: string }
  return e.detail ?? e.message ?? e.title ?? 'error'
}

export async function uploadCsv(
  tenant: string,
  kind: 'presence' | 'flows',
  file: Blob,
  onProgress: (p: ImportProgress) => void,
  signal?: AbortSignal,
): Promise<ImportSummary> {
  const name = (file as { name?: string }).name
  const query = name ? `?filename=${encodeURIComponent(name)}` : ''
  const headers: Record<string, string> = { 'content-type': 'text/csv', accept: 'application/x-ndjson' }
  const csrf = getCsrfToken()
  if (csrf) headers['x-csrf-token'] = csrf
  const res = await fetch(`/api/mobility/${encodeURIComponent(tenant)}/imports/${kind}${query}`, {
    method: 'POST',
    headers,
    body: file,
    credentials: 'same-origin',
    signal,
  })
  const type = res.headers.get('content-type') ?? ''
  if (!res.ok || !type.includes('ndjson') || !res.body) {
    const text = await res.text()
    let data: unknown = null
    try {
      data = text ? JSON.parse(text) : null
    } catch {
      data = text
    }
    if (!res.ok) {
      const p = (data ?? {}) as { detail?: string; title?: string; message?: string; code?: string }
      throw new ApiError(res.status, p.detail || p.title || p.message || `HTTP ${res.status}`, p.code)
    }
    const d = data as { summary?: ImportSummary } & ImportSummary
    return d.summary ?? d
  }
  let summary: ImportSummary | undefined
  let error: string | null = null
  await readNdjson(res.body, (o) => {
    const x = o as { progress?: ImportProgress; summary?: ImportSummary }
    if (x.progress) onProgress(x.progress)
    if (x.summary) summary = x.summary
    error ??= problem(o)
  })
  if (error) throw new ApiError(500, error)
  if (!summary) throw new ApiError(500, 'no summary in the answer')
  return summary
}
