/**
 * /ngsi-ld/v1/subscriptions CRUD (clauses 5.8.1 - 5.8.5): create with Location, retrieve, query with paging and
 * count, update (merge), delete; validation (400 on every write route), 404, 409, roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, createTestApp, type TestApp } from '../support/app.js'

const sub = (extra: Record<string, unknown> = {}) => ({
  type: 'Subscription',
  entities: [{ type: 'Room' }],
  notification: { endpoint: { uri: 'http://127.0.0.1:9/notify' } },
  ...extra,
})

describe('NGSI-LD subscriptions API', () => {
  let t: TestApp
  let op: string
  let viewer: string
  beforeAll(async () => {
    // delivery off: these tests look at the API only (the endpoint above does not exist)
    t = await createTestApp({ URBE_NOTIFY_DELIVERY: 'false' })
    op = t.keys[A]!.operator
    viewer = t.keys[A]!.viewer
  })
  afterAll(() => t?.close())

  const call = (method: string, url: string, payload?: unknown, key = op, headers: Record<string, string> = {}) =>
    t.call({
      method: method as 'GET',
      url: `/ngsi-ld/v1/subscriptions${url}`,
      key,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    })

  it('creates, retrieves, updates and deletes a subscription', async () => {
    const r = await call('POST', '', sub({ subscriptionName: 'rooms', q: 'temperature>20', throttling: 5 }))
    expect(r.statusCode, r.body).toBe(201)
    expect(r.headers.location).toMatch(/^\/ngsi-ld\/v1\/subscriptions\/urn%3Angsi-ld%3ASubscription%3A[0-9a-f-]{36}$/)
    const url = `/${r.headers.location!.split('/').pop()}`
    const g = await call('GET', url, undefined, viewer)
    expect(g.statusCode).toBe(200)
    expect(g.headers.link).toContain('ngsi-ld-core-context')
    const id = decodeURIComponent(url.slice(1))
    expect(g.json()).toEqual({
      id,
      type: 'Subscription',
      subscriptionName: 'rooms',
      entities: [{ type: 'Room' }],
      q: 'temperature>20',
      throttling: 5,
      notificationTrigger: ['attributeCreated', 'attributeUpdated'],
      isActive: true,
      status: 'active',
      notification: {
        format: 'normalized',
        endpoint: { uri: 'http://127.0.0.1:9/notify', accept: 'application/json' },
        timesSent: 0,
        timesFailed: 0,
      },
    })
    const p = await call('PATCH', url, {
      q: 'temperature>25',
      watchedAttributes: ['temperature'],
      notification: { format: 'keyValues', attributes: ['temperature'] },
      throttling: null,
    })
    expect(p.statusCode, p.body).toBe(204)
    const g2 = (await call('GET', `${url}?options=sysAttrs`)).json()
    expect(g2).toMatchObject({
      q: 'temperature>25',
      watchedAttributes: ['temperature'],
      notification: {
        format: 'keyValues',
        attributes: ['temperature'],
        endpoint: { uri: 'http://127.0.0.1:9/notify' },
      },
    })
    expect(g2.throttling).toBeUndefined()
    expect(Date.parse(g2.modifiedAt)).toBeGreaterThanOrEqual(Date.parse(g2.createdAt))
    expect((await call('DELETE', url)).statusCode).toBe(204)
    expect((await call('GET', url)).statusCode).toBe(404)
    expect((await call('DELETE', url)).statusCode).toBe(404)
    expect((await call('PATCH', url, { isActive: false })).statusCode).toBe(404)
  })

  it('keeps a given id, refuses it twice (409), and answers ld+json with @context', async () => {
    const body = {
      ...sub({ id: 'urn:ngsi-ld:Subscription:mine' }),
      '@context': 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld',
    }
    const r = await call('POST', '', body, op, { 'content-type': 'application/ld+json' })
    expect(r.statusCode, r.body).toBe(201)
    expect(r.headers.location).toBe('/ngsi-ld/v1/subscriptions/urn%3Angsi-ld%3ASubscription%3Amine')
    expect((await call('POST', '', body, op, { 'content-type': 'application/ld+json' })).statusCode).toBe(409)
    const g = await call('GET', '/urn:ngsi-ld:Subscription:mine', undefined, viewer, { accept: 'application/ld+json' })
    expect(g.headers['content-type']).toContain('application/ld+json')
    expect(g.json()['@context']).toBeDefined()
    expect((await call('DELETE', '/urn:ngsi-ld:Subscription:mine')).statusCode).toBe(204)
  })

  it('lists with limit, offset and count', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await call('POST', '', sub({ id: `urn:ngsi-ld:Subscription:list-${i}` }))).statusCode).toBe(201)
    }
    const all = await call('GET', '?count=true', undefined, viewer)
    expect(all.headers['ngsild-results-count']).toBe('5')
    expect((all.json() as { id: string }[]).map((s) => s.id)).toEqual(
      [0, 1, 2, 3, 4].map((i) => `urn:ngsi-ld:Subscription:list-${i}`),
    )
    const page = (await call('GET', '?limit=2&offset=3', undefined, viewer)).json() as { id: string }[]
    expect(page.map((s) => s.id)).toEqual(['urn:ngsi-ld:Subscription:list-3', 'urn:ngsi-ld:Subscription:list-4'])
    expect((await call('GET', '?limit=1001')).statusCode).toBe(400)
    expect((await call('GET', '?offset=-1')).statusCode).toBe(400)
    for (let i = 0; i < 5; i++) await call('DELETE', `/urn:ngsi-ld:Subscription:list-${i}`)
  })

  it('needs the operator role to write, viewer to read', async () => {
    expect((await call('POST', '', sub(), viewer)).statusCode).toBe(403)
    expect((await call('GET', '', undefined, viewer)).statusCode).toBe(200)
    expect((await t.call({ method: 'GET', url: '/ngsi-ld/v1/subscriptions' })).statusCode).toBe(401)
  })

  const BAD: [string, unknown][] = [
    ['not an object', [1, 2]],
    ['no type', { ...sub(), type: undefined }],
    ['wrong type', sub({ type: 'Subscr' })],
    ['no notification', { type: 'Subscription', entities: [{ type: 'Room' }] }],
    ['no endpoint', sub({ notification: { format: 'keyValues' } })],
    ['endpoint scheme', sub({ notification: { endpoint: { uri: 'ftp://x/y' } } })],
    ['endpoint not a URI', sub({ notification: { endpoint: { uri: 'not a uri' } } })],
    ['MQTT without topic', sub({ notification: { endpoint: { uri: 'mqtt://127.0.0.1:1883' } } })],
    ['MQTT wildcard', sub({ notification: { endpoint: { uri: 'mqtt://127.0.0.1:1883/a/#' } } })],
    ['accept', sub({ notification: { endpoint: { uri: 'http://x/y', accept: 'text/plain' } } })],
    ['format', sub({ notification: { format: 'compact', endpoint: { uri: 'http://x/y' } } })],
    ['attributes', sub({ notification: { attributes: 'temperature', endpoint: { uri: 'http://x/y' } } })],
    [
      'receiverInfo',
      sub({ notification: { endpoint: { uri: 'http://x/y', receiverInfo: [{ key: 'a b', value: 'v' }] } } }),
    ],
    [
      'receiverInfo reserved',
      sub({ notification: { endpoint: { uri: 'http://x/y', receiverInfo: [{ key: 'Content-Type', value: 'x' }] } } }),
    ],
    [
      'MQTT-QoS',
      sub({ notification: { endpoint: { uri: 'mqtt://h/t', notifierInfo: [{ key: 'MQTT-QoS', value: '3' }] } } }),
    ],
    ['timeout', sub({ notification: { endpoint: { uri: 'http://x/y', timeout: -1 } } })],
    ['no entities nor watchedAttributes', { type: 'Subscription', notification: { endpoint: { uri: 'http://x/y' } } }],
    ['empty entities', sub({ entities: [] })],
    ['empty selector', sub({ entities: [{}] })],
    ['selector id', sub({ entities: [{ id: 'no uri' }] })],
    ['idPattern', sub({ entities: [{ idPattern: '(' }] })],
    ['type expression', sub({ entities: [{ type: 'A;(B' }] })],
    ['watchedAttributes', sub({ watchedAttributes: [] })],
    ['watched name', sub({ watchedAttributes: ['a b'] })],
    ['q', sub({ q: 'temperature>>' })],
    ['scopeQ', sub({ scopeQ: 'no-slash(' })],
    ['geoQ', sub({ geoQ: { georel: 'near', geometry: 'Point', coordinates: [1, 2] } })],
    ['geoQ not an object', sub({ geoQ: 'near' })],
    ['timeInterval with watchedAttributes', sub({ timeInterval: 10, watchedAttributes: ['a'] })],
    ['timeInterval with throttling', sub({ timeInterval: 10, throttling: 5 })],
    ['timeInterval', sub({ timeInterval: 0 })],
    ['throttling', sub({ throttling: -2 })],
    ['expiresAt in the past', sub({ expiresAt: '2001-01-01T00:00:00Z' })],
    ['expiresAt', sub({ expiresAt: 'tomorrow' })],
    ['isActive', sub({ isActive: 'yes' })],
    ['notificationTrigger', sub({ notificationTrigger: ['entityChanged'] })],
    ['empty notificationTrigger', sub({ notificationTrigger: [] })],
    ['id', sub({ id: 'not a uri' })],
    ['jsonldContext', sub({ jsonldContext: 'file:///etc/passwd' })],
    ['showChanges', sub({ notification: { showChanges: 'yes', endpoint: { uri: 'http://x/y' } } })],
  ]
  for (const [what, body] of BAD) {
    it(`POST refuses a bad subscription (${what}) with 400`, async () => {
      const r = await call('POST', '', body)
      expect(r.statusCode, r.body).toBe(400)
      expect(r.json().type).toMatch(/BadRequestData|InvalidRequest/)
      expect(r.json().detail.length).toBeGreaterThan(5)
    })
  }

  it('refuses unsupported members with 422', async () => {
    expect((await call('POST', '', sub({ csf: 'a==b' }))).statusCode).toBe(422)
  })

  it('PATCH refuses bad fragments with 400 and changes nothing', async () => {
    expect((await call('POST', '', sub({ id: 'urn:ngsi-ld:Subscription:p' }))).statusCode).toBe(201)
    const url = '/urn:ngsi-ld:Subscription:p'
    const before = (await call('GET', url)).json()
    const fragments: unknown[] = [
      [1],
      { q: '((' },
      { id: 'urn:ngsi-ld:Subscription:other' },
      { type: 'Entity' },
      { expiresAt: '2000-01-01T00:00:00Z' },
      { notification: 'x' },
      { notification: { endpoint: { uri: 'gopher://x' } } },
      { entities: null },
      { timeInterval: 5, throttling: 2 },
      { isActive: 1 },
    ]
    for (const f of fragments) {
      const r = await call('PATCH', url, f)
      expect(r.statusCode, `${JSON.stringify(f)}: ${r.body}`).toBe(400)
    }
    expect((await call('GET', url)).json()).toEqual(before)
    expect((await call('PATCH', '/not%20a%20uri', { isActive: false })).statusCode).toBe(400)
    expect((await call('DELETE', '/not%20a%20uri')).statusCode).toBe(400)
    expect((await call('GET', '/not%20a%20uri')).statusCode).toBe(400)
  })
})
