import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { boundaryOf } from '../src/demo/comuni.js'
import { A, B, createTestApp, type TestApp } from './support/app.js'

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

describe('Comuni (tenants)', () => {
  let t: TestApp
  let root: Awaited<ReturnType<TestApp['login']>>
  beforeAll(async () => {
    t = await createTestApp()
    root = await t.login('root')
  })
  afterAll(() => t?.close())

  it('creates a Comune with its real boundary in PostGIS (platform admin)', async () => {
    const boundary = boundaryOf('020030', 'limits_P_20_municipalities.geojson')
    const res = await t.call({
      method: 'POST',
      url: '/api/tenants',
      session: root,
      payload: { id: '020030', name: 'Mantova', province: 'Mantova', region: 'Lombardia', population: 49000, boundary },
    })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body.timezone).toBe('Europe/Rome')
    // Mantova's centre is about 10.79 E, 45.16 N
    expect(body.center[0]).toBeGreaterThan(10.7)
    expect(body.center[0]).toBeLessThan(10.9)
    expect(body.center[1]).toBeGreaterThan(45.1)
    expect(body.center[1]).toBeLessThan(45.2)
    const one = await t.app.inject({ method: 'GET', url: '/api/tenants/020030' })
    expect(one.json().boundary.type).toBe('MultiPolygon')
    const list = await t.app.inject({ method: 'GET', url: '/api/tenants' })
    expect(
      list
        .json()
        .map((x: { id: string }) => x.id)
        .sort(),
    ).toEqual([B, '020030', A].sort())
  })

  it('refuses duplicates and bad input with clear 4xx and writes nothing', async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ id: A, name: 'Again' }, 409, /already exists/],
      [{ id: 'bad id!', name: 'X' }, 400, /ISTAT/],
      [{ id: '099001', name: '' }, 400, /name/],
      [{ id: '099001', name: 'X', timezone: 'Mars/Olympus' }, 400, /time zone/],
      [{ id: '099001', name: 'X', population: -3 }, 400, /population/],
      [{ id: '099001', name: 'X', boundary: { type: 'Point', coordinates: [1, 2] } }, 400, /Polygon/],
      [
        {
          id: '099001',
          name: 'X',
          boundary: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 1],
              ],
            ],
          },
        },
        400,
        /closed/,
      ],
      [{ id: '099001', name: 'X', boundary: square(200, 0) }, 400, /WGS84/],
      [
        {
          id: '099001',
          name: 'X',
          boundary: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 1],
                [1, 0],
                [0, 1],
                [0, 0],
              ],
            ],
          },
        },
        400,
        /Self-intersection/i,
      ],
    ]
    for (const [payload, status, detail] of cases) {
      const r = await t.call({ method: 'POST', url: '/api/tenants', session: root, payload: payload as object })
      expect(r.statusCode, JSON.stringify(payload)).toBe(status)
      expect(r.json().detail).toMatch(detail)
    }
    const list = await t.app.inject({ method: 'GET', url: '/api/tenants' })
    expect(list.json().map((x: { id: string }) => x.id)).not.toContain('099001')
  })

  it('lets only platform admins create, and tenant admins update their own Comune', async () => {
    const byAdmin = await t.call({
      method: 'POST',
      url: '/api/tenants',
      key: t.keys[A]!.admin,
      payload: { id: '099002', name: 'X' },
    })
    expect(byAdmin.statusCode).toBe(403)
    const anon = await t.app.inject({ method: 'POST', url: '/api/tenants', payload: { id: '099002', name: 'X' } })
    expect(anon.statusCode).toBe(401)
    const upd = await t.call({
      method: 'PATCH',
      url: `/api/tenants/${A}`,
      key: t.keys[A]!.admin,
      payload: { population: 90000, boundary: square(10.5, 43.8) },
    })
    expect(upd.statusCode).toBe(200)
    expect(upd.json().population).toBe(90000)
    expect(upd.json().bbox).toEqual([10.5, 43.8, 10.51, 43.81])
    const op = await t.call({
      method: 'PATCH',
      url: `/api/tenants/${A}`,
      key: t.keys[A]!.operator,
      payload: { population: 1 },
    })
    expect(op.statusCode).toBe(403)
    const other = await t.call({
      method: 'PATCH',
      url: `/api/tenants/${B}`,
      key: t.keys[A]!.admin,
      payload: { population: 1 },
    })
    expect(other.statusCode).toBe(403)
    const unknown = await t.call({
      method: 'PATCH',
      url: '/api/tenants/099999',
      session: root,
      payload: { population: 1 },
    })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().code).toBe('NonexistentTenant')
    const badGeom = await t.call({
      method: 'PATCH',
      url: `/api/tenants/${A}`,
      session: root,
      payload: {
        boundary: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 1],
              [1, 0],
              [0, 1],
              [0, 0],
            ],
          ],
        },
      },
    })
    expect(badGeom.statusCode).toBe(400)
    expect((await t.app.inject({ method: 'GET', url: `/api/tenants/${A}` })).json().bbox).toEqual([
      10.5, 43.8, 10.51, 43.81,
    ])
  })

  it('answers 404 for an unknown Comune', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/tenants/123456' })
    expect(r.statusCode).toBe(404)
  })
})
