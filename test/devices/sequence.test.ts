/**
 * One flush, many values per device: the broker writes each entity once (its latest value; a late measurement goes
 * to history only), history keeps every value in order, a subscription is notified once per entity per flush with the
 * latest state, and an item the broker refuses fails alone.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A } from '../support/app.js'
import { type Receiver, startReceiver, waitFor } from '../ngsi-ld/subscriptions-receiver.js'
import { createGatewayApp, type GatewayApp } from './support.js'

const at = (s: number) => `2026-05-01T10:00:${String(s).padStart(2, '0')}.000Z`

describe('gateway: several values of a device in one flush', () => {
  let g: GatewayApp
  let rx: Receiver
  let apikey: string
  beforeAll(async () => {
    // one flush for everything this test sends (the queue is written when it stops or when asked)
    g = await createGatewayApp({
      URBE_IOT_FLUSH_MS: '10000',
      URBE_IOT_BATCH_SIZE: '100000',
      URBE_NOTIFY_POLL_MS: '100',
    })
    rx = await startReceiver()
    ;({ apikey } = await g.group({ entity_type: 'Thing', protocol: 'json' }))
    await g.provision([
      { device_id: 'q1', apikey },
      { device_id: 'q2', apikey },
    ])
  })
  afterAll(async () => {
    await g?.close()
    await rx?.close()
  })

  const post = (device: string, body: unknown) =>
    g.app.inject({
      method: 'POST',
      url: `/iot/json?k=${apikey}&i=${device}`,
      payload: body as object,
    })

  it('writes the entity once with the latest values and every value to history, in order', async () => {
    const sub = await g.call({
      method: 'POST',
      url: '/ngsi-ld/v1/subscriptions',
      key: g.keys[A]!.operator,
      payload: {
        type: 'Subscription',
        entities: [{ type: 'Thing' }],
        watchedAttributes: ['t'],
        notification: { endpoint: { uri: rx.url }, attributes: ['t'] },
      },
    })
    expect(sub.statusCode, sub.body).toBe(201)
    // q1: five values of t (one of them late), q2: two; h only once
    for (const [s, v] of [
      [1, 10],
      [2, 11],
      [4, 13],
      [3, 12], // late: observed before the value already applied
      [5, 14],
    ] as const) {
      expect((await post('q1', { t: v, TimeInstant: at(s) })).statusCode).toBeLessThan(300)
    }
    expect((await post('q1', { h: 50, TimeInstant: at(5) })).statusCode).toBeLessThan(300)
    expect((await post('q2', { t: 1, TimeInstant: at(1) })).statusCode).toBeLessThan(300)
    expect((await post('q2', { t: 2, TimeInstant: at(2) })).statusCode).toBeLessThan(300)
    expect(g.devices.queue.size).toBe(8)
    expect((await g.entity('urn:ngsi-ld:Thing:q1'))?.t).toBeUndefined() // provisioned, no value written yet
    await g.devices.queue.flush()

    const q1 = await g.entity('urn:ngsi-ld:Thing:q1')
    expect(q1?.t).toMatchObject({ value: 14, observedAt: at(5) })
    expect(q1?.h).toMatchObject({ value: 50 })
    expect((await g.entity('urn:ngsi-ld:Thing:q2'))?.t).toMatchObject({ value: 2, observedAt: at(2) })

    const history = await sql<{ v: number; t: Date }>`SELECT num AS v, observed_at AS t FROM ngsi_attr_history
      WHERE tenant = ${A} AND entity_id = 'urn:ngsi-ld:Thing:q1' AND attr LIKE '%/t' ORDER BY observed_at`.execute(
      g.database.db,
    )
    expect(history.rows.map((r) => r.v)).toEqual([10, 11, 12, 13, 14])
    const temporal = await g.call({
      method: 'GET',
      url: `/ngsi-ld/v1/temporal/entities/${encodeURIComponent('urn:ngsi-ld:Thing:q1')}?options=temporalValues&attrs=t`,
      key: g.keys[A]!.viewer,
    })
    expect(temporal.json().t.values.map((x: [number, string]) => x[0])).toEqual([10, 11, 12, 13, 14])

    // one notification per entity, with its latest value
    await waitFor(() => rx.entities().length >= 2)
    await new Promise((r) => setTimeout(r, 400))
    const notified = rx.entities()
    expect(notified).toHaveLength(2)
    const byId = Object.fromEntries(notified.map((e) => [e.id as string, e]))
    expect(byId['urn:ngsi-ld:Thing:q1']).toMatchObject({ t: { value: 14 } })
    expect(byId['urn:ngsi-ld:Thing:q2']).toMatchObject({ t: { value: 2 } })
  })

  it('refuses a bad item alone: the other items of the sequence, of the same entity too, are written', async () => {
    const ctx = g.ngsi.resolver.core
    const body = (id: string, v: unknown) => ({ id, type: 'Thing', t: { type: 'Property', value: v } })
    const { failed } = await g.ngsi.batch.upsertSequence(A, [
      { body: body('urn:ngsi-ld:Thing:q2', 20), ctx },
      { body: { id: 'urn:ngsi-ld:Thing:q2', type: 'Thing', t: { type: 'Property' } }, ctx }, // no value
      { body: body('not a uri', 1), ctx },
      { body: body('urn:ngsi-ld:Thing:q2', 21), ctx },
    ])
    expect([...failed.keys()]).toEqual([1, 2])
    expect(failed.get(1)).toMatch(/value/)
    expect((await g.entity('urn:ngsi-ld:Thing:q2'))?.t).toMatchObject({ value: 21 })
  })
})
