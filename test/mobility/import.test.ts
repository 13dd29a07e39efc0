/**
 * Imports of presence and flows through the HTTP API, on the test database: streamed CSV with header variants,
 * every bad row reported with its line and the rest imported, idempotence (the same file twice changes nothing),
 * quarter hours, the Telecom Italia activity format, JSON records, NDJSON progress, size limits, and access.
 */
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, B, createTestApp, type TestApp } from '../support/app.js'

const square = (x: number, y: number, d = 0.01) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
})

const ZONES = {
  type: 'FeatureCollection',
  features: ['Z1', 'Z2', 'Z3', 'Z4'].map((id, i) => ({
    type: 'Feature',
    properties: { code: id, label: `Zona ${i + 1}` },
    geometry: square(10.5 + i * 0.01, 43.84),
  })),
}

describe('mobility imports', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({ URBE_MOBILITY_IMPORT_LIMIT: '200000' })
    const r = await t.call({
      method: 'PUT',
      url: `/api/mobility/${A}/zones?layer=ace&idProperty=code&nameProperty=label`,
      key: t.keys[A]!.operator,
      payload: ZONES,
    })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toEqual({ layer: 'ace', zones: 4 })
  }, 60_000)
  afterAll(() => t?.close())

  const upload = (
    tenant: string,
    kind: string,
    csv: string,
    opts: { key?: string; query?: string; accept?: string } = {},
  ) =>
    t.call({
      method: 'POST',
      url: `/api/mobility/${tenant}/imports/${kind}${opts.query ?? ''}`,
      key: opts.key ?? t.keys[tenant]!.operator,
      headers: { 'content-type': 'text/csv', ...(opts.accept ? { accept: opts.accept } : {}) },
      payload: csv,
    })

  const heat = async (day: string, cls = 'all', tenant = A) => {
    const r = await t.call({
      method: 'GET',
      url: `/api/mobility/${tenant}/heatmap?day=${day}&class=${cls}`,
      key: t.keys[tenant]!.viewer,
    })
    expect(r.statusCode, r.body).toBe(200)
    return Object.fromEntries(r.json().zones.map((z: { zone: string; values: unknown[] }) => [z.zone, z.values]))
  }

  it('imports a provider CSV (Italian header, ";" and decimal comma), reports each bad row and goes on', async () => {
    const csv = [
      'zona;data_ora;classe;presenze;permanenza',
      'Z1;2025-03-03T08:00:00+01:00;residenti;120;35,5',
      'Z1;2025-03-03T08:00:00+01:00;pendolari;80,0;',
      'Z2;2025-03-03 09:00;turisti_stranieri;45;',
      'Z9;2025-03-03T25:00:00+01:00;residenti;10;', // line 5: bad time
      'Z1;2025-03-03T10:00:00+01:00;marziani;10;', // line 6: unknown class
      'Z1;2025-03-03T10:00:00+01:00;residenti;-4;', // line 7: negative
      'Z1;2025-03-03T10:00:00+01:00;residenti', // line 8: fields
      '',
      'Z3;2025-03-03T07:00:00Z;residenti;200;', // 08:00 local
    ].join('\n')
    const r = await upload(A, 'presence', csv)
    expect(r.statusCode, r.body).toBe(200)
    const s = r.json()
    expect(s).toMatchObject({
      kind: 'presence',
      rows: 8,
      imported: 4,
      rejected: 4,
      days: { from: '2025-03-03', to: '2025-03-03' },
    })
    expect(s.problems.map((p: { line: number }) => p.line)).toEqual([5, 6, 7, 8])
    expect(s.problems[0].reason).toMatch(/time/)
    expect(s.problems[1].reason).toMatch(/class "marziani"/)
    expect(s.problems[2].reason).toMatch(/count/)
    expect(s.problems[3].reason).toMatch(/expected 5 fields, found 3/)
    const h = await heat('2025-03-03', 'resident')
    expect(h.Z1[8]).toBe(120)
    expect(h.Z3[8]).toBe(200)
    const all = await heat('2025-03-03')
    expect(all.Z1[8]).toBe(200) // residents + commuters
  })

  it('is idempotent: the same file twice changes no count, a corrected value replaces the old one', async () => {
    const csv =
      'zone,time,class,count\nZ4,2025-03-04T10:00:00+01:00,resident,300\nZ4,2025-03-04T11:00:00+01:00,resident,310\n'
    await upload(A, 'presence', csv)
    const once = await heat('2025-03-04', 'resident')
    const series1 = await t.call({
      method: 'GET',
      url: `/api/mobility/${A}/series?zone=all&from=2025-03-04&to=2025-03-04`,
      key: t.keys[A]!.viewer,
    })
    await upload(A, 'presence', csv)
    expect(await heat('2025-03-04', 'resident')).toEqual(once)
    const series2 = await t.call({
      method: 'GET',
      url: `/api/mobility/${A}/series?zone=all&from=2025-03-04&to=2025-03-04`,
      key: t.keys[A]!.viewer,
    })
    expect(series2.json().total).toEqual(series1.json().total)
    expect(once.Z4[10]).toBe(300)
    await upload(A, 'presence', 'zone,time,class,count\nZ4,2025-03-04T10:00:00+01:00,resident,333\n')
    const after = await heat('2025-03-04', 'resident')
    expect(after.Z4[10]).toBe(333)
    expect(after.Z4[11]).toBe(310) // untouched
  })

  it('averages quarter hours into the hour (people present), and adds the Telecom Italia 10-minute activity', async () => {
    const q = [
      'zone,time,class,count',
      ...[0, 15, 30, 45].map(
        (m, i) => `Z2,2025-03-05T14:${String(m).padStart(2, '0')}:00+01:00,commuter,${100 + i * 20}`,
      ),
    ]
    const r = await upload(A, 'presence', q.join('\n'))
    expect(r.json().imported).toBe(4)
    expect((await heat('2025-03-05', 'commuter')).Z2[14]).toBe(130)
    // square, epoch ms, country, sms in, sms out, call in, call out, internet; 2013-11-01 00:00 and 00:10 local
    const tsv = [
      '101\t1383260400000\t39\t0.5\t0.5\t1\t1\t10',
      '101\t1383261000000\t39\t\t\t\t\t5',
      '101\t1383261000000\t0\t\t\t\t\t2',
      'x\t1\t2',
    ].join('\n')
    const a = await upload(A, 'presence', tsv, { query: '?format=telecom' })
    expect(a.statusCode, a.body).toBe(200)
    expect(a.json()).toMatchObject({ imported: 3, rejected: 1 })
    const s = await t.call({
      method: 'GET',
      url: `/api/mobility/${A}/series?zone=101&from=2013-11-01&to=2013-11-01`,
      key: t.keys[A]!.viewer,
    })
    expect(s.json().activity[0]).toBe(20) // 13 + 5 + 2, never suppressed (not people)
  })

  it('refuses a file it cannot read at all with a 400 and writes nothing', async () => {
    const before = (await t.call({ method: 'GET', url: `/api/mobility/${A}/imports`, key: t.keys[A]!.operator })).json()
      .items.length
    const noZone = await upload(A, 'presence', 'where,time,class,count\nZ1,2025-03-06T10:00:00+01:00,resident,50\n')
    expect(noZone.statusCode).toBe(400)
    expect(noZone.json().detail).toMatch(/no zone column/)
    const empty = await upload(A, 'presence', '')
    expect(empty.statusCode).toBe(400)
    const badMapping = await upload(A, 'presence', 'a,b\n', {
      query: `?mapping=${encodeURIComponent('{"columns":{"zone":"nope"}}')}`,
    })
    expect(badMapping.statusCode).toBe(400)
    expect(badMapping.json().detail).toMatch(/no such column/)
    const notJson = await upload(A, 'presence', 'a\n', { query: '?mapping=%7B' })
    expect(notJson.statusCode).toBe(400)
    const fmt = await upload(A, 'presence', 'a\n', { query: '?format=xlsx' })
    expect(fmt.statusCode).toBe(400)
    expect((await heat('2025-03-06')).Z1).toBeUndefined()
    const imports = (
      await t.call({ method: 'GET', url: `/api/mobility/${A}/imports`, key: t.keys[A]!.operator })
    ).json().items
    expect(imports.length).toBeGreaterThan(before)
    expect(imports[0].status).toBe('failed')
  })

  it('keeps the dwell time where given and answers its mean weighted by the people present', async () => {
    const csv = [
      'zone,time,class,count,dwell_minutes',
      'Z1,2025-03-12T10:00:00+01:00,foreign_visitor,300,60',
      'Z1,2025-03-12T11:00:00+01:00,foreign_visitor,100,120',
      'Z2,2025-03-12T10:00:00+01:00,foreign_visitor,500,30',
      'Z3,2025-03-12T10:00:00+01:00,foreign_visitor,400,',
      'Z1,2025-03-12T10:00:00+01:00,resident,900,-5',
    ].join('\n')
    const r = await upload(A, 'presence', csv)
    expect(r.json()).toMatchObject({ imported: 4, rejected: 1, problems: [{ line: 6 }] })
    const d = await t.call({
      method: 'GET',
      url: `/api/mobility/${A}/dwell?from=2025-03-12&to=2025-03-12`,
      key: t.keys[A]!.viewer,
    })
    expect(d.statusCode, d.body).toBe(200)
    const z1 = d.json().items.find((i: { zone: string }) => i.zone === 'Z1')
    expect(z1.name).toBe('Zona 1')
    expect(z1.classes.foreign_visitor).toBe(75) // (300 x 60 + 100 x 120) / 400
    expect(z1.classes.resident).toBeNull()
  })

  it("accepts a column mapping for a provider's own names", async () => {
    const mapping = {
      columns: { zone: 'cella', time: 'istante', class: 'segmento', count: 'utenti' },
      classes: { RES: 'resident' },
    }
    const csv = 'cella,istante,segmento,utenti\nZ1,2025-03-07T09:00:00+01:00,RES,77\n'
    const r = await upload(A, 'presence', csv, { query: `?mapping=${encodeURIComponent(JSON.stringify(mapping))}` })
    expect(r.json()).toMatchObject({ imported: 1, rejected: 0 })
    expect((await heat('2025-03-07', 'resident')).Z1[9]).toBe(77)
  })

  it('streams progress as NDJSON when asked, ending with the summary', async () => {
    const rows = ['zone,time,class,count']
    for (let d = 1; d <= 28; d++)
      for (let h = 0; h < 24; h++)
        rows.push(
          `Z3,2025-02-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00+01:00,resident,${100 + h}`,
        )
    const r = await upload(A, 'presence', rows.join('\n'), { accept: 'application/x-ndjson' })
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toContain('application/x-ndjson')
    const lines = r.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.at(-1).summary).toMatchObject({ imported: 672, days: { from: '2025-02-01', to: '2025-02-28' } })
  })

  it('refuses a file larger than URBE_MOBILITY_IMPORT_LIMIT with 413, streamed, without holding it', async () => {
    const big = `zone,time,class,count\n${'Z1,2025-03-08T10:00:00+01:00,resident,50\n'.repeat(6000)}`
    // a real socket: the server answers while the client is still sending
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' })
    const r = await fetch(`${base}/api/mobility/${A}/imports/presence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.keys[A]!.operator}`, 'content-type': 'text/csv' },
      body: Readable.toWeb(Readable.from([big.slice(0, 100_000), big.slice(100_000)])) as ReadableStream,
      duplex: 'half',
    } as RequestInit)
    const statusCode = r.status
    expect((await r.json()).title).toMatch(/too large/i)
    expect(statusCode).toBe(413)
  })

  it('imports flows (CSV and JSON) and answers the top flows of the month from the roll-up', async () => {
    const csv = [
      'day,origin_zone,destination_zone,band,class,count',
      '2025-03-03,015146,Z1,07-09,commuter,400',
      '2025-03-04,015146,Z1,07-09,commuter,420',
      '2025-03-03,Z1,015146,17-19,commuter,390',
      '2025-03-03,Z2,Z1,10,resident,12', // below k: never published, not in the roll-up
      '2025-03-03,Z2,Z1,25-26,resident,50', // bad band
    ].join('\n')
    const r = await upload(A, 'flows', csv)
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({ kind: 'flows', imported: 4, rejected: 1 })
    expect(r.json().problems[0]).toMatchObject({ line: 6 })
    await upload(A, 'flows', csv) // idempotent
    const j = await t.call({
      method: 'POST',
      url: `/api/mobility/${A}/flows`,
      key: t.keys[A]!.operator,
      payload: [
        { day: '2025-03-05', origin: '015146', destination: 'Z1', band: '07-09', class: 'commuter', count: 410 },
        { day: 'nope' },
      ],
    })
    expect(j.statusCode, j.body).toBe(200)
    expect(j.json()).toMatchObject({ imported: 1, rejected: 1 })
    const top = await t.call({
      method: 'GET',
      url: `/api/mobility/${A}/flows?from=2025-03-01&to=2025-03-31`,
      key: t.keys[A]!.viewer,
    })
    const items = top.json().items
    expect(items[0]).toMatchObject({
      origin: '015146',
      originName: 'Milano',
      destination: 'Z1',
      destinationName: 'Zona 1',
      count: 1230,
    })
    expect(items.find((i: { origin: string }) => i.origin === 'Z2')).toBeUndefined()
    expect(items[0].from[0]).toBeGreaterThan(9) // Milano's centre, from the shipped boundaries
    expect(items[0].from[0]).toBeLessThan(9.3)
    const cm = await t.call({
      method: 'GET',
      url: `/api/mobility/${A}/commuters?from=2025-03-03&to=2025-03-05`,
      key: t.keys[A]!.viewer,
    })
    const band = cm.json().bands.find((b: { from: number }) => b.from === 7)
    expect(band.inflow).toBe(410) // (400 + 420 + 410) / 3 days
  })

  it('takes JSON presence records with the same checks', async () => {
    const r = await t.call({
      method: 'POST',
      url: `/api/mobility/${A}/presence`,
      key: t.keys[A]!.operator,
      payload: [
        { zone: 'Z1', time: '2025-03-09T12:00:00+01:00', class: 'foreign_visitor', count: 90, origin: 'c:208' },
        { zone: 'Z1', time: '2025-03-09T12:00:00+01:00', class: 'foreign_visitor', count: 95 },
        { zone: 'Z1', time: 'soon', class: 'resident', count: 1 },
      ],
    })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({ imported: 2, rejected: 1, problems: [{ line: 3 }] })
    const o = await t.call({
      method: 'GET',
      url: `/api/mobility/${A}/origins?kind=country&from=2025-03-09&to=2025-03-09`,
      key: t.keys[A]!.viewer,
    })
    expect(o.json().items[0]).toMatchObject({ origin: 'c:208', name: 'Francia', value: 90 })
    const tooMany = await t.call({
      method: 'POST',
      url: `/api/mobility/${A}/presence`,
      key: t.keys[A]!.operator,
      payload: Array(10_001).fill({}),
    })
    expect(tooMany.statusCode).toBe(400)
  })

  it('refuses bad zone layers and keeps the old one', async () => {
    for (const payload of [
      { type: 'Feature' },
      { type: 'FeatureCollection', features: [] },
      { type: 'FeatureCollection', features: [{ id: 'a', geometry: { type: 'LineString', coordinates: [] } }] },
      {
        type: 'FeatureCollection',
        features: [
          {
            id: 'a',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [0, 0],
                  [1, 1],
                ],
              ],
            },
          },
        ],
      },
    ]) {
      const r = await t.call({
        method: 'PUT',
        url: `/api/mobility/${A}/zones?layer=ace`,
        key: t.keys[A]!.operator,
        payload,
      })
      expect(r.statusCode, JSON.stringify(payload)).toBe(400)
    }
    const z = await t.call({ method: 'GET', url: `/api/mobility/${A}/zones?layer=ace`, key: t.keys[A]!.viewer })
    expect(z.json().features).toHaveLength(4)
  })

  it('keeps tenants apart and needs a login and the operator role to import', async () => {
    expect((await upload(B, 'presence', 'zone,time,class,count\n', { key: t.keys[A]!.admin })).statusCode).toBe(403)
    expect((await upload(A, 'presence', 'zone,time,class,count\n', { key: t.keys[A]!.viewer })).statusCode).toBe(403)
    const anon = await t.app.inject({
      method: 'POST',
      url: `/api/mobility/${A}/imports/presence`,
      headers: { 'content-type': 'text/csv' },
      payload: 'x',
    })
    expect(anon.statusCode).toBe(401)
    const other = await t.call({
      method: 'GET',
      url: `/api/mobility/${B}/heatmap?day=2025-03-03`,
      key: t.keys[B]!.viewer,
    })
    expect(other.json().zones).toEqual([])
  })
})
