/**
 * Notifications: payload (clause 5.3.1), formats, attribute filtering, @context, headers, every trigger, watched
 * attributes and q / geoQ / scopeQ / type filtering, showChanges, throttling, periodic notifications, expiry.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { A, createTestApp, type TestApp } from '../support/app.js'
import { type Receiver, sleep, startReceiver, waitFor } from './subscriptions-receiver.js'

const FAST = { URBE_NOTIFY_BACKOFF_MAX_MS: '300', URBE_NOTIFY_POLL_MS: '100', URBE_NOTIFY_TIMEOUT_MS: '3000' }
const CORE = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld'
const SDM = 'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld'

const room = (n: number, t = 20, extra: Record<string, unknown> = {}) => ({
  id: `urn:ngsi-ld:Room:${n}`,
  type: 'Room',
  temperature: { type: 'Property', value: t, unitCode: 'CEL' },
  name: { type: 'Property', value: `Sala ${n}` },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [10.5 + n / 1000, 43.84] } },
  ...extra,
})

describe('NGSI-LD notifications', () => {
  let t: TestApp
  let rx: Receiver
  let op: string
  beforeAll(async () => {
    t = await createTestApp(FAST)
    op = t.keys[A]!.operator
    rx = await startReceiver()
  })
  afterAll(async () => {
    await t?.close()
    await rx?.close()
  })
  beforeEach(async () => {
    // one subscription at a time: delete the previous ones and forget what was received
    const list = await call('GET', '/subscriptions?limit=1000')
    for (const s of list.json() as { id: string }[]) await call('DELETE', `/subscriptions/${encodeURIComponent(s.id)}`)
    rx.received.length = 0
    rx.respond = () => 200
  })

  const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.call({
      method: method as 'GET',
      url: `/ngsi-ld/v1${url}`,
      key: op,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    })

  async function subscribe(extra: Record<string, unknown> = {}, notification: Record<string, unknown> = {}) {
    const r = await call('POST', '/subscriptions', {
      type: 'Subscription',
      entities: [{ type: 'Room' }],
      ...extra,
      notification: { endpoint: { uri: rx.url }, ...notification },
    })
    expect(r.statusCode, r.body).toBe(201)
    return decodeURIComponent(r.headers.location!.split('/').pop()!)
  }

  it('notifies a new entity with the Notification payload and headers', async () => {
    const id = await subscribe()
    expect((await call('POST', '/entities', room(1))).statusCode).toBe(201)
    const [n] = await waitFor(() => (rx.received.length ? rx.received : undefined), 10_000, 'a notification')
    expect(n!.body).toMatchObject({ type: 'Notification', subscriptionId: id })
    expect(n!.body.id).toMatch(/^urn:ngsi-ld:Notification:[0-9a-f-]{36}$/)
    expect(Date.parse(n!.body.notifiedAt)).toBeGreaterThan(Date.now() - 60_000)
    expect(n!.body.data).toEqual([room(1)])
    expect(n!.headers['content-type']).toBe('application/json')
    expect(n!.headers.link).toContain(CORE)
    expect(n!.headers['ngsild-tenant']).toBe(A)
    expect(n!.headers['idempotency-key']).toBe(n!.body.id)
    expect(n!.headers['ngsild-notification-id']).toBe(n!.body.id)
    await waitFor(async () => (await call('GET', `/subscriptions/${id}`)).json().notification.timesSent === 1)
    const s = (await call('GET', `/subscriptions/${id}`)).json()
    expect(s.notification).toMatchObject({ status: 'ok', timesSent: 1, timesFailed: 0 })
    expect(s.notification.lastSuccess).toBe(s.notification.lastNotification)
    expect(s.status).toBe('active')
  })
  it('renders keyValues and concise, filters attributes, adds receiverInfo headers', async () => {
    await subscribe(
      {},
      {
        format: 'keyValues',
        attributes: ['temperature'],
        endpoint: { uri: rx.url, receiverInfo: [{ key: 'X-Auth-Token', value: 'secret' }] },
      },
    )
    await call('POST', '/entities', room(2, 22))
    const [n] = await waitFor(() => (rx.received.length ? rx.received : undefined))
    expect(n!.body.data).toEqual([{ id: 'urn:ngsi-ld:Room:2', type: 'Room', temperature: 22 }])
    expect(n!.headers['x-auth-token']).toBe('secret')
    rx.received.length = 0
    const list = (await call('GET', '/subscriptions')).json() as { id: string }[]
    const r = await call('PATCH', `/subscriptions/${encodeURIComponent(list[0]!.id)}`, {
      notification: { format: 'concise', attributes: null },
    })
    expect(r.statusCode, r.body).toBe(204)
    await call('PATCH', '/entities/urn:ngsi-ld:Room:2/attrs', { temperature: { type: 'Property', value: 23 } })
    const [m] = await waitFor(() => (rx.received.length ? rx.received : undefined))
    expect(m!.body.data[0]).toMatchObject({ id: 'urn:ngsi-ld:Room:2', temperature: 23, name: 'Sala 2' })
    expect(m!.headers['x-auth-token']).toBe('secret')
  })

  it('compacts with the subscription @context or jsonldContext; ld+json carries @context in the body', async () => {
    const link = { Link: `<${SDM}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"` }
    const body = (accept?: string, jsonldContext?: string) => ({
      type: 'Subscription',
      entities: [{ type: 'AirQualityObserved' }],
      ...(jsonldContext ? { jsonldContext } : {}),
      notification: { endpoint: { uri: rx.url, ...(accept ? { accept } : {}) } },
    })
    expect((await call('POST', '/subscriptions', body(), link)).statusCode).toBe(201)
    expect((await call('POST', '/subscriptions', body('application/ld+json', CORE), link)).statusCode).toBe(201)
    const e = {
      id: 'urn:ngsi-ld:AirQualityObserved:1',
      type: 'AirQualityObserved',
      no2: { type: 'Property', value: 41 },
    }
    expect((await call('POST', '/entities', e, link)).statusCode).toBe(201)
    await waitFor(() => rx.received.length === 2)
    const json = rx.received.find((x) => x.headers['content-type'] === 'application/json')!
    const ld = rx.received.find((x) => x.headers['content-type'] === 'application/ld+json')!
    expect(json.headers.link).toContain(SDM)
    expect(json.body.data).toEqual([e])
    expect(ld.body['@context']).toBe(CORE)
    // compacted with jsonldContext (the core context): the Smart Data Models names stay expanded
    const [d] = ld.body.data
    expect(d!.type).toMatch(/^https:\/\/.*AirQualityObserved$/)
    expect(Object.keys(d!).find((k) => k.endsWith('no2'))).toMatch(/^https:\/\//)
    expect(ld.headers.link).toBeUndefined()
  })

  /** create, update temperature, append humidity, delete humidity, delete the entity: which ones notify. */
  const EXPECTED: Record<string, string[]> = {
    entityCreated: ['create'],
    attributeCreated: ['create', 'append'],
    attributeUpdated: ['update'],
    attributeDeleted: ['deleteAttr'],
    entityUpdated: ['update', 'append', 'deleteAttr'],
    entityDeleted: ['delete'],
  }
  const classify = (d: Record<string, unknown>) =>
    d.deletedAt
      ? 'delete'
      : d.humidity === 'urn:ngsi-ld:null'
        ? 'deleteAttr'
        : d.humidity !== undefined
          ? 'append'
          : d.temperature === 21
            ? 'update'
            : 'create'

  for (const [trigger, expected] of Object.entries(EXPECTED)) {
    it(`notificationTrigger ${trigger}`, async () => {
      await subscribe({ notificationTrigger: [trigger] }, { format: 'keyValues' })
      const id = `urn:ngsi-ld:Room:trig-${trigger}`
      const e = encodeURIComponent(id)
      expect((await call('POST', '/entities', { ...room(3), id })).statusCode).toBe(201)
      expect(
        (await call('PATCH', `/entities/${e}/attrs`, { temperature: { type: 'Property', value: 21 } })).statusCode,
      ).toBe(204)
      expect(
        (await call('POST', `/entities/${e}/attrs`, { humidity: { type: 'Property', value: 60 } })).statusCode,
      ).toBe(204)
      expect((await call('DELETE', `/entities/${e}/attrs/humidity`)).statusCode).toBe(204)
      expect((await call('DELETE', `/entities/${e}`)).statusCode).toBe(204)
      await waitFor(() => rx.entities().length >= expected.length, 10_000, `${expected.length} notifications`)
      await sleep(300)
      expect(rx.entities().map(classify)).toEqual(expected)
    })
  }

  it('shows deleted attributes with deletedAt and previous values with showChanges', async () => {
    await subscribe({ notificationTrigger: ['attributeUpdated', 'attributeDeleted'] }, { showChanges: true })
    await call('POST', '/entities', room(4, 20))
    await call('PATCH', '/entities/urn:ngsi-ld:Room:4/attrs', { temperature: { type: 'Property', value: 25 } })
    await call('DELETE', '/entities/urn:ngsi-ld:Room:4/attrs/name')
    await waitFor(() => rx.entities().length === 2)
    const [upd, del] = rx.entities()
    expect(upd!.temperature).toEqual({ type: 'Property', value: 25, previousValue: 20 })
    expect(del!.name).toMatchObject({ type: 'Property', value: 'urn:ngsi-ld:null', previousValue: 'Sala 4' })
    expect(Date.parse((del!.name as { deletedAt: string }).deletedAt)).toBeGreaterThan(0)
  })

  it('watchedAttributes: only changes of those attributes notify', async () => {
    await subscribe({ watchedAttributes: ['temperature'] }, { format: 'keyValues' })
    await call('POST', '/entities', room(5, 20))
    await call('PATCH', '/entities/urn:ngsi-ld:Room:5/attrs', { name: { type: 'Property', value: 'renamed' } })
    await call('PATCH', '/entities/urn:ngsi-ld:Room:5/attrs', { temperature: { type: 'Property', value: 26 } })
    await waitFor(() => rx.entities().length >= 2)
    await sleep(300)
    expect(rx.entities().map((d) => d.temperature)).toEqual([20, 26])
  })

  it('q, geoQ, scopeQ, type and idPattern select the entities', async () => {
    await subscribe({ q: 'temperature>25' }, { format: 'keyValues', attributes: ['temperature'] })
    await subscribe(
      {
        entities: [{ type: 'Room', idPattern: '.*:geo-.*' }],
        geoQ: { georel: 'near;maxDistance==2000', geometry: 'Point', coordinates: [10.5, 43.84] },
      },
      { format: 'keyValues', attributes: ['name'] },
    )
    await subscribe({ scopeQ: '/Lucca/#' }, { format: 'keyValues', attributes: ['scope'] })
    await call('POST', '/entities', room(6, 20))
    await call('PATCH', '/entities/urn:ngsi-ld:Room:6/attrs', { temperature: { type: 'Property', value: 30 } })
    await call('PATCH', '/entities/urn:ngsi-ld:Room:6/attrs', { temperature: { type: 'Property', value: 22 } })
    await call('POST', '/entities', { ...room(7), id: 'urn:ngsi-ld:Room:geo-near' })
    const far = room(8)
    far.location.value.coordinates = [12.5, 41.9]
    await call('POST', '/entities', { ...far, id: 'urn:ngsi-ld:Room:geo-far' })
    await call('POST', '/entities', { ...room(9), scope: '/Lucca/Centro' })
    await waitFor(() => rx.entities().length >= 3)
    await sleep(300)
    const got = rx.entities().map((d) => `${d.id} ${JSON.stringify({ ...d, id: undefined, type: undefined })}`)
    expect(got.sort()).toEqual(
      [
        'urn:ngsi-ld:Room:6 {"temperature":30}',
        'urn:ngsi-ld:Room:geo-near {"name":"Sala 7"}',
        'urn:ngsi-ld:Room:9 {"scope":"/Lucca/Centro"}',
      ].sort(),
    )
  })

  it('entityDeleted with a geoQ matches on the last state of the entity', async () => {
    await call('POST', '/entities', { ...room(10), id: 'urn:ngsi-ld:Room:del-geo' })
    await subscribe({
      notificationTrigger: ['entityDeleted'],
      geoQ: { georel: 'near;maxDistance==5000', geometry: 'Point', coordinates: [10.5, 43.84] },
    })
    const far = room(11)
    far.location.value.coordinates = [12.5, 41.9]
    await call('POST', '/entities', { ...far, id: 'urn:ngsi-ld:Room:del-far' })
    expect(
      (await call('POST', '/entityOperations/delete', ['urn:ngsi-ld:Room:del-geo', 'urn:ngsi-ld:Room:del-far']))
        .statusCode,
    ).toBe(204)
    await waitFor(() => rx.entities().length >= 1)
    await sleep(300)
    expect(rx.entities()).toEqual([{ id: 'urn:ngsi-ld:Room:del-geo', type: 'Room', deletedAt: expect.any(String) }])
  })

  it('throttling: at most one notification per period; the changes wait and travel together', async () => {
    await subscribe({ throttling: 1 }, { format: 'keyValues', attributes: ['temperature'] })
    await call('POST', '/entities', room(12))
    await waitFor(() => rx.received.length === 1)
    for (const n of [13, 14, 15]) await call('POST', '/entities', room(n))
    await waitFor(() => rx.received.length === 2, 5000)
    expect(rx.received[1]!.at - rx.received[0]!.at).toBeGreaterThanOrEqual(900)
    expect(rx.received[1]!.body.data.map((d) => d.id)).toEqual([13, 14, 15].map((n) => `urn:ngsi-ld:Room:${n}`))
  })

  it('timeInterval: periodic notifications of the matching entities', async () => {
    await call('POST', '/entities', { ...room(16), type: 'Clock' })
    await call('POST', '/entities', { ...room(17), type: 'Clock' })
    const id = await subscribe(
      { entities: [{ type: 'Clock' }], timeInterval: 1 },
      { format: 'keyValues', attributes: ['name'] },
    )
    await waitFor(() => rx.received.length >= 2, 5000, 'two periodic notifications')
    const [a, b] = rx.received
    expect(a!.body.data.map((d) => d.id).sort()).toEqual(['urn:ngsi-ld:Room:16', 'urn:ngsi-ld:Room:17'])
    // one second apart, less what a late first round (a loaded machine) took from the gap
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(500)
    await call('PATCH', `/subscriptions/${encodeURIComponent(id)}`, { isActive: false })
    await sleep(600) // a round already under way may still arrive
    const n = rx.received.length
    await sleep(1500)
    expect(rx.received.length).toBe(n)
  })

  it('isActive false pauses; expiresAt expires', async () => {
    const id = await subscribe({ isActive: false })
    expect((await call('GET', `/subscriptions/${encodeURIComponent(id)}`)).json().status).toBe('paused')
    await call('POST', '/entities', room(18))
    await sleep(400)
    expect(rx.received).toEqual([])
    await call('PATCH', `/subscriptions/${encodeURIComponent(id)}`, {
      isActive: true,
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    })
    await call('POST', '/entities', room(19))
    await waitFor(() => rx.received.length === 1)
    await waitFor(
      async () => (await call('GET', `/subscriptions/${encodeURIComponent(id)}`)).json().status === 'expired',
      5000,
      'expiry',
    )
    await call('POST', '/entities', room(20))
    await sleep(400)
    expect(rx.received.length).toBe(1)
  })
})
