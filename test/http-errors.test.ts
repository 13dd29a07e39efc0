/** Bad input answers a clear 4xx problem, is logged, and changes nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, createTestApp, type TestApp } from './support/app.js'

describe('problem responses for bad input', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({ URBE_BODY_LIMIT: '4096' })
  })
  afterAll(() => t?.close())

  const countKeys = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('api_keys')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('answers malformed JSON with 400 InvalidRequest', async () => {
    const before = await countKeys()
    const r = await t.call({
      method: 'POST',
      url: `/api/tenants/${A}/apikeys`,
      key: t.keys[A]!.admin,
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "x", "role": ',
    })
    expect(r.statusCode).toBe(400)
    expect(r.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    const p = r.json()
    expect(p).toMatchObject({ status: 400, code: 'InvalidRequest', title: 'Invalid request' })
    expect(p.type).toMatch(/^https:\/\//)
    expect(p.detail).toMatch(/Malformed JSON/)
    expect(p.requestId).toBe(r.headers['x-request-id'])
    expect(await countKeys()).toBe(before)
  })

  it('answers a wrong content type with 415', async () => {
    const r = await t.call({
      method: 'POST',
      url: `/api/tenants/${A}/apikeys`,
      key: t.keys[A]!.admin,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=x&role=viewer',
    })
    expect(r.statusCode).toBe(415)
    expect(r.json().code).toBe('UnsupportedMediaType')
  })

  it('answers a body over the limit with 413', async () => {
    const r = await t.call({
      method: 'POST',
      url: `/api/tenants/${A}/apikeys`,
      key: t.keys[A]!.admin,
      payload: { name: 'x'.repeat(5000), role: 'viewer' },
    })
    expect(r.statusCode).toBe(413)
    expect(r.json().code).toBe('PayloadTooLarge')
  })

  it('answers a schema violation with 400 naming the field', async () => {
    const r = await t.call({
      method: 'POST',
      url: `/api/tenants/${A}/apikeys`,
      key: t.keys[A]!.admin,
      payload: { name: 'x' },
    })
    expect(r.statusCode).toBe(400)
    expect(r.json().detail).toMatch(/role/)
  })

  it('answers an unknown route with a 404 problem and keeps a given request id', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'trace-42' } })
    expect(r.statusCode).toBe(404)
    expect(r.json().requestId).toBe('trace-42')
    expect(r.headers['x-request-id']).toBe('trace-42')
  })

  it('answers an unknown tenant with 404 NonexistentTenant', async () => {
    const root = await t.login('root')
    const r = await t.call({ method: 'GET', url: '/api/tenants/999999/apikeys', session: root })
    expect(r.statusCode).toBe(404)
    expect(r.json().code).toBe('NonexistentTenant')
  })
})
