/**
 * History is per tenant (NGSILD-Tenant): a key of tenant A on tenant B gets 403 on every temporal route and nothing
 * changes; each tenant sees only its own history, also for the same entity id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, B, createTestApp, type TestApp } from '../support/app.js'

const ID = 'urn:ngsi-ld:Thing:shared'
const INSTANCE = 'urn:ngsi-ld:00000000-0000-4000-8000-000000000000'

describe('NGSI-LD temporal API and tenants', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
    for (const [tenant, size] of [
      [B, 2],
      [A, 1],
    ] as const) {
      const r = await call(tenant, t.keys[tenant]!.operator, 'POST', '/entities', {
        id: ID,
        type: 'Thing',
        size: { type: 'Property', value: size, observedAt: '2026-05-01T00:00:00Z' },
      })
      expect(r.statusCode).toBe(201)
    }
  })
  afterAll(() => t?.close())

  function call(tenant: string, key: string, method: string, url: string, payload?: unknown) {
    return t.call({
      method: method as 'GET',
      url: `/ngsi-ld/v1${url}`,
      key,
      headers: { 'NGSILD-Tenant': tenant },
      ...(payload === undefined ? {} : { payload: payload as object }),
    })
  }

  const ROUTES: [string, string, unknown?][] = [
    ['GET', '/temporal/entities?type=Thing'],
    ['POST', '/temporal/entities', { id: 'urn:ngsi-ld:Thing:new', type: 'Thing', size: 1 }],
    ['POST', '/temporal/entityOperations/query', { type: 'Query', entities: [{ type: 'Thing' }] }],
    ['GET', `/temporal/entities/${ID}`],
    ['DELETE', `/temporal/entities/${ID}`],
    ['POST', `/temporal/entities/${ID}/attrs`, { size: { type: 'Property', value: 9 } }],
    ['DELETE', `/temporal/entities/${ID}/attrs/size`],
    ['PATCH', `/temporal/entities/${ID}/attrs/size/${INSTANCE}`, { value: 9 }],
    ['DELETE', `/temporal/entities/${ID}/attrs/size/${INSTANCE}`],
  ]

  it('covers every temporal route', () => {
    const norm = (u: string) =>
      u
        .split('?')[0]!
        .replace(ID, ':entityId')
        .replace('/attrs/size', '/attrs/:attrId')
        .replace(INSTANCE, ':instanceId')
    const covered = new Set(ROUTES.map(([m, u]) => `${m} ${norm(u)}`))
    const missing = t.routes
      .filter((r) => r.url.startsWith('/ngsi-ld/v1/temporal'))
      .map((r) => `${r.method} ${r.url.replace('/ngsi-ld/v1', '')}`)
      .filter((r) => !covered.has(r))
    expect(missing).toEqual([])
  })

  const historyOfB = async () =>
    (await call(B, t.keys[B]!.viewer, 'GET', `/temporal/entities/${ID}?options=temporalValues`)).json()

  for (const [method, url, payload] of ROUTES) {
    it(`${method} ${url}: a key of tenant A gets 403 on tenant B, nothing changes`, async () => {
      const before = await historyOfB()
      expect(before.size.values).toEqual([[2, '2026-05-01T00:00:00.000Z']])
      const r = await call(B, t.keys[A]!.admin, method, url, payload)
      expect(r.statusCode).toBe(403)
      expect(await historyOfB()).toEqual(before)
    })
  }

  it('keeps the history of each tenant apart, for the same entity id', async () => {
    const a = (await call(A, t.keys[A]!.viewer, 'GET', `/temporal/entities/${ID}?options=temporalValues`)).json()
    expect(a.size.values).toEqual([[1, '2026-05-01T00:00:00.000Z']])
    const q = (await call(A, t.keys[A]!.viewer, 'GET', '/temporal/entities?type=Thing&options=temporalValues')).json()
    expect(q).toEqual([
      { id: ID, type: 'Thing', size: { type: 'Property', values: [[1, '2026-05-01T00:00:00.000Z']] } },
    ])
    // deleting A's history leaves B's
    expect((await call(A, t.keys[A]!.operator, 'DELETE', `/temporal/entities/${ID}`)).statusCode).toBe(204)
    expect((await historyOfB()).size.values).toHaveLength(1)
    // an unknown tenant: 404 NonexistentTenant, even for a platform admin
    const none = await t.call({
      method: 'GET',
      url: `/ngsi-ld/v1/temporal/entities/${ID}`,
      session: await t.login('root'),
      headers: { 'NGSILD-Tenant': '099099' },
    })
    expect(none.statusCode).toBe(404)
    expect(none.json().type).toBe('https://uri.etsi.org/ngsi-ld/errors/NonexistentTenant')
  })
})
