/**
 * Delivery you can trust: retries with backoff (same notification id), a receiver that goes away mid-stream gets
 * every notification in order per entity once it is back, a slow receiver does not delay a fast one, and changes
 * waiting for one receiver travel together.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, createTestApp, ngsiCaller, type TestApp } from '../support/app.js'
import { type Received, type Receiver, sleep, startReceiver, waitFor } from './subscriptions-receiver.js'

const ENV = {
  URBE_NOTIFY_BACKOFF_MAX_MS: '300',
  URBE_NOTIFY_POLL_MS: '100',
  URBE_NOTIFY_TIMEOUT_MS: '5000',
  URBE_NOTIFY_BATCH: '50',
}

describe('NGSI-LD notification delivery', () => {
  let t: TestApp
  let op: string
  const receivers: Receiver[] = []
  beforeAll(async () => {
    t = await createTestApp(ENV)
    op = t.keys[A]!.operator
  })
  afterAll(async () => {
    await t?.close()
    for (const r of receivers) await r.close()
  })

  const receiver = async () => {
    const r = await startReceiver()
    receivers.push(r)
    return r
  }
  const call = ngsiCaller(
    () => t,
    () => op,
  )
  async function subscribe(type: string, uri: string, extra: Record<string, unknown> = {}) {
    const r = await call('POST', '/subscriptions', {
      type: 'Subscription',
      entities: [{ type }],
      notification: { format: 'keyValues', attributes: ['n'], endpoint: { uri } },
      ...extra,
    })
    expect(r.statusCode, r.body).toBe(201)
    return r.headers.location!.split('/').pop()!
  }
  const thing = (type: string, id: string, n: number) => ({ id, type, n: { type: 'Property', value: n } })
  const setN = (id: string, n: number) => call('PATCH', `/entities/${id}/attrs`, { n: { type: 'Property', value: n } })

  it('retries a receiver that answers 500, with backoff, under the same notification id', async () => {
    const rx = await receiver()
    const attempts: Received[] = []
    rx.respond = (r) => {
      attempts.push(r)
      return attempts.length <= 2 ? 500 : 200
    }
    const sid = await subscribe('Retry', rx.url)
    await call('POST', '/entities', thing('Retry', 'urn:x:retry', 1))
    await waitFor(() => rx.received.length === 1, 10_000, 'the notification after two failures')
    expect(attempts.length).toBe(3)
    expect(new Set(attempts.map((a) => a.body.id)).size).toBe(1)
    expect(new Set(attempts.map((a) => a.headers['idempotency-key'])).size).toBe(1)
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(150)
    expect(rx.received[0]!.body.data).toEqual([{ id: 'urn:x:retry', type: 'Retry', n: 1 }])
    // the receiver has answered; the delivery's outcome is recorded right after (under load, a moment later)
    let s = (await call('GET', `/subscriptions/${sid}`)).json()
    await waitFor(
      async () => {
        s = (await call('GET', `/subscriptions/${sid}`)).json()
        return s.notification.timesSent === 1
      },
      5_000,
      'the success recorded',
    )
    expect(s.notification).toMatchObject({ status: 'ok', timesSent: 1, timesFailed: 2 })
    expect(Date.parse(s.notification.lastFailure)).toBeLessThan(Date.parse(s.notification.lastSuccess))
    expect(s.status).toBe('active')
  })

  it('records a failure that follows a success in one round, and does not send the delivered one again', async () => {
    const rx = await receiver()
    let calls = 0
    rx.respond = async () => {
      calls++
      if (calls === 1) await sleep(800) // holds the lane while two more changes of the entity queue up
      return calls === 3 ? 500 : 200
    }
    const sid = await subscribe('Mixed', rx.url)
    await call('POST', '/entities', thing('Mixed', 'urn:x:mixed', 0))
    await waitFor(() => calls === 1, 10_000, 'the first notification')
    expect((await setN('urn:x:mixed', 1)).statusCode).toBe(204)
    expect((await setN('urn:x:mixed', 2)).statusCode).toBe(204)
    await waitFor(() => rx.entities().some((d) => d.n === 2), 10_000, 'the last change')
    await sleep(1500) // a wrongly kept notification would be sent again within this time
    expect(rx.entities().map((d) => d.n)).toEqual([0, 1, 2])
    const s = (await call('GET', `/subscriptions/${sid}`)).json()
    expect(s.notification).toMatchObject({ timesSent: 3, timesFailed: 1, status: 'ok' })
  })

  it('reports a failing receiver as failed', async () => {
    const rx = await receiver()
    rx.respond = () => 503
    const sid = await subscribe('Down', rx.url)
    await call('POST', '/entities', thing('Down', 'urn:x:down', 1))
    const s = await waitFor(async () => {
      const j = (await call('GET', `/subscriptions/${sid}`)).json()
      return j.notification.timesFailed >= 1 ? j : undefined
    })
    expect(s.status).toBe('failed')
    expect(s.notification.status).toBe('failed')
    await call('DELETE', `/subscriptions/${sid}`)
  })

  it('a receiver that goes away mid-stream gets every notification, in order per entity, when it is back', async () => {
    const rx = await receiver()
    await subscribe('Stream', rx.url)
    const ids = [1, 2, 3, 4, 5].map((i) => `urn:x:stream-${i}`)
    for (const id of ids) expect((await call('POST', '/entities', thing('Stream', id, 0))).statusCode).toBe(201)
    const ROUNDS = 40
    const writer = (async () => {
      for (let n = 1; n <= ROUNDS; n++) {
        await Promise.all(ids.map((id) => setN(id, n)))
        if (n === 10) await rx.stop() // the receiver dies: connections refused from now on
        if (n === 30) await rx.start() // and comes back on the same port
        await sleep(5)
      }
    })()
    await writer
    await waitFor(
      () => ids.every((id) => rx.entities().some((d) => d.id === id && d.n === ROUNDS)),
      20_000,
      'the last change of every entity',
    )
    for (const id of ids) {
      const seen = rx
        .entities()
        .filter((d) => d.id === id)
        .map((d) => d.n)
      expect(seen, id).toEqual(Array.from({ length: ROUNDS + 1 }, (_, i) => i))
    }
  })

  it('a slow receiver does not delay a fast one', async () => {
    const slow = await receiver()
    slow.respond = async () => {
      await sleep(1200)
      return 200
    }
    const fast = await receiver()
    for (let i = 0; i < 6; i++) await subscribe('Busy', slow.url)
    await subscribe('Busy', fast.url)
    const t0 = Date.now()
    for (let i = 0; i < 5; i++) await call('POST', '/entities', thing('Busy', `urn:x:busy-${i}`, i))
    await waitFor(() => fast.entities().length === 5, 5000, 'the fast receiver')
    const fastDone = Date.now() - t0
    expect(fastDone).toBeLessThan(1000)
    const pairs = () =>
      new Set(slow.received.flatMap((r) => r.body.data.map((d) => `${r.body.subscriptionId} ${d.id}`)))
    await waitFor(() => pairs().size === 30, 20_000, 'the slow receiver')
  })

  it('sends many changes for one receiver in few notifications', async () => {
    const rx = await receiver()
    await subscribe('Bulk', rx.url)
    const items = Array.from({ length: 120 }, (_, i) => thing('Bulk', `urn:x:bulk-${i}`, i))
    expect((await call('POST', '/entityOperations/create', items)).statusCode).toBe(201)
    await waitFor(() => rx.entities().length === 120)
    expect(rx.received.length).toBeLessThanOrEqual(4)
    expect(Math.max(...rx.received.map((r) => r.body.data.length))).toBe(50)
    expect(new Set(rx.entities().map((d) => d.id)).size).toBe(120)
  })
})

describe('NGSI-LD notification delivery with many subscriptions to one hanging receiver', () => {
  let t: TestApp
  const receivers: Receiver[] = []
  beforeAll(async () => {
    t = await createTestApp({
      ...ENV,
      URBE_NOTIFY_TIMEOUT_MS: '4000',
      URBE_NOTIFY_PARALLEL: '8',
      URBE_NOTIFY_ENDPOINT_CONCURRENCY: '2',
    })
  })
  afterAll(async () => {
    await t?.close()
    for (const r of receivers) await r.close()
  })
  const call = (method: string, url: string, payload?: unknown) =>
    t.call({
      method: method as 'GET',
      url: `/ngsi-ld/v1${url}`,
      key: t.keys[A]!.operator,
      ...(payload === undefined ? {} : { payload: payload as object }),
    })
  const subscribe = async (type: string, uri: string) => {
    const r = await call('POST', '/subscriptions', {
      type: 'Subscription',
      entities: [{ type }],
      notification: { format: 'keyValues', endpoint: { uri } },
    })
    expect(r.statusCode, r.body).toBe(201)
  }

  it('takes no more of its subscriptions at once than the endpoint may have, so the others go on', async () => {
    const hanging = await startReceiver()
    hanging.respond = () => sleep(4500).then(() => 200)
    const fast = await startReceiver()
    receivers.push(hanging, fast)
    // more subscriptions to the hanging receiver than the process delivers at once
    for (let i = 0; i < 12; i++) await subscribe('Stuck', hanging.url)
    await subscribe('Fine', fast.url)
    await call('POST', '/entities', { id: 'urn:x:stuck', type: 'Stuck', n: { type: 'Property', value: 1 } })
    await sleep(400) // the hanging lanes are claimed and waiting
    const t0 = Date.now()
    await call('POST', '/entities', { id: 'urn:x:fine', type: 'Fine', n: { type: 'Property', value: 1 } })
    await waitFor(() => fast.entities().length === 1, 10_000, 'the fast receiver')
    expect(Date.now() - t0).toBeLessThan(2000)
  })
})
