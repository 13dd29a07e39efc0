/**
 * The live feed (Server-Sent Events) over a real HTTP connection: changes made through the NGSI-LD API arrive as
 * `entity` events, coalesced per entity; a rolled-back write sends nothing; a Comune's feed never carries another's
 * changes; the number of feeds is capped; closing the server ends the feeds instead of waiting for them.
 * On PostgreSQL the server under test has DATABASE_URL, so changes travel by NOTIFY/LISTEN (as between processes).
 */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import type { EntityChange } from '../../src/modules/ngsi-ld/service.js'
import { A, B, createTestApp, type TestApp } from '../support/app.js'
import { PG_URL } from '../support/test-db.js'
import { connectSse, createEntity, P, patchAttrs, type SseClient, type SseEvent, sleep } from './support.js'

const AIR_TYPE = 'https://smartdatamodels.org/dataModel.Environment/AirQualityObserved'
const LUCCA_AIR = 'urn:ngsi-ld:AirQualityObserved:lucca-aq-01'
const PERO_AIR = 'urn:ngsi-ld:AirQualityObserved:pero-aq-01'
const MAX_FEEDS = 3

const entityEvent =
  (id: string, pred: (e: { values: Record<string, { value: unknown }> }) => boolean = () => true) =>
  (ev: SseEvent) => {
    if (ev.event !== 'entity') return false
    const e = JSON.parse(ev.data)
    return e.id === id && pred(e)
  }
const no2Is = (v: number) => entityEvent(LUCCA_AIR, (e) => e.values.no2?.value === v)

describe('portal live feed', () => {
  let t: TestApp
  let server: App
  let app: FastifyInstance
  let base: string
  let closed = false
  const open: SseClient[] = []
  const feed = async (tenant: string) => {
    const c = await connectSse(base, `/api/portal/${tenant}/live`)
    open.push(c)
    return c
  }

  beforeAll(async () => {
    t = await createTestApp({}, { portalLiveMax: MAX_FEEDS })
    server = PG_URL
      ? await buildApp({
          database: t.database,
          config: loadConfig(
            { LOG_LEVEL: 'silent', URBE_DEMO: 'false' },
            { databaseUrl: t.database.location.databaseUrl!, portalLiveMax: MAX_FEEDS },
          ),
        })
      : t
    app = server.app
    await app.listen({ port: 0, host: '127.0.0.1' })
    const addr = app.server.address()
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
    await createEntity(t, A, 'Environment', { id: LUCCA_AIR, type: 'AirQualityObserved', no2: P(10) }, app)
    await createEntity(t, B, 'Environment', { id: PERO_AIR, type: 'AirQualityObserved', no2: P(10) }, app)
    await createEntity(t, A, 'Building', { id: 'urn:ngsi-ld:Building:municipio', type: 'Building', name: P('x') }, app)
  })
  afterAll(async () => {
    for (const c of open) c.close()
    if (!closed) await app?.close()
    if (server !== t) await t?.app.close()
    await t?.database.close()
  })

  const waitForFeeds = async (n: number) => {
    for (let i = 0; i < 250 && server.portal.hub!.size !== n; i++) await sleep(20)
    expect(server.portal.hub!.size).toBe(n)
  }

  // a test that failed half-way must not leave its feeds open for the next one
  beforeEach(async () => {
    for (const c of open.splice(0)) c.close()
    await waitForFeeds(0)
  })

  it('streams a change made through the NGSI-LD API as an entity event', async () => {
    const c = await feed(A)
    expect(c.status).toBe(200)
    expect(c.headers['content-type']).toMatch(/^text\/event-stream/)
    await sleep(50)
    expect(c.raw.startsWith('retry: 3000\n\n')).toBe(true)
    await patchAttrs(t, A, 'Environment', LUCCA_AIR, { no2: P(42, { unitCode: 'GQ' }) }, app)
    const ev = await c.next(no2Is(42), 10_000)
    expect(JSON.parse(ev.data)).toMatchObject({
      id: LUCCA_AIR,
      type: 'AirQualityObserved',
      category: 'air',
      values: { no2: { value: 42, unitCode: 'GQ' } },
    })
    c.close()
    await waitForFeeds(0)
  })

  it('pushes an entity at most once per 500 ms, ending with its latest state', async () => {
    const c = await feed(A)
    await sleep(50)
    // six changes at once (they commit one after the other)
    await Promise.all(
      [101, 102, 103, 104, 105, 106].map((v) => patchAttrs(t, A, 'Environment', LUCCA_AIR, { no2: P(v) }, app)),
    )
    const latest = (await app.inject(`/api/portal/${A}/entities/${encodeURIComponent(LUCCA_AIR)}`)).json().values.no2
      .value as number
    await c.next(no2Is(latest), 10_000)
    await sleep(700)
    const mine = c.events.filter(entityEvent(LUCCA_AIR))
    expect(mine.length).toBeGreaterThanOrEqual(1)
    // six changes in quick succession: fewer pushes (the spacing itself is checked in live-hub.test.ts)
    expect(mine.length).toBeLessThan(6)
    expect(JSON.parse(mine.at(-1)!.data).values.no2.value).toBe(latest)
    c.close()
    await waitForFeeds(0)
  })

  it('sends nothing for a rolled-back write, and the same write committed arrives', async () => {
    const c = await feed(A)
    await sleep(50)
    const change: EntityChange = {
      entityId: LUCCA_AIR,
      kind: 'updated',
      current: { id: LUCCA_AIR, types: [AIR_TYPE], attrs: {}, createdAt: '', modifiedAt: '' },
      changes: [],
    }
    const rolledBack = t.database.db.transaction().execute(async (trx) => {
      await server.portal.listener(trx, A, [change])
      throw new Error('roll back')
    })
    await expect(rolledBack).rejects.toThrow('roll back')
    await sleep(1500)
    expect(c.events.filter((e) => e.event === 'entity')).toEqual([])
    await t.database.db.transaction().execute((trx) => server.portal.listener(trx, A, [change]))
    await c.next(entityEvent(LUCCA_AIR), 10_000)
    c.close()
    await waitForFeeds(0)
  })

  it("keeps the Comuni apart: a feed of Lucca never carries Pero's changes", async () => {
    const lucca = await feed(A)
    const pero = await feed(B)
    await sleep(50)
    await patchAttrs(t, B, 'Environment', PERO_AIR, { no2: P(77) }, app)
    // a change of Lucca that is not public
    await patchAttrs(t, A, 'Building', 'urn:ngsi-ld:Building:municipio', { name: P('y') }, app)
    const ev = await pero.next(
      entityEvent(PERO_AIR, (e) => e.values.no2?.value === 77),
      10_000,
    )
    expect(JSON.parse(ev.data).id).toBe(PERO_AIR)
    await sleep(800)
    expect(lucca.events.filter((e) => e.event === 'entity')).toEqual([])
    expect(pero.events.filter((e) => e.event === 'entity')).toHaveLength(1)
    lucca.close()
    pero.close()
    await waitForFeeds(0)
  })

  it('caps the open feeds (503 beyond) and frees a slot when a client goes; 404 for an unknown Comune', async () => {
    const feeds = [await feed(A), await feed(A), await feed(B)]
    expect(feeds.map((f) => f.status)).toEqual([200, 200, 200])
    const over = await feed(A)
    expect(over.status).toBe(503)
    expect(over.headers['content-type']).toContain('application/problem+json')
    await over.ended
    expect(JSON.parse(over.raw)).toMatchObject({ code: 'Unavailable' })
    feeds[0]!.close()
    await waitForFeeds(MAX_FEEDS - 1)
    const again = await feed(A)
    expect(again.status).toBe(200)
    for (const f of [...feeds, again]) f.close()
    await waitForFeeds(0)
    const unknown = await feed('099999')
    expect(unknown.status).toBe(404)
  })

  it('ends open feeds when the server closes, without waiting for the clients', async () => {
    const c = await feed(A)
    expect(c.status).toBe(200)
    const started = Date.now()
    await app.close()
    closed = true
    expect(Date.now() - started).toBeLessThan(3000)
    await c.ended
    expect(c.raw.startsWith('retry: 3000')).toBe(true)
  })
})
