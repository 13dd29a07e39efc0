/**
 * Notifications with real server processes: pending notifications survive kill -9 and are delivered after the
 * restart, in order; two processes on one PostgreSQL deliver each notification exactly once between them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginAdmin, type ServerProcess, startServerProcess } from '../support/server-process.js'
import { createTestLocation, PG_URL, type TestLocation } from '../support/test-db.js'
import { type Receiver, startReceiver, waitFor } from './subscriptions-receiver.js'

const ENV = {
  URBE_NOTIFY_BACKOFF_MAX_MS: '300',
  URBE_NOTIFY_POLL_MS: '200',
  URBE_NOTIFY_TIMEOUT_MS: '2000',
  LOG_LEVEL: 'warn',
}

interface Client {
  url: string
  headers: Record<string, string>
}

async function client(s: ServerProcess): Promise<Client> {
  const { cookie, csrf } = await loginAdmin(s.url)
  return { url: s.url, headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' } }
}

async function ngsi(c: Client, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${c.url}/ngsi-ld/v1${path}`, {
    method,
    headers: c.headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

const thing = (id: string, n: number) => ({ id, type: 'Proc', n: { type: 'Property', value: n } })
const setN = (c: Client, id: string, n: number) =>
  ngsi(c, 'PATCH', `/entities/${id}/attrs`, { n: { type: 'Property', value: n } }).then((r) => r.status)

async function subscribe(c: Client, uri: string): Promise<void> {
  const r = await ngsi(c, 'POST', '/subscriptions', {
    type: 'Subscription',
    entities: [{ type: 'Proc' }],
    notification: { format: 'keyValues', attributes: ['n'], endpoint: { uri } },
  })
  expect(r.status, await r.text()).toBe(201)
}

/** Every (entity, n) received exactly once and in order per entity, for n = 0..last. */
function expectExactlyInOrder(rx: Receiver, ids: string[], last: number) {
  for (const id of ids) {
    const seen = rx
      .entities()
      .filter((d) => d.id === id)
      .map((d) => d.n)
    expect(seen, id).toEqual(Array.from({ length: last + 1 }, (_, i) => i))
  }
  expect(new Set(rx.received.map((r) => r.body.id)).size).toBe(rx.received.length)
}

describe('notifications across server processes', () => {
  let loc: TestLocation
  let env: Record<string, string>
  const servers: ServerProcess[] = []
  const receivers: Receiver[] = []
  beforeAll(async () => {
    loc = await createTestLocation()
    env = { ...ENV, ...(loc.databaseUrl ? { DATABASE_URL: loc.databaseUrl } : { URBE_DATA_DIR: loc.dataDir! }) }
  })
  afterAll(async () => {
    for (const s of servers) {
      s.proc.kill('SIGKILL')
      await s.exited
    }
    for (const r of receivers) await r.close()
    await loc?.drop()
  })
  const start = async (extra: Record<string, string> = {}) => {
    const s = await startServerProcess({ ...env, ...extra })
    servers.push(s)
    return s
  }

  it('after a kill -9, sends the notification in flight again with the same id, then the rest in order', async () => {
    const rx = await startReceiver()
    receivers.push(rx)
    const hung: string[] = []
    let release: () => void = () => {}
    // the first notification reaches the receiver, which never answers: the server is killed meanwhile
    rx.respond = (r) => {
      hung.push(r.body.id)
      return new Promise<number>((resolve) => {
        release = () => resolve(503)
      })
    }
    const s1 = await start()
    const c1 = await client(s1)
    await subscribe(c1, rx.url)
    const ids = ['urn:x:p1', 'urn:x:p2', 'urn:x:p3']
    for (const id of ids) expect((await ngsi(c1, 'POST', '/entities', thing(id, 0))).status).toBe(201)
    await waitFor(() => hung.length === 1, 10_000, 'the first notification')
    for (let n = 1; n <= 10; n++) for (const id of ids) expect(await setN(c1, id, n)).toBe(204)
    s1.proc.kill('SIGKILL')
    await s1.exited
    rx.respond = () => 200
    release()
    const s2 = await start()
    await waitFor(() => ids.every((id) => rx.entities().some((d) => d.id === id && d.n === 10)), 30_000, 'delivery')
    expect(rx.received[0]!.body.id).toBe(hung[0])
    expectExactlyInOrder(rx, ids, 10)
    const list = (await (await ngsi(await client(s2), 'GET', '/subscriptions')).json()) as any[]
    expect(list[0].notification.status).toBe('ok')
    s2.proc.kill('SIGTERM')
    expect(await s2.exited).toBe(0)
  })

  if (!PG_URL) {
    console.log(
      'skipping "two processes on one PostgreSQL": the embedded database belongs to one process; ' +
        'run with URBE_TEST_DATABASE_URL to include it',
    )
  }

  it.skipIf(!PG_URL)('two processes on one PostgreSQL deliver every notification exactly once', async () => {
    const rx = await startReceiver()
    receivers.push(rx)
    const [s1, s2] = await Promise.all([start({ URBE_DEMO: 'false' }), start({ URBE_DEMO: 'false' })])
    const [c1, c2] = await Promise.all([client(s1!), client(s2!)])
    await subscribe(c1!, rx.url)
    const ids = Array.from({ length: 20 }, (_, i) => `urn:x:two-${i}`)
    for (const [i, id] of ids.entries()) {
      expect((await ngsi(i % 2 ? c1! : c2!, 'POST', '/entities', thing(id, 0))).status).toBe(201)
    }
    const LAST = 15
    for (let n = 1; n <= LAST; n++) {
      // each entity's changes alternate between the two servers
      const statuses = await Promise.all(ids.map((id, i) => setN((i + n) % 2 ? c1! : c2!, id, n)))
      expect(statuses.every((x) => x === 204)).toBe(true)
    }
    await waitFor(
      () => ids.every((id) => rx.entities().some((d) => d.id === id && d.n === LAST)),
      30_000,
      'every last change',
    )
    await new Promise((r) => setTimeout(r, 500)) // anything sent twice would arrive by now
    expect(rx.entities().length).toBe(ids.length * (LAST + 1))
    expectExactlyInOrder(rx, ids, LAST)
  })
})
