import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppError, isAppError } from '../../../errors.js'
import { getContextDocument } from './documents.js'
import { MemoryContextStore } from './memory-store.js'
import { createContextResolver } from './resolver.js'

const hits = new Map<string, number>()
let base = ''
let server: http.Server

const json = (res: http.ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/ld+json' })
  res.end(JSON.stringify(body))
}

const routes: Record<string, (res: http.ServerResponse) => void> = {
  '/a.jsonld': (res) => json(res, { '@context': { temp: 'http://example.org/temperature' } }),
  '/b.jsonld': (res) => json(res, { '@context': { temp: 'http://example.org/b/temperature' } }),
  '/shared.jsonld': (res) => setTimeout(() => json(res, { '@context': { shared: 'http://example.org/shared' } }), 100),
  '/slow.jsonld': () => {}, // never answers
  '/trickle.jsonld': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.write('{"@context": {')
    // ... and never finishes the body
  },
  '/missing.jsonld': (res) => json(res, { error: 'no' }, 404),
  '/invalid.jsonld': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"@context": {"a": ')
  },
  '/no-context.jsonld': (res) => json(res, { terms: {} }),
  '/big.jsonld': (res) => json(res, { '@context': { pad: 'http://example.org/' + 'x'.repeat(20_000) } }),
  '/big-chunked.jsonld': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    for (let i = 0; i < 30; i++) res.write(' '.repeat(1000))
    res.end('{"@context": {}}')
  },
  '/bad-terms.jsonld': (res) => json(res, { '@context': { speed: 42 } }),
  '/includes.jsonld': (res) =>
    json(res, { '@context': [`${base}/a.jsonld`, { extra: 'http://example.org/extra' }, `${base}/deeper.jsonld`] }),
  '/deeper.jsonld': (res) => json(res, { '@context': { '@import': `${base}/imported.jsonld`, deep: 'ex:deep' } }),
  '/imported.jsonld': (res) => json(res, { '@context': { ex: 'http://example.org/ex#' } }),
  '/loop-a.jsonld': (res) => json(res, { '@context': [`${base}/loop-b.jsonld`] }),
  '/loop-b.jsonld': (res) => json(res, { '@context': [{ b: 'http://example.org/b' }, `${base}/loop-a.jsonld`] }),
  '/redirect.jsonld': (res) => {
    res.writeHead(302, { location: '/a.jsonld' })
    res.end()
  },
  '/uses-core.jsonld': (res) =>
    json(res, {
      '@context': [
        { speed: 'http://example.org/speed' },
        'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld',
      ],
    }),
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? '/'
    hits.set(path, (hits.get(path) ?? 0) + 1)
    const route = routes[path]
    if (route) route(res)
    else json(res, {}, 404)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const resolver = (store = new MemoryContextStore(), more: { maxBytes?: number; failureTtlMs?: number } = {}) =>
  createContextResolver({ store, fetchTimeoutMs: 300, ...more })

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (e) {
    if (isAppError(e)) return e
    throw e
  }
  throw new Error('expected an AppError')
}

describe('remote contexts', () => {
  it('fetches a context once, stores it, and a second resolver with the same store does not refetch', async () => {
    const store = new MemoryContextStore()
    const url = `${base}/a.jsonld`
    const first = await resolver(store).resolve(url)
    expect(first.expand('temp')).toBe('http://example.org/temperature')
    expect(hits.get('/a.jsonld')).toBe(1)
    expect((await store.get(url))?.body).toEqual({ '@context': { temp: 'http://example.org/temperature' } })
    expect((await store.list()).map((r) => [r.url, r.kind])).toEqual([[url, 'Cached']])

    const second = await resolver(store).resolve([url, { more: 'http://example.org/more' }])
    expect(second.expand('temp')).toBe('http://example.org/temperature')
    expect(hits.get('/a.jsonld')).toBe(1)
    expect((await getContextDocument(url, store))?.source).toBe('Stored')
  })

  it('shares one fetch between concurrent resolutions', async () => {
    const r = resolver()
    const url = `${base}/shared.jsonld`
    const all = await Promise.all([
      r.resolve(url),
      r.resolve(url),
      r.resolve([url]),
      r.resolve([url, { x: 'http://example.org/x' }]),
    ])
    expect(all.every((c) => c.expand('shared') === 'http://example.org/shared')).toBe(true)
    expect(all[0]).toBe(all[1])
    expect(hits.get('/shared.jsonld')).toBe(1)
  })

  it('fails with LdContextNotAvailable within the timeout when the server does not answer', async () => {
    for (const path of ['/slow.jsonld', '/trickle.jsonld']) {
      const t0 = Date.now()
      const e = await failure(resolver().resolve(`${base}${path}`))
      const elapsed = Date.now() - t0
      expect(e.code).toBe('LdContextNotAvailable')
      expect(e.status).toBe(503)
      expect(e.message).toContain(`${base}${path}`)
      expect(e.message).toMatch(/300 ms/)
      expect(elapsed).toBeGreaterThanOrEqual(250)
      expect(elapsed).toBeLessThan(1500)
    }
  })

  it.each([
    ['/missing.jsonld', /HTTP 404/],
    ['/invalid.jsonld', /not valid JSON/],
    ['/no-context.jsonld', /no "@context" member/],
    ['/big.jsonld', /larger than 10000 bytes/],
    ['/big-chunked.jsonld', /larger than 10000 bytes/],
  ])('fails with LdContextNotAvailable for %s', async (path, reason) => {
    const e = await failure(resolver(new MemoryContextStore(), { maxBytes: 10_000 }).resolve(`${base}${path}`))
    expect(e.code).toBe('LdContextNotAvailable')
    expect(e.message).toContain(`${base}${path}`)
    expect(e.message).toMatch(reason)
  })

  it('fails fast for a refused connection', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const e = await failure(resolver().resolve(`http://127.0.0.1:${port}/ctx.jsonld`))
    expect(e.code).toBe('LdContextNotAvailable')
    expect(e.message).toMatch(/ECONNREFUSED/)
  })

  it('does not retry a failed URL before failureTtlMs, and does after invalidate()', async () => {
    const r = resolver()
    const url = `${base}/missing.jsonld`
    const before = hits.get('/missing.jsonld') ?? 0
    await failure(r.resolve(url))
    expect((await failure(r.resolve(url))).code).toBe('LdContextNotAvailable')
    expect(hits.get('/missing.jsonld')).toBe(before + 1)
    r.invalidate(url)
    await failure(r.resolve(url))
    expect(hits.get('/missing.jsonld')).toBe(before + 2)
  })

  it('does not store a context whose definitions are invalid', async () => {
    const store = new MemoryContextStore()
    const e = await failure(resolver(store).resolve(`${base}/bad-terms.jsonld`))
    expect(e.code).toBe('BadRequestData')
    expect(await store.list()).toEqual([])
  })

  it('resolves contexts referenced from fetched contexts, including @import', async () => {
    const store = new MemoryContextStore()
    const ctx = await resolver(store).resolve(`${base}/includes.jsonld`)
    expect(ctx.expand('temp')).toBe('http://example.org/temperature')
    expect(ctx.expand('extra')).toBe('http://example.org/extra')
    expect(ctx.expand('deep')).toBe('http://example.org/ex#deep')
    expect(ctx.expand('ex:thing')).toBe('http://example.org/ex#thing')
    expect((await store.list()).map((r) => r.url).sort()).toEqual(
      ['/a.jsonld', '/deeper.jsonld', '/imported.jsonld', '/includes.jsonld'].map((p) => base + p).sort(),
    )
  })

  it('rejects a loop of contexts', async () => {
    const e = await failure(resolver().resolve(`${base}/loop-a.jsonld`))
    expect(e.code).toBe('BadRequestData')
    expect(e.message).toMatch(/recursive context inclusion/)
  })

  it('follows redirects', async () => {
    const ctx = await resolver().resolve(`${base}/redirect.jsonld`)
    expect(ctx.expand('temp')).toBe('http://example.org/temperature')
  })

  it('never fetches the core context referenced from a user context', async () => {
    const noNetwork = async (url: string | URL | Request) => {
      if (String(url).startsWith(base)) return fetch(url)
      throw new Error(`network must not be used for ${String(url)}`)
    }
    const r = createContextResolver({ store: new MemoryContextStore(), fetch: noNetwork as typeof fetch })
    const ctx = await r.resolve(`${base}/uses-core.jsonld`)
    expect(ctx.expand('speed')).toBe('http://example.org/speed')
    expect(ctx.expand('Property')).toBe('https://uri.etsi.org/ngsi-ld/Property')
  })

  it('serves different contexts for the same short name', async () => {
    const r = resolver()
    const a = await r.resolve(`${base}/a.jsonld`)
    const b = await r.resolve(`${base}/b.jsonld`)
    expect(a.expand('temp')).not.toBe(b.expand('temp'))
    expect(b.compact('http://example.org/b/temperature')).toBe('temp')
    expect(a.compact('http://example.org/b/temperature')).toBe('http://example.org/b/temperature')
  })
})
