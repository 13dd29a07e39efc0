/**
 * The server as a real process: every acknowledged write survives kill -9; SIGTERM finishes in-flight requests and
 * closes the database cleanly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginAdmin, startServerProcess } from './support/server-process.js'
import { createTestLocation, type TestLocation } from './support/test-db.js'

describe('server process', { timeout: 240_000 }, () => {
  let loc: TestLocation
  let env: Record<string, string>
  beforeAll(async () => {
    loc = await createTestLocation()
    env = loc.databaseUrl ? { DATABASE_URL: loc.databaseUrl } : { URBE_DATA_DIR: loc.dataDir! }
  })
  afterAll(() => loc?.drop())

  it('keeps every acknowledged write after kill -9', async () => {
    const s = await startServerProcess(env)
    const { cookie, csrf } = await loginAdmin(s.url)
    const ids = Array.from({ length: 20 }, (_, i) => `T${String(i).padStart(3, '0')}`)
    const acks = await Promise.all(
      ids.map((id) =>
        fetch(`${s.url}/api/tenants`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
          body: JSON.stringify({ id, name: `Comune ${id}` }),
        }).then((r) => r.status),
      ),
    )
    expect(acks).toEqual(ids.map(() => 201))
    s.proc.kill('SIGKILL')
    await s.exited

    const s2 = await startServerProcess(env)
    try {
      const list = (await (await fetch(`${s2.url}/api/tenants`)).json()) as { id: string }[]
      const have = new Set(list.map((t) => t.id))
      expect(ids.filter((id) => !have.has(id))).toEqual([])
      // the demo Comuni were seeded once, not twice
      expect(list.filter((t) => t.id === '046017')).toHaveLength(1)
    } finally {
      s2.proc.kill('SIGTERM')
      await s2.exited
    }
  })

  it('finishes in-flight requests on SIGTERM, exits 0 and closes the database cleanly', async () => {
    const s = await startServerProcess(env)
    const { cookie, csrf } = await loginAdmin(s.url)
    // Logins cost a scrypt hash each (~50-100 ms on this machine): 16 of them keep the server busy for a while.
    const received = () => (s.output().match(/"msg":"incoming request"/g) ?? []).length
    const before = received()
    const inflight = Array.from({ length: 16 }, (_, i) =>
      i % 2 === 0
        ? fetch(`${s.url}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'admin', password: 'urbe-demo' }),
          }).then((r) => r.status)
        : fetch(`${s.url}/api/tenants/046017/apikeys`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
            body: JSON.stringify({ name: `k${i}`, role: 'viewer' }),
          }).then((r) => r.status),
    )
    // Signal once the server has received all of them (it logs each incoming request), while most are still running.
    while (received() < before + 16) {
      if (s.proc.exitCode !== null || s.proc.signalCode !== null) throw new Error(`the server died:\n${s.output()}`)
      await new Promise((r) => setTimeout(r, 2))
    }
    s.proc.kill('SIGTERM')
    const statuses = await Promise.all(inflight)
    expect(statuses.filter((x) => x !== 200 && x !== 201)).toEqual([])
    const code = await s.exited
    expect(
      code,
      s
        .output()
        .split('\n')
        .filter((l) => !l.includes('"level":30'))
        .join('\n'),
    ).toBe(0)
    expect(s.output()).toMatch(/stopped cleanly/)
    // the database reopens at once (the embedded one was closed and unlocked)
    const s2 = await startServerProcess(env)
    const keys = await fetch(`${s2.url}/api/tenants/046017/apikeys`, {
      headers: { cookie: (await loginAdmin(s2.url)).cookie },
    })
    expect(((await keys.json()) as unknown[]).length).toBe(8)
    s2.proc.kill('SIGTERM')
    expect(await s2.exited).toBe(0)
  })
})
