/**
 * Serving the built web app (URBE_WEB_DIR): files with their content types and caching, gzip, index.html for the
 * app's own paths (SPA fallback) but not for the server's, no way out of the folder (.., encoded, symbolic links);
 * without a build, the placeholder page.
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'

const INDEX = '<!doctype html><html><head><title>Urbe portal</title></head><body><div id="root"></div></body></html>'
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(5000))})\n`

/** A raw GET (the path exactly as given: no client-side normalization of dots). */
function rawGet(base: string, p: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const u = new URL(base)
    const req = http.request({ host: u.hostname, port: u.port, path: p, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('web app serving', () => {
  let t: TestApp
  let base: string
  let tmp: string

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'urbe-web-'))
    const dist = path.join(tmp, 'dist')
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true })
    fs.writeFileSync(path.join(dist, 'index.html'), INDEX)
    fs.writeFileSync(path.join(dist, 'assets', 'index-3f9a2b.js'), SCRIPT)
    fs.writeFileSync(path.join(dist, 'assets', 'style-77aa.css'), 'body{margin:0}')
    fs.writeFileSync(path.join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'TOP SECRET')
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(dist, 'link.txt'))
    t = await createTestApp({}, { webDir: dist })
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const addr = t.app.server.address()
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  })
  afterAll(async () => {
    await t?.close()
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  it('serves index.html at / and the files with their types and caching', async () => {
    const home = await rawGet(base, '/')
    expect(home.status).toBe(200)
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(home.headers['cache-control']).toBe('no-cache')
    expect(home.body.toString()).toBe(INDEX)
    const js = await rawGet(base, '/assets/index-3f9a2b.js')
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(js.body.toString()).toBe(SCRIPT)
    expect((await rawGet(base, '/assets/style-77aa.css')).headers['content-type']).toBe('text/css; charset=utf-8')
    const svg = await rawGet(base, '/favicon.svg')
    expect(svg.headers['content-type']).toBe('image/svg+xml')
    expect(svg.headers['cache-control']).not.toContain('immutable')
  })

  it('compresses with gzip when the client accepts it', async () => {
    const js = await rawGet(base, '/assets/index-3f9a2b.js', { 'accept-encoding': 'gzip, deflate' })
    expect(js.headers['content-encoding']).toBe('gzip')
    expect(js.body.length).toBeLessThan(SCRIPT.length / 5)
    expect(gunzipSync(js.body).toString()).toBe(SCRIPT)
    const small = await rawGet(base, '/assets/style-77aa.css', { 'accept-encoding': 'gzip' })
    expect(small.headers['content-encoding']).toBeUndefined()
  })

  it("answers index.html for the app's own paths, but 404 for the server's and for missing assets", async () => {
    for (const p of ['/it/lucca', '/it/lucca/aria/urn:ngsi-ld:AirQualityObserved:x', '/en/pero?tab=map']) {
      const r = await rawGet(base, p)
      expect(r.status, p).toBe(200)
      expect(r.body.toString(), p).toBe(INDEX)
    }
    for (const p of ['/api/nothing', '/ngsi-ld/v1/nothing', '/iot/nothing', '/docs/nothing', '/assets/gone-123.js']) {
      const r = await rawGet(base, p)
      expect(r.status, p).toBe(404)
      expect(r.headers['content-type'], p).toContain('application/problem+json')
    }
    // the server's routes still answer
    expect((await rawGet(base, '/health')).body.toString()).toContain('ok')
    expect((await rawGet(base, '/api/tenants')).headers['content-type']).toContain('application/json')
  })

  it('never serves a file outside the folder', async () => {
    for (const p of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2f..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/%252e%252e/secret.txt',
      '/link.txt',
      '/assets/%00../../secret.txt',
    ]) {
      const r = await rawGet(base, p)
      expect(r.body.toString(), p).not.toContain('TOP SECRET')
      expect([200, 400, 404], p).toContain(r.status)
      if (r.status === 200) expect(r.body.toString(), p).toBe(INDEX)
    }
  })
})

describe('web app not built', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({}, { webDir: path.join(os.tmpdir(), 'urbe-no-such-dist') })
  })
  afterAll(() => t?.close())

  it('keeps the placeholder page at / and 404 elsewhere', async () => {
    const home = await t.app.inject('/')
    expect(home.statusCode).toBe(200)
    expect(home.body).toContain('Piattaforma aperta')
    expect((await t.app.inject('/it/lucca')).statusCode).toBe(404)
  })
})
