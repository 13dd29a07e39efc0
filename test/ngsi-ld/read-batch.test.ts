/**
 * Concurrent reads of single entities go together (read-batch.ts): the lookups that arrive while one runs share the
 * next statement; every request still gets its own entity (or its own 404), tenants stay apart, and a read made after a
 * write sees it.
 */
import type { KyselyPlugin } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEntityReader } from '../../src/modules/ngsi-ld/read-batch.js'
import { A, B, createTestApp, ngsiCaller, type TestApp } from '../support/app.js'

const id = (n: number) => `urn:ngsi-ld:Meter:r${n}`

describe('NGSI-LD coalesced reads of single entities', () => {
  let t: TestApp
  let opA: string
  let opB: string
  beforeAll(async () => {
    t = await createTestApp()
    opA = t.keys[A]!.operator
    opB = t.keys[B]!.operator
    for (let n = 0; n < 20; n++) {
      const r = await callA('POST', '/entities', { id: id(n), type: 'Meter', power: { type: 'Property', value: n } })
      expect(r.statusCode, r.body).toBe(201)
    }
    // the same id in the other tenant, with another value
    const r = await callB('POST', '/entities', { id: id(0), type: 'Meter', power: { type: 'Property', value: -1 } })
    expect(r.statusCode, r.body).toBe(201)
  })
  afterAll(() => t?.close())

  const callA = ngsiCaller(
    () => t,
    () => opA,
  )
  const callB = (method: 'GET' | 'POST', url: string, payload?: object) =>
    t.call({
      method,
      url: `/ngsi-ld/v1${url}`,
      key: opB,
      headers: { 'ngsild-tenant': B },
      ...(payload ? { payload } : {}),
    })

  /** The app's database, counting the statements that go through it. */
  function counted() {
    const statements: string[] = []
    const plugin: KyselyPlugin = {
      transformQuery(args) {
        statements.push(args.node.kind)
        return args.node
      },
      transformResult: async (args) => args.result,
    }
    return { db: t.database.db.withPlugin(plugin), statements }
  }

  it('reads the lookups that wait meanwhile in one statement, each getting its own entity', async () => {
    const { db, statements } = counted()
    const reader = createEntityReader(db, { concurrency: 1 })
    const asked = Array.from({ length: 40 }, (_, i) => (i % 25 < 20 ? id(i % 25) : `urn:ngsi-ld:Meter:none${i}`))
    const got = await Promise.all(asked.map((x) => reader.get(A, x)))
    // the first runs alone; the 39 that queued meanwhile share the next statement
    expect(statements).toHaveLength(2)
    got.forEach((e, i) => {
      const n = i % 25
      if (n >= 20) expect(e).toBeUndefined()
      else {
        expect(e?.id).toBe(id(n))
        expect(Object.values(e!.attrs)[0]![0]!.value).toBe(n)
      }
    })
    // an id asked several times: separate objects, so that one request's rendering cannot change another's
    const twice = got.filter((e) => e?.id === id(3))
    expect(twice).toHaveLength(2)
    expect(twice[0]).not.toBe(twice[1])
    expect(twice[0]!.attrs).not.toBe(twice[1]!.attrs)
    expect(twice[0]).toEqual(twice[1])
  })

  it('reads ids with characters that an array literal must quote (comma, semicolon, equals, percent) in one statement', async () => {
    const odd = ['urn:ngsi-ld:Meter:a,b', 'urn:ngsi-ld:Meter:c;d=e', 'urn:ngsi-ld:Meter:f%5Cg']
    for (const x of odd) {
      const r = await callA('POST', '/entities', { id: x, type: 'Meter', power: { type: 'Property', value: 1 } })
      expect(r.statusCode, r.body).toBe(201)
    }
    const { db, statements } = counted()
    const reader = createEntityReader(db, { concurrency: 1 })
    const got = await Promise.all([id(0), ...odd].map((x) => reader.get(A, x)))
    expect(got.map((e) => e?.id)).toEqual([id(0), ...odd])
    expect(statements).toHaveLength(2)
  })

  it('keeps tenants apart within one batch', async () => {
    const { db, statements } = counted()
    const reader = createEntityReader(db, { concurrency: 1 })
    const [first, a, b, missing] = await Promise.all([
      reader.get(A, id(5)),
      reader.get(A, id(0)),
      reader.get(B, id(0)),
      reader.get(B, id(1)),
    ])
    expect(first?.id).toBe(id(5))
    expect(Object.values(a!.attrs)[0]![0]!.value).toBe(0)
    expect(Object.values(b!.attrs)[0]![0]!.value).toBe(-1)
    expect(missing).toBeUndefined()
    expect(statements).toHaveLength(3) // the first alone, then one per tenant
  })

  it('fails the reads of a failed statement, and only those', async () => {
    let fail = true
    const plugin: KyselyPlugin = {
      transformQuery(args) {
        if (fail) {
          fail = false
          throw new Error('connection lost')
        }
        return args.node
      },
      transformResult: async (args) => args.result,
    }
    const reader = createEntityReader(t.database.db.withPlugin(plugin), { concurrency: 1 })
    const [bad, good] = await Promise.allSettled([reader.get(A, id(1)), reader.get(A, id(2))])
    expect(bad.status).toBe('rejected')
    expect(good.status === 'fulfilled' && good.value?.id).toBe(id(2))
  })

  it('answers 200 concurrent GETs over HTTP right, a 404 for each missing id, and sees the writes made before', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        callA('GET', `/entities/${i % 21 === 20 ? 'urn:ngsi-ld:Meter:none' : id(i % 21)}?options=keyValues`),
      ),
    )
    answers.forEach((r, i) => {
      if (i % 21 === 20) {
        expect(r.statusCode).toBe(404)
        expect(r.json().type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound')
      } else {
        expect(r.statusCode, r.body).toBe(200)
        expect(r.json()).toMatchObject({ id: id(i % 21), power: i % 21 })
      }
    })
    // read-your-writes: each PATCH is answered before its GET is sent, while other GETs keep the reader busy
    const noise = Array.from({ length: 100 }, (_, i) => callA('GET', `/entities/${id(i % 20)}`))
    for (let v = 100; v < 110; v++) {
      expect((await callA('PATCH', `/entities/${id(7)}/attrs/power`, { value: v })).statusCode).toBe(204)
      expect((await callA('GET', `/entities/${id(7)}?options=keyValues`)).json().power).toBe(v)
    }
    expect((await Promise.all(noise)).every((r) => r.statusCode === 200)).toBe(true)
    expect((await callB('GET', `/entities/${id(0)}?options=keyValues`)).json().power).toBe(-1)
    expect((await callB('GET', `/entities/${id(1)}`)).statusCode).toBe(404)
  })
})
