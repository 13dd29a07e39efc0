import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, buildHeaders, getJson, send, setCsrfToken } from './api'

afterEach(() => {
  setCsrfToken(null)
  vi.unstubAllGlobals()
})

describe('API client', () => {
  it('sends the CSRF token on writes only', () => {
    setCsrfToken('tok')
    expect(buildHeaders('POST', { body: {} })['x-csrf-token']).toBe('tok')
    expect(buildHeaders('PATCH', {})['x-csrf-token']).toBe('tok')
    expect(buildHeaders('DELETE', {})['x-csrf-token']).toBe('tok')
    expect(buildHeaders('GET', {})['x-csrf-token']).toBeUndefined()
    setCsrfToken(null)
    expect(buildHeaders('POST', {})['x-csrf-token']).toBeUndefined()
  })
  it('posts JSON with the token and parses the answer', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ ok: 1 }), { status: 201 }))
    vi.stubGlobal('fetch', fetchMock)
    setCsrfToken('abc')
    expect(await send('POST', '/api/x', { a: 1 }, { 'NGSILD-Tenant': '046017' })).toEqual({ ok: 1 })
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/x')
    expect(init.method).toBe('POST')
    expect(init.body).toBe('{"a":1}')
    expect(init.headers).toMatchObject({
      'x-csrf-token': 'abc',
      'content-type': 'application/json',
      'NGSILD-Tenant': '046017',
    })
  })
  it('turns problem+json into ApiError', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ title: 'Forbidden', detail: 'CSRF token missing', code: 'Forbidden' }), {
            status: 403,
          }),
      ),
    )
    const err = (await getJson('/api/y').catch((e: unknown) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(403)
    expect(err.message).toBe('CSRF token missing')
  })
})
