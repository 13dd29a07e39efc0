/**
 * Concurrent single-entity updates share transactions (group commit): every update keeps its own outcome, the ones
 * of one entity apply in arrival order, history gets every value, and a failing update fails alone.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAttributeFragment, partialAttrUpdate } from '../../src/modules/ngsi-ld/format/index.js'
import { createGroupCommit } from '../../src/modules/ngsi-ld/group-commit.js'
import * as repo from '../../src/modules/ngsi-ld/repo.js'
import { A, createTestApp, ngsiCaller, type TestApp } from '../support/app.js'

const id = (n: number) => `urn:ngsi-ld:Meter:g${n}`
const now = () => new Date().toISOString()

describe('NGSI-LD group commit of concurrent updates', () => {
  let t: TestApp
  let op: string
  beforeAll(async () => {
    t = await createTestApp()
    op = t.keys[A]!.operator
    for (let n = 0; n < 5; n++) {
      const r = await call('POST', '/entities', {
        id: id(n),
        type: 'Meter',
        power: { type: 'Property', value: 0 },
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [10.5, 43.84] } },
      })
      expect(r.statusCode, r.body).toBe(201)
    }
  })
  afterAll(() => t?.close())

  const call = ngsiCaller(
    () => t,
    () => op,
  )

  it('answers 100 concurrent updates of 5 entities each on its own, with every value in history', async () => {
    const sent = Array.from({ length: 100 }, (_, i) => ({ n: i % 5, v: i + 1 }))
    const answers = await Promise.all(
      sent.map(({ n, v }) => call('PATCH', `/entities/${id(n)}/attrs/power`, { value: v })),
    )
    expect(answers.map((a) => a.statusCode)).toEqual(sent.map(() => 204))
    for (let n = 0; n < 5; n++) {
      const mine = sent.filter((s) => s.n === n).map((s) => s.v)
      const e = (await call('GET', `/entities/${id(n)}?options=keyValues`)).json()
      expect(mine).toContain(e.power)
      const h = await sql<{ v: number }>`SELECT num AS v FROM ngsi_attr_history
        WHERE tenant = ${A} AND entity_id = ${id(n)} AND attr LIKE '%power' AND num > 0 ORDER BY num`.execute(
        t.database.db,
      )
      expect(h.rows.map((r) => r.v)).toEqual(mine)
    }
  })

  it('applies the updates of one entity in the order they were made, the last one winning', async () => {
    const ctx = t.ngsi.resolver.core
    // called without waiting: all queued at once, in this order
    const pending = [3, 1, 4, 1, 5, 9, 2, 6].map((v) =>
      t.ngsi.entities.patchAttr(A, ctx, id(4), 'power', { value: v * 100 }),
    )
    const results = await Promise.all(pending)
    expect(results.every((r) => r.modified)).toBe(true)
    const e = (await call('GET', `/entities/${id(4)}?options=keyValues`)).json()
    expect(e.power).toBe(600)
    const temporal = await call('GET', `/temporal/entities/${id(4)}?options=temporalValues&attrs=power&lastN=8`)
    const values = temporal.json().power.values.map((x: [number, string]) => x[0])
    expect(values.sort((a: number, b: number) => a - b)).toEqual([100, 100, 200, 300, 400, 500, 600, 900])
  })

  it('shares transactions: updates that arrive while one runs go together in the next', async () => {
    const groups: number[] = []
    const gc = createGroupCommit(
      t.database.db,
      async (trx, tenant, written, _geo, events) => {
        groups.push(events.length)
        await repo.writeEntities(trx, tenant, written)
      },
      { lanes: 1 },
    )
    const ctx = t.ngsi.resolver.core
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        gc.update(A, id(i % 5), (cur) => {
          const attrIri = ctx.expand('power')
          const at = now()
          const existing = cur.attrs[attrIri]?.[0]
          const fragment = parseAttributeFragment({ value: -i }, ctx, {
            now: at,
            attrIri,
            attrName: 'power',
            ...(existing ? { existing } : {}),
          })
          return partialAttrUpdate(cur, attrIri, fragment, { now: at })
        }),
      ),
    )
    expect(results).toHaveLength(60)
    // the first update runs alone, the 59 that queued meanwhile share the next transaction
    expect(groups).toEqual([1, 59])
    const e = (await call('GET', `/entities/${id(4)}?options=keyValues`)).json()
    expect(e.power).toBe(-59)
  })

  it('fails a bad update alone: 404 and 400 beside successes on the same entities', async () => {
    const answers = await Promise.all([
      call('PATCH', `/entities/${id(0)}/attrs/power`, { value: 1000 }),
      call('PATCH', `/entities/${id(9)}/attrs/power`, { value: 1 }), // no such entity
      call('PATCH', `/entities/${id(0)}/attrs/missing`, { value: 1 }), // no such attribute
      call('PATCH', `/entities/${id(1)}/attrs/location`, { value: { type: 'Point', coordinates: [10.6, 43.85] } }),
      call('POST', `/entities/${id(1)}/attrs?options=noOverwrite`, { power: { type: 'Property', value: 5 } }),
      call('PATCH', `/entities/${id(0)}`, { power: { type: 'Property', value: 1001 } }),
    ])
    expect(answers.map((a) => a.statusCode)).toEqual([204, 404, 404, 204, 207, 204])
    expect(answers[1]!.json().type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound')
    const e0 = (await call('GET', `/entities/${id(0)}?options=keyValues`)).json()
    expect(e0.power).toBe(1001)
    // the geometry moved in the same group as an update that changed nothing: the geo index follows
    const near = await call(
      'GET',
      '/entities?type=Meter&georel=near;maxDistance==100&geometry=Point&coordinates=[10.6,43.85]',
    )
    expect(near.json().map((e: { id: string }) => e.id)).toEqual([id(1)])
  })
})
