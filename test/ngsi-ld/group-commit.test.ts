/**
 * Concurrent single-entity updates share transactions (group commit): every update keeps its own outcome, the ones
 * of one entity apply in arrival order, history gets every value, and a failing update fails alone. The direct path
 * (a read, then one statement that writes only where the rows still have the versions read) gives way to a
 * transaction when a row changed meanwhile, a geometry moves or a listener needs one; a failing part leaves nothing.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActiveContext } from '../../src/modules/ngsi-ld/context/index.js'
import { parseAttributeFragment, partialAttrUpdate } from '../../src/modules/ngsi-ld/format/index.js'
import { createGroupCommit, type DirectCommit } from '../../src/modules/ngsi-ld/group-commit.js'
import * as repo from '../../src/modules/ngsi-ld/repo.js'
import { changeListener, createEntityService } from '../../src/modules/ngsi-ld/service.js'
import { openDatabase } from '../../src/db/database.js'
import { A, createTestApp, ngsiCaller, type TestApp } from '../support/app.js'
import { PG_URL } from '../support/test-db.js'

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

  /** An update that sets `attr` to `value` (the attribute must exist). */
  const setTo = (ctx: ActiveContext, attr: string, value: unknown) => (cur: repo.Versioned['entity']) => {
    const attrIri = ctx.expand(attr)
    const at = now()
    const existing = cur.attrs[attrIri]?.[0]
    const fragment = parseAttributeFragment({ value }, ctx, {
      now: at,
      attrIri,
      attrName: attr,
      ...(existing ? { existing } : {}),
    })
    return partialAttrUpdate(cur, attrIri, fragment, { now: at })
  }

  const keyValues = async (n: number) => (await call('GET', `/entities/${id(n)}?options=keyValues`)).json()

  it('writes directly, and in a transaction the update of an entity written by someone else since it was read', async () => {
    const ctx = t.ngsi.resolver.core
    const db = t.database.db
    const classic: string[][] = []
    const direct: string[][] = []
    const seen: unknown[] = []
    const directCommit: DirectCommit = async (dbx, tenant, written, _events) => {
      direct.push(written.map((w) => w.entity.id))
      if (direct.length === 1) {
        // another writer changes entity 2 between the read and the write
        const other = (await repo.getEntities(db, tenant, [id(2)])).get(id(2))!
        await repo.writeEntities(db, tenant, [setTo(ctx, 'power', 777)(other).entity])
      }
      return repo.writeVersioned(dbx, tenant, written, [])
    }
    const gc = createGroupCommit(
      db,
      async (trx, tenant, written) => {
        classic.push(written.map((e) => e.id))
        await repo.writeEntities(trx, tenant, written)
      },
      { lanes: 1, direct: directCommit },
    )
    const results = await Promise.all([
      gc.update(A, id(2), (cur) => {
        seen.push(cur.attrs[ctx.expand('power')]![0]!.value)
        return setTo(ctx, 'power', 5)(cur)
      }),
      gc.update(A, id(3), setTo(ctx, 'power', 6)),
    ])
    expect(results.map((r) => r.modified)).toEqual([true, true])
    // the first update runs alone, the second waits for it
    expect(direct).toEqual([[id(2)], [id(3)]])
    expect(classic).toEqual([[id(2)]])
    expect((await keyValues(3)).power).toBe(6)
    // applied on the state read, then again on the other writer's
    expect(seen).toHaveLength(2)
    expect(seen[0]).not.toBe(777)
    expect(seen[1]).toBe(777)
    expect((await keyValues(2)).power).toBe(5)
  })

  it('takes a transaction, not the direct path, when a geometry moves or the direct write declines', async () => {
    const ctx = t.ngsi.resolver.core
    const calls: string[] = []
    let decline = false
    const gc = createGroupCommit(
      t.database.db,
      async (trx, tenant, written, geo) => {
        calls.push(`transaction ${written.length}/${geo.length}`)
        await repo.writeEntities(trx, tenant, written)
        await repo.syncGeo(trx, tenant, geo)
      },
      {
        lanes: 1,
        direct: async (db, tenant, written) => {
          calls.push(`direct ${written.length}`)
          return decline ? undefined : repo.writeVersioned(db, tenant, written, [])
        },
      },
    )
    const move = (cur: repo.Versioned['entity']) =>
      setTo(ctx, 'location', { type: 'Point', coordinates: [10.7, 43.9] })(cur)
    await gc.update(A, id(3), move)
    decline = true
    await gc.update(A, id(3), setTo(ctx, 'power', 8))
    decline = false
    await gc.update(A, id(3), setTo(ctx, 'power', 9))
    expect(calls).toEqual(['transaction 1/1', 'direct 1', 'transaction 1/0', 'direct 1'])
    expect((await keyValues(3)).power).toBe(9)
    const near = await call(
      'GET',
      '/entities?type=Meter&georel=near;maxDistance==50&geometry=Point&coordinates=[10.7,43.9]',
    )
    expect(near.json().map((e: { id: string }) => e.id)).toEqual([id(3)])
  })

  it('leaves nothing written when a part of the direct write fails', async () => {
    const db = t.database.db
    const ctx = t.ngsi.resolver.core
    const failing = changeListener(
      async () => {},
      async () => ({
        // a NOT NULL violation, after the entity's UPDATE in the same statement
        writes: (written) => [
          sql`INSERT INTO ngsi_temporal_entities (tenant, id, types, attr_names, created_at)
          SELECT ${A}, id, NULL, '{}', now() FROM ${sql.raw('w')} WHERE id IN ${written}`,
        ],
      }),
    )
    const service = createEntityService(db, [failing], { lanes: 1 })
    const before = (await call('GET', `/entities/${id(3)}`)).json()
    await expect(service.patchAttr(A, ctx, id(3), 'power', { value: 123 })).rejects.toThrow(/null value/)
    expect((await call('GET', `/entities/${id(3)}`)).json()).toEqual(before)
    // the same update without the failing part is written (a check that the update itself was fine)
    await createEntityService(db, [], { lanes: 1 }).patchAttr(A, ctx, id(3), 'power', { value: 123 })
    expect((await keyValues(3)).power).toBe(123)
  })

  it('records the notification of a subscription made after the last look at the tenant', async () => {
    // this process looks at the tenant's subscriptions (none fire)
    expect((await call('PATCH', `/entities/${id(4)}/attrs/power`, { value: 1 })).statusCode).toBe(204)
    const sub = await call('POST', '/subscriptions', {
      type: 'Subscription',
      entities: [{ type: 'Meter' }],
      watchedAttributes: ['power'],
      notification: { endpoint: { uri: 'http://127.0.0.1:9/unreachable' } },
    })
    expect(sub.statusCode, sub.body).toBe(201)
    const subId = decodeURIComponent(sub.headers.location!.split('/').pop()!)
    try {
      expect((await call('PATCH', `/entities/${id(4)}/attrs/power`, { value: 2 })).statusCode).toBe(204)
      const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ngsi_notifications
        WHERE tenant = ${A} AND subscription_id = ${subId} AND entity_id = ${id(4)}`.execute(t.database.db)
      expect(n.rows[0]!.n).toBe(1)
    } finally {
      await call('DELETE', `/subscriptions/${encodeURIComponent(subId)}`)
    }
  })

  const temporalDeletions: [string, (x: string) => Promise<void>][] = [
    ['its temporal representation', (x) => t.ngsi.temporal.service.deleteEntity(A, x)],
    [
      "an attribute's history",
      (x) => t.ngsi.temporal.service.deleteAttr(A, t.ngsi.resolver.core, x, 'power', { deleteAll: true }),
    ],
  ]
  it.each(temporalDeletions)(
    'registers an entity again when %s is deleted between the read and the write',
    async (what, deletion) => {
      const x = `urn:ngsi-ld:Meter:fenced-${what.length}`
      const db = t.database.db
      expect(
        (await call('POST', '/entities', { id: x, type: 'Meter', power: { type: 'Property', value: 1 } })).statusCode,
      ).toBe(201)
      const history = t.ngsi.temporal.listener
      const inWrite = history.inWrite!
      const parts: number[] = []
      let deleted = false
      // the real history listener, and the temporal API's deletion in between the read and the write
      const racing = changeListener(
        (trx, tenant, events) => history(trx, tenant, events),
        async (dbx, tenant, events) => {
          expect(events[0]!.temporal?.attrNames).toEqual([t.ngsi.resolver.core.expand('power')])
          if (!deleted) {
            deleted = true
            await deletion(x)
          }
          const part = await inWrite(dbx, tenant, events)
          if (part !== 'transaction') parts.push(part.writes!(sql`(SELECT NULL::text)`).length)
          return part
        },
      )
      const service = createEntityService(db, [racing], { lanes: 1 })
      await service.patchAttr(A, t.ngsi.resolver.core, x, 'power', { value: 2 })
      // the direct write skipped the registration (a reading of a registered attribute) and found the row changed
      expect(parts).toEqual([1])
      const temporal = await call('GET', `/temporal/entities/${x}?options=temporalValues&attrs=power`)
      expect(temporal.statusCode, temporal.body).toBe(200)
      expect(temporal.json().power?.values.map((v: [number, string]) => v[0])).toEqual([2])
    },
  )

  it('writes only what changed, and leaves the same stored and index documents as a whole write', async () => {
    const x = 'urn:ngsi-ld:Meter:delta'
    const row = async () =>
      (
        await sql<{ attrs: Record<string, unknown>; search: unknown; same: boolean; v: string }>`SELECT attrs, search,
          search = ngsi_search_doc(attrs) AS same, xmin::text AS v FROM ngsi_entities
          WHERE tenant = ${A} AND id = ${x}`.execute(t.database.db)
      ).rows[0]!
    expect(
      (await call('POST', '/entities', { id: x, type: 'Meter', power: { type: 'Property', value: 1 } })).statusCode,
    ).toBe(201)
    const steps: [string, string, unknown][] = [
      ['PATCH', `/entities/${x}/attrs/power`, { value: 2, observedAt: '2026-11-24T10:00:00Z' }], // a reading
      ['POST', `/entities/${x}/attrs`, { status: { type: 'Property', value: 'ok' } }], // a new attribute
      ['PATCH', `/entities/${x}/attrs`, { status: { type: 'Property', value: 'faulty' } }], // a new string
      ['PATCH', `/entities/${x}/attrs/status`, { value: 'x', since: { type: 'Property', value: 'today' } }],
      [
        'PATCH',
        `/entities/${x}`,
        { name: { type: 'LanguageProperty', languageMap: { it: 'Contatore', en: 'Meter' } } },
      ],
      ['DELETE', `/entities/${x}/attrs/status`, undefined], // a removed attribute
      [
        'PUT',
        `/entities/${x}`,
        { type: 'Meter', power: { type: 'Property', value: 7 }, serial: { type: 'Property', value: 'S1' } },
      ],
    ]
    let before = await row()
    for (const [method, url, body] of steps) {
      const r = await call(method, url, body)
      expect(r.statusCode, `${method} ${url}: ${r.body}`).toBeLessThan(300)
      const after = await row()
      expect(after.v, `${method} ${url} wrote the row`).not.toBe(before.v)
      expect(after.same, `${method} ${url}: ${JSON.stringify(after.search)}`).toBe(true)
      before = after
    }
    const kv = (await call('GET', `/entities/${x}?options=keyValues`)).json()
    expect(kv).toEqual({ id: x, type: 'Meter', power: 7, serial: 'S1' })
    expect(
      Object.keys(before.attrs)
        .map((k) => k.split('/').pop())
        .sort(),
    ).toEqual(['power', 'serial'])
  })

  it.skipIf(!PG_URL)('keeps one generic plan for the entity reads and the direct write (PostgreSQL)', async () => {
    // a table of some size with statistics, as the planner has them in production
    await sql`INSERT INTO ngsi_entities (tenant, id, types, attrs, search, created_at, modified_at)
      SELECT ${A}, 'urn:ngsi-ld:Filler:' || n, '{Filler}', '{}', '{}', now(), now()
      FROM generate_series(1, 20000) AS n`.execute(t.database.db)
    await sql`ANALYZE ngsi_entities`.execute(t.database.db)
    // one connection with the server's named statements (a text is named at its third use): plan counts are per
    // connection
    const d = await openDatabase({ databaseUrl: t.database.location.databaseUrl!, poolSize: 1 })
    const db = d.db
    try {
      for (let n = 0; n < 10; n++) {
        const ids = Array.from({ length: 1 + (n % 5) }, (_, i) => id(i))
        await repo.getEntities(db, A, ids)
        const read = await repo.readVersioned(db, A, ids)
        // a write that finds every row changed (a version no row has): the same statement, nothing written
        const entries = [...read.values()].map((v) => ({ entity: v.entity, read: { ...v, version: '3' } }))
        expect((await repo.writeVersioned(db, A, entries, [])).size).toBe(0)
      }
      const plans = await sql<{ statement: string; generic_plans: number; custom_plans: number }>`SELECT statement,
          generic_plans::int, custom_plans::int FROM pg_prepared_statements
        WHERE statement LIKE '%FROM ngsi_entities e%' OR statement LIKE 'WITH w AS (UPDATE ngsi_entities%'`.execute(db)
      expect(plans.rows).toHaveLength(3)
      // PostgreSQL tries five custom plans, then keeps the generic one when it does not look dearer
      for (const p of plans.rows) expect([p.custom_plans, p.generic_plans], p.statement.slice(0, 60)).toEqual([5, 3])
    } finally {
      await d.close()
    }
  })

  it('finds the rows of a direct write through the primary key, whatever the statistics', async () => {
    const db = t.database.db
    const read = await repo.readVersioned(db, A, [id(0), id(1)])
    const entries = [...read.values()].map((v) => ({ entity: v.entity, read: v }))
    entries.sort((a, b) => (a.entity.id < b.entity.id ? 1 : -1)) // given in reverse order
    const statement = repo.writeVersionedStatement(A, entries, [])
    // the rows travel in id order (the order the UPDATE locks them in: overlapping writes cannot deadlock)
    const rows = statement.compile(db).parameters.find((p) => typeof p === 'string' && p.startsWith('[{'))
    expect(JSON.parse(rows as string).map((r: { id: string }) => r.id)).toEqual([id(0), id(1)])
    const plan = await db.transaction().execute(async (trx) => {
      // what a planner without statistics may prefer: the JSON rows joined to a scan of the table
      await sql`SET LOCAL enable_nestloop = off`.execute(trx)
      const r = await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (FORMAT JSON) ${statement}`.execute(trx)
      return r.rows[0]!['QUERY PLAN']
    })
    const scans: Record<string, unknown>[] = []
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk)
      else if (n && typeof n === 'object') {
        const node = n as Record<string, unknown>
        if (node['Relation Name'] === 'ngsi_entities') scans.push(node)
        for (const v of Object.values(node)) walk(v)
      }
    }
    walk(plan)
    expect(scans.map((n) => n['Node Type'])).not.toContain('Seq Scan')
    // every scan of the table is restricted to the ids (index condition, or filter of a tiny table's bitmap scan)
    const restricted = (n: Record<string, unknown>) =>
      n['Node Type'] === 'ModifyTable' || /id = ANY/.test(`${n['Index Cond']} ${n['Recheck Cond']} ${n.Filter}`)
    expect(scans.filter((n) => !restricted(n))).toEqual([])
    expect(scans.length).toBeGreaterThan(1)
    expect(JSON.stringify(plan)).toMatch(/ngsi_entities_pkey/)
  })
})
