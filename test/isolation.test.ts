/**
 * Tenant isolation, table-driven over every tenant-scoped route: a key or a session of tenant A never reads or changes
 * tenant B (403), roles below the route's need are refused (403), anonymous callers get 401, and nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../src/config.js'
import { A, B, createTestApp, type Session, type TestApp } from './support/app.js'

interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  url: (tenant: string) => string
  payload?: object
  min: Role
}

const ROUTES: RouteCase[] = [
  { method: 'GET', url: (t) => `/api/tenants/${t}/users`, min: 'admin' },
  {
    method: 'POST',
    url: (t) => `/api/tenants/${t}/users`,
    payload: { username: 'newbie', password: 'long enough pw', role: 'viewer' },
    min: 'admin',
  },
  { method: 'DELETE', url: (t) => `/api/tenants/${t}/users/00000000-0000-0000-0000-000000000000`, min: 'admin' },
  { method: 'GET', url: (t) => `/api/tenants/${t}/apikeys`, min: 'admin' },
  { method: 'POST', url: (t) => `/api/tenants/${t}/apikeys`, payload: { name: 'k', role: 'viewer' }, min: 'admin' },
  { method: 'DELETE', url: (t) => `/api/tenants/${t}/apikeys/abcdefabcdef`, min: 'admin' },
  { method: 'GET', url: (t) => `/api/tenants/${t}/audit`, min: 'admin' },
  { method: 'PATCH', url: (t) => `/api/tenants/${t}`, payload: { population: 1 }, min: 'admin' },
  // device gateway (src/modules/devices)
  { method: 'GET', url: (t) => `/api/tenants/${t}/iot/services`, min: 'operator' },
  { method: 'POST', url: (t) => `/api/tenants/${t}/iot/services`, payload: { entity_type: 'Thing' }, min: 'operator' },
  { method: 'GET', url: (t) => `/api/tenants/${t}/iot/services/abcdefabcdef`, min: 'operator' },
  {
    method: 'PATCH',
    url: (t) => `/api/tenants/${t}/iot/services/abcdefabcdef`,
    payload: { description: 'x' },
    min: 'operator',
  },
  { method: 'DELETE', url: (t) => `/api/tenants/${t}/iot/services/abcdefabcdef`, min: 'operator' },
  { method: 'GET', url: (t) => `/api/tenants/${t}/iot/devices`, min: 'operator' },
  { method: 'POST', url: (t) => `/api/tenants/${t}/iot/devices`, payload: { device_id: 'd1' }, min: 'operator' },
  {
    method: 'POST',
    url: (t) => `/api/tenants/${t}/iot/devices/import`,
    payload: { csv: 'device_id' },
    min: 'operator',
  },
  { method: 'GET', url: (t) => `/api/tenants/${t}/iot/devices/abcdefabcdef`, min: 'operator' },
  {
    method: 'PATCH',
    url: (t) => `/api/tenants/${t}/iot/devices/abcdefabcdef`,
    payload: { description: 'x' },
    min: 'operator',
  },
  { method: 'DELETE', url: (t) => `/api/tenants/${t}/iot/devices/abcdefabcdef`, min: 'operator' },
  { method: 'GET', url: (t) => `/api/tenants/${t}/iot/commands`, min: 'viewer' },
  // mobility and tourism analytics (src/modules/mobility)
  ...['meta', 'zones', 'heatmap', 'series', 'profiles', 'origins', 'flows', 'od', 'commuters', 'tourism', 'events']
    .concat(['forecast', 'alerts', 'report', 'traffic', 'dwell'])
    .map((p) => ({ method: 'GET' as const, url: (t: string) => `/api/mobility/${t}/${p}`, min: 'viewer' as Role })),
  { method: 'GET', url: (t) => `/api/mobility/${t}/imports`, min: 'operator' },
  { method: 'GET', url: (t) => `/api/mobility/${t}/settings`, min: 'admin' },
  { method: 'PUT', url: (t) => `/api/mobility/${t}/settings`, payload: { k: 50 }, min: 'admin' },
  { method: 'PUT', url: (t) => `/api/mobility/${t}/zones`, payload: { type: 'FeatureCollection' }, min: 'operator' },
  { method: 'POST', url: (t) => `/api/mobility/${t}/alerts/evaluate`, payload: {}, min: 'operator' },
  { method: 'POST', url: (t) => `/api/mobility/${t}/presence`, payload: [], min: 'operator' },
  { method: 'POST', url: (t) => `/api/mobility/${t}/flows`, payload: [], min: 'operator' },
  { method: 'POST', url: (t) => `/api/mobility/${t}/imports/presence`, payload: { csv: 'x' }, min: 'operator' },
  { method: 'POST', url: (t) => `/api/mobility/${t}/imports/flows`, payload: { csv: 'x' }, min: 'operator' },
]

/** Every route of the app that names a tenant in its path must be in ROUTES (so new routes cannot skip this test). */
const PUBLIC_TENANT_ROUTES = new Set([
  'GET /api/tenants/:tenant',
  // the public city portal (src/modules/portal, test/portal): no login by design
  'GET /api/portal/:tenant/categories',
  'GET /api/portal/:tenant/entities',
  'GET /api/portal/:tenant/entities/:id',
  'GET /api/portal/:tenant/entities/:id/series',
  'GET /api/portal/:tenant/now',
  'GET /api/portal/:tenant/live',
])

describe('tenant isolation and roles', () => {
  let t: TestApp
  let sessions: Record<string, Session>
  beforeAll(async () => {
    t = await createTestApp()
    sessions = { 'a-admin': await t.login('a-admin'), 'a-viewer': await t.login('a-viewer') }
  })
  afterAll(() => t?.close())

  it('covers every tenant-scoped route', () => {
    const covered = new Set(ROUTES.map((r) => `${r.method} ${r.url(':tenant')}`))
    const scoped = t.routes.filter((r) => r.url.includes(':tenant')).map((r) => `${r.method} ${r.url}`)
    expect(scoped.length).toBeGreaterThan(5)
    const normalize = (s: string) => s.replace(/\/(:userId|:id)$/, '/:x')
    const coveredNorm = new Set([...covered].map((c) => c.replace(/\/[0-9a-f-]{12,}$/, '/:x')))
    const missing = scoped.filter((s) => !PUBLIC_TENANT_ROUTES.has(s) && !coveredNorm.has(normalize(s)))
    expect(missing).toEqual([])
  })

  for (const r of ROUTES) {
    it(`${r.method} ${r.url(':tenant')}: tenant A's credentials cannot reach tenant B`, async () => {
      const before = await t.database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      const viaKey = await t.call({
        method: r.method,
        url: r.url(B),
        key: t.keys[A]!.admin,
        ...(r.payload ? { payload: r.payload } : {}),
      })
      expect(viaKey.statusCode).toBe(403)
      expect(viaKey.headers['content-type']).toContain('application/problem+json')
      const viaSession = await t.call({
        method: r.method,
        url: r.url(B),
        session: sessions['a-admin']!,
        ...(r.payload ? { payload: r.payload } : {}),
      })
      expect(viaSession.statusCode).toBe(403)
      const anon = await t.app.inject({ method: r.method, url: r.url(B), ...(r.payload ? { payload: r.payload } : {}) })
      expect(anon.statusCode).toBe(401)
      const after = await t.database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      expect(Number(after.n)).toBe(Number(before.n))
    })

    it(`${r.method} ${r.url(':tenant')}: roles below ${r.min} are refused`, async () => {
      const below = (['viewer', 'operator', 'admin'] as Role[]).slice(0, ['viewer', 'operator', 'admin'].indexOf(r.min))
      for (const role of below) {
        const res = await t.call({
          method: r.method,
          url: r.url(A),
          key: t.keys[A]![role],
          ...(r.payload ? { payload: r.payload } : {}),
        })
        expect(res.statusCode, role).toBe(403)
      }
      const viewer = await t.call({
        method: r.method,
        url: r.url(A),
        session: sessions['a-viewer']!,
        ...(r.payload ? { payload: r.payload } : {}),
      })
      expect(viewer.statusCode).toBe(r.min === 'viewer' ? viewer.statusCode : 403)
    })
  }
})
