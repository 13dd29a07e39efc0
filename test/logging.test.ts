import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { openTestDatabase, type TestDatabase } from './support/test-db.js'

describe('structured logs', () => {
  const lines: Record<string, unknown>[] = []
  let database: TestDatabase
  let app: Awaited<ReturnType<typeof buildApp>>
  beforeAll(async () => {
    database = await openTestDatabase()
    const stream = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l))
        cb()
      },
    })
    app = await buildApp({ database, config: loadConfig({ URBE_DEMO: 'false' }), log: pino({ level: 'info' }, stream) })
    await app.services.tenants.create({ id: '046017', name: 'Lucca' }, { name: 'test' })
    await app.services.users.create(
      { username: 'root', password: 'secret password 1', superadmin: true },
      { name: 'test' },
    )
  })
  afterAll(async () => {
    await app?.app.close()
    await database?.close()
  })

  it('has one line per event with the request id and the tenant, and never a secret', async () => {
    const login = await app.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'root', password: 'secret password 1' },
    })
    const token = login.cookies[0]!.value
    const key = await app.app.inject({
      method: 'POST',
      url: '/api/tenants/046017/apikeys',
      headers: { cookie: `urbe_session=${token}`, 'x-csrf-token': login.json().csrfToken },
      payload: { name: 'k', role: 'viewer' },
    })
    const secret = key.json().key as string
    await app.app.inject({
      method: 'GET',
      url: '/ngsi-ld/v1/entities?type=X',
      headers: { authorization: `Bearer ${secret}`, 'ngsild-tenant': '046017' },
    })
    const all = JSON.stringify(lines)
    expect(all).not.toContain('secret password 1')
    expect(all).not.toContain(secret)
    expect(all).not.toContain(token)
    const tenantLines = lines.filter((l) => l.tenant === '046017')
    expect(tenantLines.length).toBeGreaterThan(2)
    for (const l of tenantLines) expect(l.reqId).toBeTruthy()
  })
})
