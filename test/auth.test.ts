import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, B, createTestApp, PASSWORD, type TestApp } from './support/app.js'

describe('login sessions', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({ URBE_LOGIN_MAX_ATTEMPTS: '3' })
  })
  afterAll(() => t?.close())

  it('logs in with a hashed password and sets a safe cookie', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'a-admin', password: PASSWORD },
    })
    expect(res.statusCode).toBe(200)
    const c = res.cookies.find((x) => x.name === 'urbe_session')!
    expect(c.httpOnly).toBe(true)
    expect(c.sameSite).toBe('Lax')
    expect(c.secure).toBeFalsy()
    expect(res.json().csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/)
    expect(res.json().user.roles).toEqual({ [A]: 'admin' })
    const row = await t.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'a-admin')
      .executeTakeFirstOrThrow()
    expect(row.password_hash).toMatch(/^scrypt\$/)
    expect(row.password_hash).not.toContain(PASSWORD)
  })

  it('marks the cookie Secure when the request came over TLS through a trusted proxy', async () => {
    const t2 = await createTestApp({ URBE_TRUST_PROXY: 'true' })
    try {
      const res = await t2.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: 'a-admin', password: PASSWORD },
      })
      expect(res.cookies.find((x) => x.name === 'urbe_session')!.secure).toBe(true)
    } finally {
      await t2.close()
    }
  })

  it('refuses a wrong password with 401 and rate limits repeated failures with 429', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'a-viewer', password: 'wrong-password' },
      })
      expect(r.statusCode).toBe(401)
      expect(r.headers['content-type']).toContain('application/problem+json')
    }
    const blocked = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'a-viewer', password: PASSWORD },
    })
    expect(blocked.statusCode).toBe(429)
    expect(blocked.json().code).toBe('RateLimited')
  })

  it('refuses a malformed login body', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x' } })
    expect(r.statusCode).toBe(400)
  })

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const s = await t.login('a-admin')
    const without = await t.app.inject({
      method: 'POST',
      url: `/api/tenants/${A}/apikeys`,
      headers: { cookie: s.cookie },
      payload: { name: 'x', role: 'viewer' },
    })
    expect(without.statusCode).toBe(403)
    expect(without.json().code).toBe('CsrfFailed')
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/api/tenants/${A}/apikeys`,
      headers: { cookie: s.cookie, 'x-csrf-token': 'nope' },
      payload: { name: 'x', role: 'viewer' },
    })
    expect(wrong.statusCode).toBe(403)
    const ok = await t.call({
      method: 'POST',
      url: `/api/tenants/${A}/apikeys`,
      session: s,
      payload: { name: 'x', role: 'viewer' },
    })
    expect(ok.statusCode).toBe(201)
    // reads need no CSRF token
    const read = await t.app.inject({ method: 'GET', url: `/api/tenants/${A}/apikeys`, headers: { cookie: s.cookie } })
    expect(read.statusCode).toBe(200)
  })

  it('answers 401 for an expired session and for a logged-out one', async () => {
    const s = await t.login('a-operator')
    expect((await t.call({ method: 'GET', url: '/api/auth/me', session: s })).json().kind).toBe('user')
    await sql`UPDATE sessions SET expires_at = now() - interval '1 minute'`.execute(t.database.db)
    const expired = await t.call({ method: 'GET', url: `/api/tenants/${A}/users`, session: s })
    expect(expired.statusCode).toBe(401)
    expect(expired.json().detail).toMatch(/expired/)
    const s2 = await t.login('a-admin')
    expect((await t.call({ method: 'POST', url: '/api/auth/logout', session: s2 })).statusCode).toBe(204)
    const after = await t.call({ method: 'GET', url: `/api/tenants/${A}/users`, session: s2 })
    expect(after.statusCode).toBe(401)
  })

  it('changes the own password and ends the sessions', async () => {
    const s = await t.login('b-admin')
    const bad = await t.call({
      method: 'POST',
      url: '/api/auth/password',
      session: s,
      payload: { currentPassword: 'nope-nope', newPassword: 'another long one' },
    })
    expect(bad.statusCode).toBe(403)
    const short = await t.call({
      method: 'POST',
      url: '/api/auth/password',
      session: s,
      payload: { currentPassword: PASSWORD, newPassword: 'short' },
    })
    expect(short.statusCode).toBe(400)
    const ok = await t.call({
      method: 'POST',
      url: '/api/auth/password',
      session: s,
      payload: { currentPassword: PASSWORD, newPassword: 'another long one' },
    })
    expect(ok.statusCode).toBe(204)
    expect((await t.call({ method: 'GET', url: `/api/tenants/${B}/users`, session: s })).statusCode).toBe(401)
    await t.login('b-admin', 'another long one')
  })
})

describe('API keys', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t?.close())

  it('is shown once, stored hashed, listed without the secret, usable, and revocable', async () => {
    const res = await t.call({
      method: 'POST',
      url: `/api/tenants/${A}/apikeys`,
      key: t.keys[A]!.admin,
      payload: { name: 'sensor gateway', role: 'operator' },
    })
    expect(res.statusCode).toBe(201)
    const { key, id } = res.json()
    expect(key).toMatch(/^urbe_[0-9a-f]{12}_/)
    const stored = await t.database.db
      .selectFrom('api_keys')
      .select('key_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    // the secret is base64url and may itself contain '_': everything after the id is the secret
    expect(stored.key_hash).not.toContain(key.slice('urbe_'.length + 13))
    expect(key.slice('urbe_'.length + 13).length).toBeGreaterThanOrEqual(40)
    const list = await t.call({ method: 'GET', url: `/api/tenants/${A}/apikeys`, key: t.keys[A]!.admin })
    expect(list.body).not.toContain(key)
    expect(list.json().find((k: { id: string }) => k.id === id).status).toBe('active')
    const me = await t.call({ method: 'GET', url: '/api/auth/me', key })
    expect(me.json()).toMatchObject({ kind: 'apikey', tenant: A, role: 'operator' })
    expect(
      (await t.call({ method: 'DELETE', url: `/api/tenants/${A}/apikeys/${id}`, key: t.keys[A]!.admin })).statusCode,
    ).toBe(204)
    const after = await t.call({ method: 'GET', url: '/api/auth/me', key })
    expect(after.statusCode).toBe(401)
    expect(after.json().detail).toMatch(/revoked/)
    expect(
      (await t.call({ method: 'DELETE', url: `/api/tenants/${A}/apikeys/${id}`, key: t.keys[A]!.admin })).statusCode,
    ).toBe(404)
  })

  it('refuses malformed, unknown, wrong and expired keys with 401', async () => {
    const good = t.keys[A]!.viewer
    const wrongSecret = `${good.slice(0, 18)}${'x'.repeat(43)}`
    // the good key verified just before: a wrong secret of the same key id must still fail (no shortcut by id)
    expect((await t.call({ method: 'GET', url: '/api/auth/me', key: good })).statusCode).toBe(200)
    for (const k of ['nonsense', 'urbe_000000000000_' + 'a'.repeat(43), wrongSecret]) {
      const r = await t.call({ method: 'GET', url: '/api/auth/me', key: k })
      expect(r.statusCode).toBe(401)
    }
    expect((await t.call({ method: 'GET', url: '/api/auth/me', key: good })).statusCode).toBe(200)
    const basic = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: 'Basic Zm9vOmJhcg==' },
    })
    expect(basic.statusCode).toBe(401)
    const res = await t.call({
      method: 'POST',
      url: `/api/tenants/${A}/apikeys`,
      key: t.keys[A]!.admin,
      payload: { name: 'short', role: 'viewer', expiresInDays: 1 },
    })
    await sql`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = ${res.json().id}`.execute(
      t.database.db,
    )
    const expired = await t.call({ method: 'GET', url: '/api/auth/me', key: res.json().key })
    expect(expired.statusCode).toBe(401)
    expect(expired.json().detail).toMatch(/expired/)
  })

  it('validates key creation input', async () => {
    for (const payload of [
      { name: '', role: 'viewer' },
      { name: 'x', role: 'god' },
      { name: 'x', role: 'viewer', expiresInDays: 0 },
      { name: 'x', role: 'viewer', expiresAt: '2001-01-01T00:00:00Z' },
    ]) {
      const r = await t.call({ method: 'POST', url: `/api/tenants/${A}/apikeys`, key: t.keys[A]!.admin, payload })
      expect(r.statusCode, JSON.stringify(payload)).toBe(400)
    }
  })
})
