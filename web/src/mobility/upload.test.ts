import { afterEach, describe, expect, it, vi } from 'vitest'
import { setCsrfToken } from '../api'
import { readNdjson, uploadCsv } from './upload'

function stream(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder()
  return new ReadableStream({
    start(c) {
      for (const x of chunks) c.enqueue(enc.encode(x))
      c.close()
    },
  })
}

afterEach(() => {
  vi.unstubAllGlobals()
  setCsrfToken(null)
})

describe('CSV upload', () => {
  it('reads NDJSON lines split anywhere across chunks', async () => {
    const seen: unknown[] = []
    const all = await readNdjson(
      stream(['{"progress":{"ro', 'ws":10}}\n{"progress":{"rows":20}}\n\n{"summ', 'ary":{"rows":3}}']),
      (o) => seen.push(o),
    )
    expect(all).toEqual([{ progress: { rows: 10 } }, { progress: { rows: 20 } }, { summary: { rows: 3 } }])
    expect(seen.length).toBe(3)
  })

  it('posts the file as text/csv with the CSRF token, reports progress and returns the summary', async () => {
    setCsrfToken('tok')
    const summary = {
      id: 7,
      rows: 3,
      imported: 2,
      rejected: 1,
      problems: [{ line: 3, reason: 'bad hour' }],
      days: { from: '2026-11-01', to: '2026-11-01' },
      seconds: 0.1,
    }
    const fetchMock = vi.fn(
      async (_url: string, _init?: RequestInit) =>
        new Response(
          stream([
            '{"progress":{"rows":2,"imported":2,"rejected":0}}\n',
            `{"progress":{"rows":3,"imported":2,"rejected":1}}\n${JSON.stringify({ summary })}\n`,
          ]),
          { status: 200, headers: { 'content-type': 'application/x-ndjson' } },
        ),
    )
    vi.stubGlobal('fetch', fetchMock)
    const progress: number[] = []
    const file = new Blob(['zone,day\n'], { type: 'text/csv' })
    const r = await uploadCsv('046017', 'presence', file, (p) => progress.push(p.rows))
    expect(r).toEqual(summary)
    expect(progress).toEqual([2, 3])
    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/api/mobility/046017/imports/presence')
    const h = init!.headers as Record<string, string>
    expect(h['content-type']).toBe('text/csv')
    expect(h.accept).toBe('application/x-ndjson')
    expect(h['x-csrf-token']).toBe('tok')
    expect(init!.body).toBe(file)
  })

  it('takes a plain JSON answer as the summary and a problem+json as an error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ id: 1, rows: 1, imported: 1, rejected: 0, problems: [] }), { status: 200 }),
      ),
    )
    expect((await uploadCsv('x', 'flows', new Blob(['a']), () => {})).imported).toBe(1)
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ title: 'Forbidden', detail: 'operator role needed' }), { status: 403 }),
      ),
    )
    await expect(uploadCsv('x', 'flows', new Blob(['a']), () => {})).rejects.toThrow('operator role needed')
  })
})
