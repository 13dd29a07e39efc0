/**
 * The public portal API (docs/portal.md) over entities written through the NGSI-LD broker with the simulator's
 * Smart Data Models @contexts: categories, the entity list (category filter, paging, limits), single entities (404s),
 * history buckets computed by the temporal aggregation, and "the city now" (air index bands, energy used today).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { A, B, createTestApp, type TestApp } from '../support/app.js'
import { createEntity, P, patchAttrs, point } from './support.js'

const API = `/api/portal/${A}`
const air = (n: number) => `urn:ngsi-ld:AirQualityObserved:lucca-aq-0${n}`
const MIN = 60_000

/** Midnight today in Europe/Rome, as epoch ms. */
function romeMidnight(now: number): number {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Rome',
    hourCycle: 'h23',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  })
  const parts = Object.fromEntries(f.formatToParts(new Date(now)).map((p) => [p.type, Number(p.value)]))
  return now - ((parts.hour! * 60 + parts.minute!) * 60 + parts.second!) * 1000 - (now % 1000)
}

describe('public portal API', () => {
  let t: TestApp
  const now = Date.now()
  const iso = (ms: number) => new Date(ms).toISOString()
  // the series test: four no2 readings in two 15-minute buckets, two hours ago
  const base = Math.floor(now / (15 * MIN)) * 15 * MIN - 2 * 60 * MIN

  beforeAll(async () => {
    t = await createTestApp()
    // air: two stations whose means are no2 40 (the top of band 1), pm10 15, pm25 5, o3 60 (band 2)
    const aq = (n: number, no2: number, pm10: number, pm25: number, o3: number) =>
      createEntity(t, A, 'Environment', {
        id: air(n),
        type: 'AirQualityObserved',
        name: P(`Stazione ${n}`),
        location: point(10.5 + n / 100, 43.84),
        no2: P(no2, { unitCode: 'GQ', observedAt: iso(now - MIN) }),
        pm10: P(pm10, { unitCode: 'GQ', observedAt: iso(now - MIN) }),
        pm25: P(pm25, { unitCode: 'GQ', observedAt: iso(now - MIN) }),
        o3: P(o3, { unitCode: 'GQ', observedAt: iso(now - MIN) }),
      })
    await aq(1, 30, 10, 5, 50)
    await aq(2, 50, 20, 5, 70)
    await createEntity(t, A, 'Weather', {
      id: 'urn:ngsi-ld:WeatherObserved:lucca-meteo-01',
      type: 'WeatherObserved',
      name: P('Meteo centro'),
      location: point(10.5, 43.84),
      temperature: P(12.5, { unitCode: 'CEL', observedAt: iso(now - MIN) }),
      relativeHumidity: P(0.8, { observedAt: iso(now - MIN) }),
      precipitation: P(0.2, { unitCode: 'MMT', observedAt: iso(now - MIN) }),
      windSpeed: P(3, { unitCode: 'MTS', observedAt: iso(now - MIN) }),
    })
    for (const [n, intensity, speed, congested] of [
      [1, 100, 40, false],
      [2, 300, 10, true],
    ] as const) {
      await createEntity(t, A, 'Transportation', {
        id: `urn:ngsi-ld:TrafficFlowObserved:lucca-traffic-0${n}`,
        type: 'TrafficFlowObserved',
        name: P(`Strada ${n}`),
        intensity: P(intensity, { observedAt: iso(now - MIN) }),
        averageVehicleSpeed: P(speed, { unitCode: 'KMH', observedAt: iso(now - MIN) }),
        congested: P(congested, { observedAt: iso(now - MIN) }),
      })
    }
    for (const [n, free, total] of [
      [1, 120, 500],
      [2, 30, 170],
    ] as const) {
      await createEntity(t, A, 'Parking', {
        id: `urn:ngsi-ld:OffStreetParking:lucca-parking-0${n}`,
        type: 'OffStreetParking',
        name: P(`Parcheggio ${n}`),
        location: point(10.49, 43.83 + n / 1000),
        availableSpotNumber: P(free, { observedAt: iso(now - MIN) }),
        totalSpotNumber: P(total),
      })
    }
    // energy: two meters; the cumulative reading grows by 25 and 7 kWh since midnight (Europe/Rome)
    const midnight = romeMidnight(now)
    const today = (f: number) => iso(midnight + f * (now - midnight))
    for (const [n, readings, power] of [
      [1, [900, 1000, 1010, 1025], 12.5],
      [2, [50, 100, 104, 107], 3],
    ] as const) {
      const id = `urn:ngsi-ld:ThreePhaseAcMeasurement:lucca-elec-0${n}`
      await createEntity(t, A, 'Energy', {
        id,
        type: 'ThreePhaseAcMeasurement',
        name: P(`Municipio ${n}: electricity`),
        totalActiveEnergyImport: P(readings[0], { unitCode: 'KWH', observedAt: iso(midnight - 60 * MIN) }),
        totalActivePower: P(power, { unitCode: 'KWT', observedAt: today(0.9) }),
      })
      for (const [i, v] of readings.slice(1).entries()) {
        await patchAttrs(t, A, 'Energy', id, { totalActiveEnergyImport: P(v, { observedAt: today(0.2 * (i + 1)) }) })
      }
    }
    // a gas meter is public (energy), a DeviceMeasurement of another measurementType is not
    const dm = (id: string, measurementType: string, v: number) =>
      createEntity(t, A, 'Device', {
        id,
        type: 'DeviceMeasurement',
        name: P(id.split(':').pop()),
        measurementType: P(measurementType),
        numValue: P(v, { observedAt: iso(now - MIN) }),
      })
    await dm('urn:ngsi-ld:DeviceMeasurement:lucca-gas-01', 'naturalGasFlow', 4.5)
    await dm('urn:ngsi-ld:DeviceMeasurement:lucca-wifi-01', 'activeSessions', 17)
    await dm('urn:ngsi-ld:DeviceMeasurement:lucca-secret-01', 'doorOpenings', 3)
    // not a public type at all
    await createEntity(t, A, 'Building', {
      id: 'urn:ngsi-ld:Building:municipio',
      type: 'Building',
      name: P('Municipio'),
    })
    // Pero has one air station of its own
    await createEntity(t, B, 'Environment', {
      id: 'urn:ngsi-ld:AirQualityObserved:pero-aq-01',
      type: 'AirQualityObserved',
      no2: P(300, { observedAt: iso(now - MIN) }),
    })
    // ... and a car park that has not reported yet: it does not count in "now"
    await createEntity(t, B, 'Parking', {
      id: 'urn:ngsi-ld:OffStreetParking:pero-parking-01',
      type: 'OffStreetParking',
      totalSpotNumber: P(80),
    })
    // history of a waste container: 10, 20, 60 in the bucket at `base`, 5 in the next one
    const waste = 'urn:ngsi-ld:WasteContainer:lucca-waste-01'
    await createEntity(t, A, 'WasteManagement', {
      id: waste,
      type: 'WasteContainer',
      name: P('Cassonetto 1'),
      fillingLevel: P(0.1, { observedAt: iso(base + MIN) }),
      storedWasteKind: P(['organic']),
    })
    for (const [v, at] of [
      [0.2, base + 5 * MIN],
      [0.6, base + 10 * MIN],
      [0.05, base + 20 * MIN],
    ] as const) {
      await patchAttrs(t, A, 'WasteManagement', waste, { fillingLevel: P(v, { observedAt: iso(at) }) })
    }
  })
  afterAll(() => t?.close())

  const get = (url: string) => t.app.inject({ method: 'GET', url })

  it('lists the categories with types, primary attribute and colour scale', async () => {
    const r = await get(`${API}/categories`)
    expect(r.statusCode).toBe(200)
    const cats = r.json() as { id: string; types: string[]; primary: { attr: string; scale: [number, string][] } }[]
    expect(cats.map((c) => c.id)).toEqual([
      'air',
      'weather',
      'traffic',
      'parking',
      'waste',
      'lighting',
      'energy',
      'rooms',
      'people',
      'wifi',
    ])
    const airCat = cats.find((c) => c.id === 'air')!
    expect(airCat).toMatchObject({ types: ['AirQualityObserved'], primary: { attr: 'no2', unit: 'µg/m³' } })
    expect(airCat.primary.scale[1]).toEqual([40, '#50ccaa'])
    expect(cats.find((c) => c.id === 'energy')!.types).toEqual(['ThreePhaseAcMeasurement', 'DeviceMeasurement'])
    for (const c of cats) {
      const stops = c.primary.scale.map((s) => s[0])
      expect(stops, c.id).toEqual([...stops].sort((a, b) => a - b))
      for (const [, colour] of c.primary.scale) expect(colour).toMatch(/^#[0-9a-f]{6}$/)
    }
  })

  it('lists the public entities only, with short attribute names', async () => {
    const r = await get(`${API}/entities`)
    expect(r.statusCode).toBe(200)
    const body = r.json() as { total: number; items: { id: string; category: string }[] }
    const ids = body.items.map((e) => e.id)
    expect(body.total).toBe(12)
    expect(ids).toEqual([...ids].sort())
    expect(ids).toContain('urn:ngsi-ld:DeviceMeasurement:lucca-gas-01')
    expect(ids).toContain('urn:ngsi-ld:DeviceMeasurement:lucca-wifi-01')
    expect(ids).not.toContain('urn:ngsi-ld:DeviceMeasurement:lucca-secret-01')
    expect(ids).not.toContain('urn:ngsi-ld:Building:municipio')
    expect(ids).not.toContain('urn:ngsi-ld:AirQualityObserved:pero-aq-01')
    const byId = Object.fromEntries(body.items.map((e) => [e.id, e]))
    expect(byId['urn:ngsi-ld:DeviceMeasurement:lucca-gas-01']).toMatchObject({
      category: 'energy',
      primaryAttr: 'numValue',
    })
    expect(byId['urn:ngsi-ld:DeviceMeasurement:lucca-wifi-01']).toMatchObject({ category: 'wifi' })
    expect(byId[air(1)]).toEqual({
      id: air(1),
      type: 'AirQualityObserved',
      category: 'air',
      name: 'Stazione 1',
      location: { type: 'Point', coordinates: [10.51, 43.84] },
      observedAt: new Date(now - MIN).toISOString(),
      primaryAttr: 'no2',
      values: {
        no2: { value: 30, unitCode: 'GQ', observedAt: new Date(now - MIN).toISOString() },
        pm10: { value: 10, unitCode: 'GQ', observedAt: new Date(now - MIN).toISOString() },
        pm25: { value: 5, unitCode: 'GQ', observedAt: new Date(now - MIN).toISOString() },
        o3: { value: 50, unitCode: 'GQ', observedAt: new Date(now - MIN).toISOString() },
      },
    })
    const parking = byId['urn:ngsi-ld:OffStreetParking:lucca-parking-01'] as unknown as { values: object }
    expect(parking.values).toMatchObject({ availableSpotNumber: { value: 120 }, totalSpotNumber: { value: 500 } })
  })

  it('filters by category and pages, with the total of the whole selection', async () => {
    const energy = (await get(`${API}/entities?category=energy`)).json()
    expect(energy.total).toBe(3)
    expect(energy.items.map((e: { type: string }) => e.type).sort()).toEqual([
      'DeviceMeasurement',
      'ThreePhaseAcMeasurement',
      'ThreePhaseAcMeasurement',
    ])
    const p1 = (await get(`${API}/entities?category=air&limit=1`)).json()
    const p2 = (await get(`${API}/entities?category=air&limit=1&offset=1`)).json()
    const p3 = (await get(`${API}/entities?category=air&limit=1&offset=2`)).json()
    expect([p1.total, p2.total, p3.total]).toEqual([2, 2, 2])
    expect([...p1.items, ...p2.items].map((e: { id: string }) => e.id)).toEqual([air(1), air(2)])
    expect(p3.items).toEqual([])
    const pero = (await get(`/api/portal/${B}/entities?category=air`)).json()
    expect(pero.items.map((e: { id: string }) => e.id)).toEqual(['urn:ngsi-ld:AirQualityObserved:pero-aq-01'])
  })

  it('answers the list, an entity and the city now with one SQL statement each', async () => {
    for (const url of [
      `${API}/entities`,
      `${API}/entities?category=energy`,
      `${API}/entities/${encodeURIComponent(air(1))}`,
      `${API}/now`,
    ]) {
      await get(url) // the tenant check is cached after the first request
      const seen: string[] = []
      const off = t.database.onQuery((q) => seen.push(q))
      expect((await get(url)).statusCode).toBe(200)
      off()
      expect(seen, url).toHaveLength(1)
    }
  })

  it('refuses bad limits, offsets and categories with 400 and a message', async () => {
    for (const q of ['limit=5001', 'limit=0', 'limit=abc', 'offset=-1', 'category=secret']) {
      const r = await get(`${API}/entities?${q}`)
      expect(r.statusCode, q).toBe(400)
      expect(r.headers['content-type']).toContain('application/problem+json')
      expect(r.json().detail, q).toMatch(/limit|offset|category/)
    }
    expect((await get(`${API}/entities?limit=5000`)).statusCode).toBe(200)
  })

  it('answers one entity, and 404 for an unknown Comune, an unknown id or a non-public entity', async () => {
    const one = await get(`${API}/entities/${encodeURIComponent(air(2))}`)
    expect(one.statusCode).toBe(200)
    expect(one.json()).toMatchObject({ id: air(2), category: 'air', values: { no2: { value: 50 } } })
    const unknownTenant = await get(`/api/portal/099999/entities/${encodeURIComponent(air(2))}`)
    expect(unknownTenant.statusCode).toBe(404)
    expect(unknownTenant.json()).toMatchObject({ code: 'NonexistentTenant', status: 404 })
    expect((await get('/api/portal/099999/now')).statusCode).toBe(404)
    expect((await get('/api/portal/099999/categories')).statusCode).toBe(404)
    for (const id of [
      'urn:ngsi-ld:Nothing:here',
      'urn:ngsi-ld:Building:municipio',
      'urn:ngsi-ld:DeviceMeasurement:lucca-secret-01',
      'urn:ngsi-ld:AirQualityObserved:pero-aq-01',
    ]) {
      const r = await get(`${API}/entities/${encodeURIComponent(id)}`)
      expect(r.statusCode, id).toBe(404)
      expect(r.json().code).toBe('ResourceNotFound')
      expect((await get(`${API}/entities/${encodeURIComponent(id)}/series?attr=no2`)).statusCode, id).toBe(404)
    }
  })

  it('gives history in buckets (avg, min, max) from the temporal aggregation', async () => {
    const id = encodeURIComponent('urn:ngsi-ld:WasteContainer:lucca-waste-01')
    const r = await get(`${API}/entities/${id}/series?attr=fillingLevel&period=24h`)
    expect(r.statusCode, r.body).toBe(200)
    const s = r.json()
    expect(s).toMatchObject({ attr: 'fillingLevel', period: '24h', bucket: 'PT15M' })
    expect(s.points).toHaveLength(2)
    expect(s.points[0].t).toBe(new Date(base).toISOString())
    expect(s.points[0].avg).toBeCloseTo(0.3, 10)
    expect(s.points[0]).toMatchObject({ min: 0.1, max: 0.6 })
    expect(s.points[1]).toEqual({ t: new Date(base + 15 * MIN).toISOString(), avg: 0.05, min: 0.05, max: 0.05 })
    // the primary attribute by default; 7 days in 2-hour buckets hold all four readings in one or two buckets
    const week = (await get(`${API}/entities/${id}/series?period=7d`)).json()
    expect(week).toMatchObject({ attr: 'fillingLevel', bucket: 'PT2H' })
    expect(week.points.reduce((n: number, p: { min: number }) => Math.min(n, p.min), 1)).toBe(0.05)
    expect((await get(`${API}/entities/${id}/series?period=30d`)).json().bucket).toBe('PT6H')
  })

  it('refuses a bad attribute or period with 400', async () => {
    const id = encodeURIComponent('urn:ngsi-ld:WasteContainer:lucca-waste-01')
    for (const q of ['attr=no2', 'attr=storedWasteKind', 'attr=name', 'period=1y', 'period=constructor']) {
      const r = await get(`${API}/entities/${id}/series?${q}`)
      expect(r.statusCode, q).toBe(400)
      expect(r.json().detail).toMatch(/attr|period/)
    }
  })

  it('tells the city now: air index over the station means, weather, traffic, parking, energy today', async () => {
    const r = await get(`${API}/now`)
    expect(r.statusCode).toBe(200)
    const n = r.json()
    // no2 mean 40 is still band 1; o3 mean 60 is band 2 (fair): the worst pollutant decides
    expect(n.air).toMatchObject({ index: 2, level: 'fair', stations: 2, no2: 40, pm10: 15, pm25: 5, o3: 60 })
    expect(n.weather).toMatchObject({ temperature: 12.5, relativeHumidity: 0.8, precipitation: 0.2, windSpeed: 3 })
    expect(n.traffic).toMatchObject({ intensity: 400, averageVehicleSpeed: 25, congested: 1, roads: 2 })
    expect(n.parking).toMatchObject({ free: 150, total: 670, carParks: 2 })
    expect(n.energy).toMatchObject({ todayKWh: 32, powerKW: 15.5, buildings: 2 })
    expect(Date.parse(n.at)).toBeGreaterThanOrEqual(now)
    // Pero: only air, and its own (no2 300: very poor); its car park has no free-space count yet, so no parking
    const pero = (await get(`/api/portal/${B}/now`)).json()
    expect(pero.air).toMatchObject({ index: 5, level: 'veryPoor', stations: 1, no2: 300 })
    expect(pero).toMatchObject({ weather: null, traffic: null, parking: null, energy: null })
  })

  it('moves the air index across band boundaries as the station values change', async () => {
    const level = async () => (await get(`${API}/now`)).json().air
    // o3 back to band 1 on both stations: the index is no2's, mean exactly 40 -> good
    for (const n of [1, 2]) await patchAttrs(t, A, 'Environment', air(n), { o3: P(20) })
    expect(await level()).toMatchObject({ index: 1, level: 'good', no2: 40 })
    // mean 40.1 -> fair
    await patchAttrs(t, A, 'Environment', air(2), { no2: P(50.2) })
    expect(await level()).toMatchObject({ index: 2, level: 'fair', no2: 40.1 })
    // pm25 mean 75 -> very poor; 75.5 -> extremely poor
    for (const n of [1, 2]) await patchAttrs(t, A, 'Environment', air(n), { pm25: P(75) })
    expect(await level()).toMatchObject({ index: 5, level: 'veryPoor', pm25: 75 })
    await patchAttrs(t, A, 'Environment', air(1), { pm25: P(76) })
    expect(await level()).toMatchObject({ index: 6, level: 'extremelyPoor', pm25: 75.5 })
  })
})
