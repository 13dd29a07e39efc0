/**
 * Subscriptions are per tenant (NGSILD-Tenant): a key of tenant A on tenant B gets 403 on every subscription route;
 * each tenant sees only its subscriptions, and a subscription is notified of its own tenant's entities only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, B, createTestApp, type TestApp } from '../support/app.js'
import { type Receiver, sleep, startReceiver, waitFor } from './subscriptions-receiver.js'

const SID = 'urn:ngsi-ld:Subscription:shared'

describe('NGSI-LD subscriptions and tenants', () => {
  let t: TestApp
  let rx: Receiver
  beforeAll(async () => {
    t = await createTestApp({ URBE_NOTIFY_POLL_MS: '100' })
    rx = await startReceiver()
  })
  afterAll(async () => {
    await t?.close()
    await rx?.close()
  })

  const sub = () => ({
    id: SID,
    type: 'Subscription',
    entities: [{ type: 'Thing' }],
    notification: { format: 'keyValues', endpoint: { uri: rx.url } },
  })
  const call = (tenant: string, key: string, method: string, url: string, payload?: unknown) =>
    t.call({
      method: method as 'GET',
      url: `/ngsi-ld/v1${url}`,
      key,
      headers: { 'NGSILD-Tenant': tenant },
      ...(payload === undefined ? {} : { payload: payload as object }),
    })

  const ROUTES: [string, string, unknown?][] = [
    ['POST', '/subscriptions', () => ({ ...sub(), id: 'urn:ngsi-ld:Subscription:other' })],
    ['GET', '/subscriptions'],
    ['GET', `/subscriptions/${SID}`],
    ['PATCH', `/subscriptions/${SID}`, { isActive: false }],
    ['DELETE', `/subscriptions/${SID}`],
  ]

  it('covers every subscription route', () => {
    const covered = new Set(ROUTES.map(([m, u]) => `${m} ${u.replace(SID, ':subscriptionId')}`))
    const missing = t.routes
      .filter((r) => r.url.startsWith('/ngsi-ld/v1/subscriptions'))
      .map((r) => `${r.method} ${r.url.replace('/ngsi-ld/v1', '')}`)
      .filter((r) => !covered.has(r))
    expect(missing).toEqual([])
  })

  for (const [method, url, payload] of ROUTES) {
    it(`${method} ${url}: a key of tenant A gets 403 on tenant B, nothing changes`, async () => {
      await call(B, t.keys[B]!.operator, 'POST', '/subscriptions', sub())
      const r = await call(B, t.keys[A]!.admin, method, url, typeof payload === 'function' ? payload() : payload)
      expect(r.statusCode).toBe(403)
      const list = (await call(B, t.keys[B]!.viewer, 'GET', '/subscriptions')).json() as {
        id: string
        isActive: boolean
      }[]
      expect(list.map((s) => [s.id, s.isActive])).toEqual([[SID, true]])
    })
  }

  it('keeps subscriptions and notifications per tenant', async () => {
    expect((await call(A, t.keys[A]!.operator, 'GET', `/subscriptions/${SID}`)).statusCode).toBe(404)
    expect((await call(A, t.keys[A]!.viewer, 'GET', '/subscriptions')).json()).toEqual([])
    // the same id in another tenant is another subscription
    expect((await call(A, t.keys[A]!.operator, 'POST', '/subscriptions', sub())).statusCode).toBe(201)
    rx.received.length = 0
    const thing = (id: string) => ({ id, type: 'Thing', size: { type: 'Property', value: 1 } })
    expect((await call(A, t.keys[A]!.operator, 'POST', '/entities', thing('urn:x:a'))).statusCode).toBe(201)
    expect((await call(B, t.keys[B]!.operator, 'POST', '/entities', thing('urn:x:b'))).statusCode).toBe(201)
    await waitFor(() => rx.received.length === 2)
    await sleep(200)
    const byTenant = rx.received.map((r) => [r.headers['ngsild-tenant'], r.body.data.map((d) => d.id)]).sort()
    expect(byTenant).toEqual(
      [
        [A, ['urn:x:a']],
        [B, ['urn:x:b']],
      ].sort(),
    )
    expect((await call(A, t.keys[A]!.operator, 'DELETE', `/subscriptions/${SID}`)).statusCode).toBe(204)
    expect((await call(B, t.keys[B]!.viewer, 'GET', `/subscriptions/${SID}`)).statusCode).toBe(200)
  })
})
