import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { A, B, createTestApp, type TestApp } from '../support/app.js'

const entity = (id: string) => ({ id, type: 'Thing', size: { type: 'Property', value: 1 } })

describe('NGSI-LD tenants', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t?.close())

  /** Every NGSI-LD route, called with tenant A's admin key on tenant B: always 403, nothing changes. */
  const ROUTES: [string, string, unknown?][] = [
    ['POST', '/entities', entity('urn:x:1')],
    ['GET', '/entities?type=Thing'],
    ['GET', '/entities/urn:x:1'],
    ['PUT', '/entities/urn:x:1', { type: 'Thing' }],
    ['PATCH', '/entities/urn:x:1', { size: 2 }],
    ['DELETE', '/entities/urn:x:1'],
    ['POST', '/entities/urn:x:1/attrs', { size: 2 }],
    ['PATCH', '/entities/urn:x:1/attrs', { size: 2 }],
    ['PATCH', '/entities/urn:x:1/attrs/size', { value: 2 }],
    ['PUT', '/entities/urn:x:1/attrs/size', { type: 'Property', value: 2 }],
    ['DELETE', '/entities/urn:x:1/attrs/size'],
    ['POST', '/entityOperations/create', [entity('urn:x:2')]],
    ['POST', '/entityOperations/upsert', [entity('urn:x:2')]],
    ['POST', '/entityOperations/update', [entity('urn:x:2')]],
    ['POST', '/entityOperations/delete', ['urn:x:2']],
    ['POST', '/entityOperations/query', { type: 'Query', entities: [{ type: 'Thing' }] }],
    ['GET', '/types'],
    ['GET', '/types/Thing'],
    ['GET', '/attributes'],
    ['GET', '/attributes/size'],
    ['GET', '/jsonldContexts'],
    ['POST', '/jsonldContexts', { '@context': { a: 'https://example.org/a' } }],
  ]

  it('covers every NGSI-LD route', () => {
    // /jsonldContexts/{id} is not tenant data: its documents are public, deleting one is for platform admins.
    const norm = (u: string) =>
      u
        .split('?')[0]!
        .replace('urn:x:1', ':entityId')
        .replace(/\/attrs\/size$/, '/attrs/:attrId')
        .replace('/types/Thing', '/types/:type')
        .replace('/attributes/size', '/attributes/:attrId')
    const covered = new Set(ROUTES.map(([m, u]) => `${m} ${norm(u)}`))
    const missing = t.routes
      .filter((r) => r.url.startsWith('/ngsi-ld/v1') && !r.url.endsWith(':contextId'))
      // subscriptions: every route is covered by test/ngsi-ld/subscriptions-tenants.test.ts
      .filter((r) => !r.url.startsWith('/ngsi-ld/v1/subscriptions'))
      // temporal API: every route is covered by test/ngsi-ld/temporal-tenants.test.ts
      .filter((r) => !r.url.startsWith('/ngsi-ld/v1/temporal'))
      .map((r) => `${r.method} ${r.url.replace('/ngsi-ld/v1', '')}`)
      .filter((r) => !covered.has(r))
    expect(missing).toEqual([])
  })

  for (const [method, url, payload] of ROUTES) {
    it(`${method} ${url}: a key of tenant A gets 403 on tenant B`, async () => {
      await t.call({
        method: 'POST',
        url: '/ngsi-ld/v1/entities',
        key: t.keys[B]!.operator,
        headers: { 'NGSILD-Tenant': B },
        payload: entity('urn:x:1'),
      })
      const r = await t.call({
        method: method as 'GET',
        url: `/ngsi-ld/v1${url}`,
        key: t.keys[A]!.admin,
        headers: { 'NGSILD-Tenant': B },
        ...(payload ? { payload: payload as object } : {}),
      })
      expect(r.statusCode).toBe(403)
      const still = await t.call({
        method: 'GET',
        url: '/ngsi-ld/v1/entities/urn:x:1?options=keyValues',
        key: t.keys[B]!.viewer,
        headers: { 'NGSILD-Tenant': B },
      })
      expect(still.json()).toEqual({ id: 'urn:x:1', type: 'Thing', size: 1 })
    })
  }

  it('uses the default tenant without the header', async () => {
    await t.call({
      method: 'POST',
      url: '/ngsi-ld/v1/entities',
      key: t.keys[A]!.operator,
      payload: entity('urn:default:1'),
    })
    const r = await t.call({
      method: 'GET',
      url: '/ngsi-ld/v1/entities/urn:default:1',
      key: t.keys[A]!.viewer,
      headers: { 'NGSILD-Tenant': A },
    })
    expect(r.statusCode).toBe(200)
  })

  it('lets a platform admin create a tenant by writing into it; others get 404 NonexistentTenant', async () => {
    const root = await t.login('root')
    const read = await t.call({
      method: 'GET',
      url: '/ngsi-ld/v1/entities?type=Thing',
      session: root,
      headers: { 'NGSILD-Tenant': '099099' },
    })
    expect(read.statusCode).toBe(404)
    expect(read.json().type).toBe('https://uri.etsi.org/ngsi-ld/errors/NonexistentTenant')
    const w = await t.call({
      method: 'POST',
      url: '/ngsi-ld/v1/entities',
      session: root,
      headers: { 'NGSILD-Tenant': '099099' },
      payload: entity('urn:new:1'),
    })
    expect(w.statusCode).toBe(201)
    expect((await t.app.inject('/api/tenants/099099')).statusCode).toBe(200)
    const bad = await t.call({
      method: 'GET',
      url: '/ngsi-ld/v1/entities?type=Thing',
      session: root,
      headers: { 'NGSILD-Tenant': 'no spaces allowed' },
    })
    expect(bad.statusCode).toBe(400)
  })
})

describe('open mode (URBE_ANONYMOUS_ROLE)', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({ URBE_ANONYMOUS_ROLE: 'admin' })
  })
  afterAll(() => t?.close())

  it('lets requests without credentials act with that role, on the default or a named tenant', async () => {
    expect(
      (await t.app.inject({ method: 'POST', url: '/ngsi-ld/v1/entities', payload: entity('urn:open:1') })).statusCode,
    ).toBe(201)
    const named = await t.app.inject({
      method: 'POST',
      url: '/ngsi-ld/v1/entities',
      headers: { 'NGSILD-Tenant': 'conformance' },
      payload: entity('urn:open:1'),
    })
    expect(named.statusCode).toBe(201)
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/ngsi-ld/v1/entities/urn:open:1',
          headers: { 'NGSILD-Tenant': 'conformance' },
        })
      ).statusCode,
    ).toBe(200)
    // a wrong key is still refused
    expect(
      (await t.call({ method: 'GET', url: '/ngsi-ld/v1/entities/urn:open:1', key: 'urbe_000000000000_x' })).statusCode,
    ).toBe(401)
  })
})

describe('user @contexts', () => {
  let t: TestApp
  let server: http.Server
  let base: string
  let hits = 0
  const CONTEXT = { '@context': { Lamp: 'https://example.org/city#Lamp', power: 'https://example.org/city#powerDraw' } }
  const OTHER = { '@context': { Lamp: 'https://other.example/Lamp', power: 'https://other.example/power' } }

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++
      if (req.url === '/city.jsonld')
        return res.writeHead(200, { 'content-type': 'application/ld+json' }).end(JSON.stringify(CONTEXT))
      if (req.url === '/other.jsonld')
        return res.writeHead(200, { 'content-type': 'application/ld+json' }).end(JSON.stringify(OTHER))
      if (req.url === '/slow.jsonld') return // never answers
      res.writeHead(404).end()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    t = await createTestApp({ URBE_CONTEXT_TIMEOUT_MS: '300' })
  })
  afterAll(async () => {
    server.closeAllConnections()
    server.close()
    await t?.close()
  })

  const link = (url: string) => ({
    link: `<${url}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
  })

  it('fetches a user context once, stores it, and expands and compacts with it', async () => {
    const r = await t.call({
      method: 'POST',
      url: '/ngsi-ld/v1/entities',
      key: t.keys[A]!.operator,
      headers: link(`${base}/city.jsonld`),
      payload: { id: 'urn:lamp:1', type: 'Lamp', power: 40 },
    })
    expect(r.statusCode).toBe(201)
    expect(hits).toBe(1)
    const stored = await t.database.db.selectFrom('ngsi_contexts').select(['url', 'kind']).execute()
    expect(stored).toEqual([{ url: `${base}/city.jsonld`, kind: 'Cached' }])
    const back = await t.call({
      method: 'GET',
      url: '/ngsi-ld/v1/entities/urn:lamp:1?options=keyValues',
      key: t.keys[A]!.viewer,
      headers: link(`${base}/city.jsonld`),
    })
    expect(back.json()).toEqual({ id: 'urn:lamp:1', type: 'Lamp', power: 40 })
    expect(back.headers.link).toContain(`${base}/city.jsonld`)
    const full = await t.call({
      method: 'GET',
      url: '/ngsi-ld/v1/entities/urn:lamp:1?options=keyValues',
      key: t.keys[A]!.viewer,
    })
    expect(full.json()).toEqual({
      id: 'urn:lamp:1',
      type: 'https://example.org/city#Lamp',
      'https://example.org/city#powerDraw': 40,
    })
  })

  it('gives one short name two meanings under two contexts', async () => {
    await t.call({
      method: 'POST',
      url: '/ngsi-ld/v1/entities',
      key: t.keys[A]!.operator,
      headers: link(`${base}/other.jsonld`),
      payload: { id: 'urn:lamp:2', type: 'Lamp', power: 7 },
    })
    const city = await t.call({
      method: 'GET',
      url: '/ngsi-ld/v1/entities?type=Lamp&options=keyValues',
      key: t.keys[A]!.viewer,
      headers: link(`${base}/city.jsonld`),
    })
    expect(city.json().map((e: { id: string }) => e.id)).toEqual(['urn:lamp:1'])
    const other = await t.call({
      method: 'GET',
      url: '/ngsi-ld/v1/entities?type=Lamp&q=power==7&options=keyValues',
      key: t.keys[A]!.viewer,
      headers: link(`${base}/other.jsonld`),
    })
    expect(other.json()).toEqual([{ id: 'urn:lamp:2', type: 'Lamp', power: 7 }])
  })

  it('does not refetch after a restart or from a second server', async () => {
    const before = hits
    const second = await buildApp({
      database: t.database,
      config: loadConfig({ LOG_LEVEL: 'silent', URBE_DEMO: 'false' }),
    })
    try {
      const r = await second.app.inject({
        method: 'GET',
        url: '/ngsi-ld/v1/entities/urn:lamp:1?options=keyValues',
        headers: { authorization: `Bearer ${t.keys[A]!.viewer}`, ...link(`${base}/city.jsonld`) },
      })
      expect(r.json().power).toBe(40)
      expect(hits).toBe(before)
    } finally {
      await second.app.close()
    }
  })

  it('answers 503 LdContextNotAvailable quickly for an unreachable context, and writes nothing', async () => {
    for (const url of [`${base}/slow.jsonld`, `${base}/missing.jsonld`, 'http://127.0.0.1:1/none.jsonld']) {
      const started = Date.now()
      const r = await t.call({
        method: 'POST',
        url: '/ngsi-ld/v1/entities',
        key: t.keys[A]!.operator,
        headers: link(url),
        payload: { id: 'urn:lamp:9', type: 'Lamp' },
      })
      expect(r.statusCode).toBe(503)
      expect(r.json().type).toBe('https://uri.etsi.org/ngsi-ld/errors/LdContextNotAvailable')
      expect(Date.now() - started).toBeLessThan(3000)
    }
    expect(
      (await t.call({ method: 'GET', url: '/ngsi-ld/v1/entities/urn:lamp:9', key: t.keys[A]!.viewer })).statusCode,
    ).toBe(404)
  })

  it('lists, serves, hosts and deletes contexts', async () => {
    const list = (await t.call({ method: 'GET', url: '/ngsi-ld/v1/jsonldContexts', key: t.keys[A]!.viewer })).json()
    expect(list).toContain(`${base}/city.jsonld`)
    expect(list).toContain('https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld')
    const one = await t.call({
      method: 'GET',
      url: `/ngsi-ld/v1/jsonldContexts/${encodeURIComponent(`${base}/city.jsonld`)}`,
    })
    expect(one.json()).toEqual(CONTEXT)
    const hosted = await t.call({
      method: 'POST',
      url: '/ngsi-ld/v1/jsonldContexts',
      key: t.keys[A]!.operator,
      payload: { '@context': { Bench: 'https://example.org/Bench' } },
    })
    expect(hosted.statusCode).toBe(201)
    const served = await t.app.inject({ method: 'GET', url: hosted.headers.location as string })
    expect(served.json()['@context'].Bench).toBe('https://example.org/Bench')
    expect(
      (
        await t.call({
          method: 'POST',
          url: '/ngsi-ld/v1/jsonldContexts',
          key: t.keys[A]!.operator,
          payload: { nope: 1 },
        })
      ).statusCode,
    ).toBe(400)
    const root = await t.login('root')
    const core = encodeURIComponent('https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld')
    expect(
      (await t.call({ method: 'DELETE', url: `/ngsi-ld/v1/jsonldContexts/${core}`, session: root })).statusCode,
    ).toBe(422)
    expect(
      (
        await t.call({
          method: 'DELETE',
          url: `/ngsi-ld/v1/jsonldContexts/${encodeURIComponent(`${base}/city.jsonld`)}`,
          key: t.keys[A]!.admin,
        })
      ).statusCode,
    ).toBe(403)
    expect(
      (
        await t.call({
          method: 'DELETE',
          url: `/ngsi-ld/v1/jsonldContexts/${encodeURIComponent(`${base}/city.jsonld`)}`,
          session: root,
        })
      ).statusCode,
    ).toBe(204)
  })
})

describe('q fuzz over HTTP', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
    await t.call({
      method: 'POST',
      url: '/ngsi-ld/v1/entities',
      key: t.keys[A]!.operator,
      payload: { id: 'urn:f:1', type: 'F', a: 1, b: 'x', c: { type: 'Relationship', object: 'urn:y' } },
    })
  })
  afterAll(() => t?.close())

  it('answers every random or hostile q with 200 or 400, never a 500, and never runs injected SQL', async () => {
    let seed = 42
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const atoms = [
      'a',
      'b',
      'c',
      'a.b',
      'a[b]',
      '==',
      '!=',
      '>=',
      '<',
      '~=',
      '!~=',
      '..',
      ',',
      ';',
      '|',
      '(',
      ')',
      '"',
      "'",
      '\\',
      '1',
      '-2.5e3',
      'true',
      '2024-01-01T00:00:00Z',
      "'; DROP TABLE ngsi_entities; --",
      '$',
      '@',
      '%00',
      'é',
      '..*',
      '[',
      ']',
      ' ',
    ]
    const statuses = new Map<number, number>()
    for (let i = 0; i < 400; i++) {
      const n = 1 + Math.floor(rnd() * 8)
      const q = Array.from({ length: n }, () => atoms[Math.floor(rnd() * atoms.length)]).join('')
      const r = await t.call({
        method: 'GET',
        url: `/ngsi-ld/v1/entities?type=F&q=${encodeURIComponent(q)}`,
        key: t.keys[A]!.viewer,
      })
      statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1)
      expect([200, 400], `q=${q}: ${r.body}`).toContain(r.statusCode)
    }
    expect(statuses.get(200)).toBeGreaterThan(0)
    expect(statuses.get(400)).toBeGreaterThan(0)
    const still = await t.call({ method: 'GET', url: '/ngsi-ld/v1/entities/urn:f:1', key: t.keys[A]!.viewer })
    expect(still.statusCode).toBe(200)
  })
})
