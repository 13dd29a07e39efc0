import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, createTestApp, type TestApp } from './support/app.js'

describe('operations endpoints', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t?.close())

  it('/health and /ready', async () => {
    expect((await t.app.inject('/health')).json()).toEqual({ status: 'ok' })
    const ready = await t.app.inject('/ready')
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } })
    expect(ready.json().warning).toBeUndefined()
  })

  it('/ready says 503 when migrations are missing', async () => {
    await t.database.db.deleteFrom('schema_migrations').where('version', '=', 1).execute()
    try {
      const r = await t.app.inject('/ready')
      expect(r.statusCode).toBe(503)
      expect(r.json().checks.migrations).toBe('pending')
    } finally {
      await t.database.db.insertInto('schema_migrations').values({ version: 1, name: 'foundation' }).execute()
    }
  })

  it('/metrics exposes request counts and latency per route, errors and the pool', async () => {
    await t.app.inject('/api/tenants')
    await t.call({ method: 'GET', url: `/api/tenants/${A}/users`, key: t.keys[A]!.viewer })
    const m = await t.app.inject('/metrics')
    expect(m.headers['content-type']).toContain('text/plain')
    expect(m.body).toMatch(/urbe_http_requests_total\{method="GET",route="\/api\/tenants",status="200"\} [1-9]/)
    expect(m.body).toMatch(
      /urbe_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/tenants"\}/,
    )
    expect(m.body).toMatch(/urbe_http_errors_total\{code="Forbidden"\} 1/)
    expect(m.body).toMatch(/urbe_db_pool_connections\{state="total"\} \d+/)
  })

  it('serves OpenAPI 3 at /docs covering every route', async () => {
    const doc = (await t.app.inject('/docs/json')).json()
    expect(doc.openapi).toMatch(/^3\./)
    const documented = new Set<string>()
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const m of Object.keys(ops)) documented.add(`${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`)
    }
    const missing = t.routes
      .filter((r) => !r.url.startsWith('/docs') && r.url !== '/' && r.url !== '*')
      .map((r) => `${r.method} ${r.url}`)
      .filter((r) => !documented.has(r))
    expect(missing).toEqual([])
    expect((await t.app.inject('/docs')).statusCode).toBeLessThan(400)
  })

  it('warns loudly in /ready when open mode is on', async () => {
    const open = await createTestApp({ URBE_ANONYMOUS_ROLE: 'viewer' })
    try {
      expect((await open.app.inject('/ready')).json().warning).toMatch(/OPEN MODE/)
    } finally {
      await open.close()
    }
  })
})

describe('audit log', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t?.close())

  it('records who changed what, when, in which tenant, and lists it for admins only', async () => {
    const s = await t.login('a-admin')
    const created = await t.call({
      method: 'POST',
      url: `/api/tenants/${A}/apikeys`,
      session: s,
      payload: { name: 'audit me', role: 'viewer' },
    })
    await t.call({ method: 'DELETE', url: `/api/tenants/${A}/apikeys/${created.json().id}`, session: s })
    const r = await t.call({ method: 'GET', url: `/api/tenants/${A}/audit?limit=2`, key: t.keys[A]!.admin })
    expect(r.statusCode).toBe(200)
    const { entries, total } = r.json()
    expect(total).toBeGreaterThan(2)
    expect(entries).toHaveLength(2)
    expect(entries[0]).toMatchObject({
      tenant: A,
      actor: 'user:a-admin',
      action: 'apikey.revoke',
      target: created.json().id,
    })
    expect(entries[1]).toMatchObject({ action: 'apikey.create', details: { name: 'audit me', role: 'viewer' } })
    expect(Date.now() - Date.parse(entries[0].at)).toBeLessThan(60_000)
    expect(entries[0].requestId).toBeTruthy()
    expect((await t.call({ method: 'GET', url: `/api/tenants/${A}/audit`, key: t.keys[A]!.operator })).statusCode).toBe(
      403,
    )
    const platform = await t.call({ method: 'GET', url: '/api/audit', session: await t.login('root') })
    expect(platform.json().entries.some((e: { action: string }) => e.action === 'tenant.create')).toBe(true)
  })
})
