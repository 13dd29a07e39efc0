/** The temporal API, endpoint by endpoint, with its error cases (clauses 5.6.11 - 5.6.16, 5.7.3, 5.7.4). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, createTestApp, type TestApp } from '../support/app.js'

const T = '/ngsi-ld/v1/temporal/entities'
const at = (h: number) => `2026-02-01T${String(h).padStart(2, '0')}:00:00.000Z`
const E1 = 'urn:ngsi-ld:Meter:1'
const E2 = 'urn:ngsi-ld:Meter:2'

describe('NGSI-LD temporal API', () => {
  let t: TestApp
  let op: string
  let viewer: string
  beforeAll(async () => {
    t = await createTestApp()
    op = t.keys[A]!.operator
    viewer = t.keys[A]!.viewer
    // current state: E1 at Lucca with power 10 (q and geo-queries apply to it), E2 elsewhere with power 99
    for (const [id, power, lon] of [
      [E1, 10, 10.5],
      [E2, 99, 11.5],
    ] as const) {
      const r = await t.call({
        method: 'POST',
        url: '/ngsi-ld/v1/entities',
        key: op,
        payload: {
          id,
          type: 'Meter',
          power: { type: 'Property', value: power, observedAt: at(0) },
          location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [lon, 43.84] } },
        },
      })
      expect(r.statusCode).toBe(201)
    }
  })
  afterAll(() => t?.close())

  const get = (url: string, key = viewer, headers: Record<string, string> = {}) =>
    t.call({ method: 'GET', url, key, headers })
  const send = (method: string, url: string, payload?: unknown, key = op) =>
    t.call({ method: method as 'POST', url, key, ...(payload !== undefined ? { payload: payload as object } : {}) })

  it('POST /temporal/entities creates a temporal entity (201), then adds instances (204)', async () => {
    const created = await send('POST', T, {
      id: 'urn:ngsi-ld:Meter:hist',
      type: 'Meter',
      power: [
        { type: 'Property', value: 1, observedAt: at(1) },
        { type: 'Property', value: 2, observedAt: at(2) },
        { type: 'Property', value: 3, observedAt: at(3), datasetId: 'urn:ds:b' },
      ],
    })
    expect(created.statusCode).toBe(201)
    expect(created.headers.location).toBe(`${T}/urn%3Angsi-ld%3AMeter%3Ahist`)
    const again = await send('POST', T, {
      id: 'urn:ngsi-ld:Meter:hist',
      power: { type: 'Property', value: 4, observedAt: at(4) },
    })
    expect(again.statusCode).toBe(204)
    const r = await get(`${T}/urn:ngsi-ld:Meter:hist?options=temporalValues`)
    expect(r.json()).toEqual({
      id: 'urn:ngsi-ld:Meter:hist',
      type: 'Meter',
      power: [
        {
          type: 'Property',
          values: [
            [1, at(1)],
            [2, at(2)],
            [4, at(4)],
          ],
        },
        { type: 'Property', values: [[3, at(3)]], datasetId: 'urn:ds:b' },
      ],
    })
    // history only: no current entity was created
    expect((await get('/ngsi-ld/v1/entities/urn:ngsi-ld:Meter:hist')).statusCode).toBe(404)
  })

  it('POST /temporal/entities refuses bad payloads and viewers', async () => {
    const cases: [unknown, RegExp][] = [
      [{ type: 'Meter', power: 1 }, /id/],
      [{ id: 'urn:ngsi-ld:Meter:new', power: 1 }, /type/],
      [{ id: 'not a uri', type: 'Meter' }, /id/],
      [{ id: 'urn:ngsi-ld:Meter:new', type: 'Meter', power: [] }, /at least one instance/],
      [
        { id: 'urn:ngsi-ld:Meter:new', type: 'Meter', power: { type: 'Property', value: 1, observedAt: 'noon' } },
        /observedAt/,
      ],
      [[1, 2], /JSON object/],
    ]
    for (const [payload, message] of cases) {
      const r = await send('POST', T, payload)
      expect(r.statusCode, JSON.stringify(payload)).toBe(400)
      expect(r.json().detail).toMatch(message)
    }
    expect((await send('POST', T, { id: 'urn:ngsi-ld:Meter:v', type: 'Meter' }, viewer)).statusCode).toBe(403)
  })

  it('GET /temporal/entities/{id}: normalized, with instanceId and sysAttrs; 404 when unknown; 400 for a bad id', async () => {
    const r = await get(`${T}/${E1}?options=sysAttrs`)
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toMatch(/application\/json/)
    expect(r.headers.link).toContain('ngsi-ld-core-context')
    const e = r.json()
    expect(e.power).toEqual([
      expect.objectContaining({ type: 'Property', value: 10, observedAt: at(0), instanceId: expect.any(String) }),
    ])
    expect(e.power[0].createdAt).toBeDefined()
    expect(e.location[0].value).toEqual({ type: 'Point', coordinates: [10.5, 43.84] })
    expect((await get(`${T}/urn:ngsi-ld:Meter:none`)).statusCode).toBe(404)
    expect((await get(`${T}/nope`)).statusCode).toBe(400)
    const ld = await get(`${T}/${E1}`, viewer, { accept: 'application/ld+json' })
    expect(ld.json()['@context']).toBeDefined()
    expect((await get(`${T}/${E1}`, viewer, { accept: 'application/geo+json' })).statusCode).toBe(406)
  })

  it('GET /temporal/entities selects with type, id, idPattern, attrs, q and geo-queries (on the current state)', async () => {
    const ids = async (query: string) => {
      const r = await get(`${T}?${query}`)
      expect(r.statusCode, r.body).toBe(200)
      return r.json().map((e: { id: string }) => e.id)
    }
    expect(await ids('type=Meter')).toEqual([E1, E2, 'urn:ngsi-ld:Meter:hist'])
    expect(await ids(`id=${E2}`)).toEqual([E2])
    expect(await ids('idPattern=.*:[12]$')).toEqual([E1, E2])
    expect(await ids('type=Meter&q=power>50')).toEqual([E2])
    expect(await ids('type=Meter&georel=near;maxDistance==1000&geometry=Point&coordinates=[10.5,43.84]')).toEqual([E1])
    expect(await ids('attrs=location')).toEqual([E1, E2])
    expect(await ids('type=Meter&limit=1&offset=1')).toEqual([E2])
    const counted = await get(`${T}?type=Meter&count=true&limit=1`)
    expect(counted.headers['ngsild-results-count']).toBe('3')
    const projected = (await get(`${T}?type=Meter&attrs=power&id=${E1}`)).json()
    expect(Object.keys(projected[0])).toEqual(['id', 'type', 'power'])
  })

  it('applies timerel before, after and between with their boundaries', async () => {
    for (const h of [1, 2, 3]) {
      await send('PATCH', `/ngsi-ld/v1/entities/${E1}/attrs/power`, { value: 10 + h, observedAt: at(h) })
    }
    const times = async (query: string) => {
      const r = await get(`${T}/${E1}?attrs=power&options=temporalValues&${query}`)
      expect(r.statusCode, r.body).toBe(200)
      return (r.json().power?.values ?? []).map((v: [number, string]) => v[0])
    }
    expect(await times('')).toEqual([10, 11, 12, 13])
    // before: strictly before; after: at or after; between: [timeAt, endTimeAt)
    expect(await times(`timerel=before&timeAt=${at(2)}`)).toEqual([10, 11])
    expect(await times(`timerel=after&timeAt=${at(2)}`)).toEqual([12, 13])
    expect(await times(`timerel=between&timeAt=${at(1)}&endTimeAt=${at(3)}`)).toEqual([11, 12])
    expect(
      await times(`timerel=between&timeAt=${encodeURIComponent('2026-02-01T02:00:00+01:00')}&endTimeAt=${at(2)}`),
    ).toEqual([11])
    // lastN: the last N by time, in ascending order
    expect(await times('lastN=2')).toEqual([12, 13])
    expect(await times(`lastN=2&timerel=before&timeAt=${at(3)}`)).toEqual([11, 12])
    expect(await times('lastN=100')).toEqual([10, 11, 12, 13])
    // timeproperty=modifiedAt: the write times, all today
    expect(await times('timeproperty=modifiedAt&timerel=before&timeAt=2000-01-01T00:00:00Z')).toEqual([])
  })

  it.each([
    ['timerel=before', /needs timeAt/],
    ['timeAt=2026-01-01T00:00:00Z', /needs timerel/],
    ['timerel=after&timeAt=2026-01-01T00:00:00Z&endTimeAt=2026-01-02T00:00:00Z', /endTimeAt is only allowed/],
    ['timerel=between&timeAt=2026-01-01T00:00:00Z', /needs endTimeAt/],
    ['timerel=whenever&timeAt=2026-01-01T00:00:00Z', /timerel must be one of/],
    ['timerel=after&timeAt=tomorrow', /not a date-time/],
    ['timeproperty=observed', /timeproperty/],
    ['lastN=0', /lastN/],
    ['lastN=x', /lastN/],
    ['options=aggregatedValues', /needs aggrMethods/],
    ['options=aggregatedValues&aggrMethods=median', /median/],
    ['options=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=1H', /ISO 8601/],
    ['options=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=P1MT1H', /mixes/],
    ['aggrMethods=avg', /need options=aggregatedValues/],
    ['options=temporalValues,aggregatedValues&aggrMethods=avg', /Conflicting/],
    ['options=somethingElse', /options/],
  ])('answers 400 to %s', async (query, message) => {
    for (const url of [`${T}/${E1}?${query}`, `${T}?type=Meter&${query}`]) {
      const r = await get(url)
      expect(r.statusCode, url).toBe(400)
      expect(r.json().type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData')
      expect(r.json().detail).toMatch(message)
    }
  })

  it('GET /temporal/entities needs a filter (or local=true), like GET /entities', async () => {
    expect((await get(`${T}?lastN=1`)).statusCode).toBe(400)
    expect((await get(`${T}?local=true`)).statusCode).toBe(200)
    expect((await get(`${T}?type=Meter&q=power>>1`)).statusCode).toBe(400)
  })

  it('POST /temporal/entities/{id}/attrs adds instances; 404 for an unknown entity', async () => {
    const r = await send('POST', `${T}/${E2}/attrs`, {
      energy: [
        { type: 'Property', value: 5, observedAt: at(5) },
        { type: 'Property', value: 6, observedAt: at(6) },
      ],
    })
    expect(r.statusCode).toBe(204)
    const e = (await get(`${T}/${E2}?attrs=energy&options=temporalValues`)).json()
    expect(e.energy.values).toEqual([
      [5, at(5)],
      [6, at(6)],
    ])
    expect((await send('POST', `${T}/urn:ngsi-ld:Meter:none/attrs`, { energy: 1 })).statusCode).toBe(404)
    expect((await send('POST', `${T}/${E2}/attrs`, { id: E1, energy: 1 })).statusCode).toBe(400)
    expect((await send('POST', `${T}/${E2}/attrs`, {})).statusCode).toBe(400)
  })

  it('PATCH and DELETE /temporal/entities/{id}/attrs/{attrId}/{instanceId}', async () => {
    const before = (await get(`${T}/${E2}?attrs=energy`)).json().energy
    const [first, second] = before as { instanceId: string }[]
    const patched = await send('PATCH', `${T}/${E2}/attrs/energy/${encodeURIComponent(first!.instanceId)}`, {
      value: 50,
      observedAt: at(7),
    })
    expect(patched.statusCode).toBe(204)
    let values = (await get(`${T}/${E2}?attrs=energy&options=temporalValues`)).json().energy.values
    expect(values).toEqual([
      [6, at(6)],
      [50, at(7)],
    ])
    expect(
      (await send('PATCH', `${T}/${E2}/attrs/energy/urn:ngsi-ld:00000000-0000-0000-0000-000000000000`, { value: 1 }))
        .statusCode,
    ).toBe(404)
    expect((await send('PATCH', `${T}/${E2}/attrs/energy/not-an-instance`, { value: 1 })).statusCode).toBe(400)
    expect((await send('PATCH', `${T}/${E2}/attrs/energy/${first!.instanceId}`, { value: 1 }, viewer)).statusCode).toBe(
      403,
    )
    const del = await send('DELETE', `${T}/${E2}/attrs/energy/${second!.instanceId}`)
    expect(del.statusCode).toBe(204)
    values = (await get(`${T}/${E2}?attrs=energy&options=temporalValues`)).json().energy.values
    expect(values).toEqual([[50, at(7)]])
    expect((await send('DELETE', `${T}/${E2}/attrs/energy/${second!.instanceId}`)).statusCode).toBe(404)
  })

  it('DELETE /temporal/entities/{id}/attrs/{attrId}: the default instances, a datasetId, or all', async () => {
    const H = `${T}/urn:ngsi-ld:Meter:hist`
    expect((await send('DELETE', `${H}/attrs/power?datasetId=urn:ds:none`)).statusCode).toBe(404)
    expect((await send('DELETE', `${H}/attrs/power?datasetId=urn:ds:b`)).statusCode).toBe(204)
    let e = (await get(`${H}?options=temporalValues`)).json()
    expect(e.power.values).toHaveLength(3)
    expect(e.power.datasetId).toBeUndefined()
    expect((await send('DELETE', `${H}/attrs/power`)).statusCode).toBe(204)
    e = (await get(H)).json()
    expect(e.power).toBeUndefined()
    expect((await send('DELETE', `${H}/attrs/power`)).statusCode).toBe(404)
    expect((await send('DELETE', `${T}/urn:ngsi-ld:Meter:none/attrs/power`)).statusCode).toBe(404)
  })

  it('DELETE /temporal/entities/{id} removes the history, not the current entity', async () => {
    expect((await send('DELETE', `${T}/${E2}`)).statusCode).toBe(204)
    expect((await get(`${T}/${E2}`)).statusCode).toBe(404)
    expect((await send('DELETE', `${T}/${E2}`)).statusCode).toBe(404)
    expect((await get(`/ngsi-ld/v1/entities/${E2}`)).statusCode).toBe(200)
    // a later write starts its history again
    await send('PATCH', `/ngsi-ld/v1/entities/${E2}/attrs/power`, { value: 100, observedAt: at(9) })
    const e = (await get(`${T}/${E2}?options=temporalValues`)).json()
    expect(e.power.values).toEqual([[100, at(9)]])
  })

  it('POST /temporal/entityOperations/query with temporalQ', async () => {
    const q = (payload: unknown, query = '') =>
      t.call({
        method: 'POST',
        url: `/ngsi-ld/v1/temporal/entityOperations/query${query}`,
        key: viewer,
        payload: payload as object,
      })
    const r = await q(
      {
        type: 'Query',
        entities: [{ type: 'Meter', idPattern: '.*:1$' }],
        attrs: ['power'],
        temporalQ: { timerel: 'after', timeAt: at(2), lastN: 1 },
      },
      '?options=temporalValues',
    )
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toEqual([{ id: E1, type: 'Meter', power: { type: 'Property', values: [[13, at(3)]] } }])
    const agg = await q(
      {
        type: 'Query',
        entities: [{ id: E1 }],
        attrs: ['power'],
        temporalQ: { timerel: 'before', timeAt: at(9), aggrMethods: 'max' },
      },
      '?options=aggregatedValues',
    )
    expect(agg.json()[0].power.max).toEqual([[13, at(0), at(9)]])
    expect((await q({ type: 'Query', temporalQ: { timerel: 'after' }, attrs: ['power'] })).statusCode).toBe(400)
    expect((await q({ type: 'Query', temporalQ: 'soon', attrs: ['power'] })).statusCode).toBe(400)
    expect((await q({ type: 'Subscription' })).statusCode).toBe(400)
    expect((await q({ type: 'Query' })).statusCode).toBe(400)
  })
})
