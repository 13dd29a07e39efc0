import { describe, expect, it } from 'vitest'
import { boundaryOf, DEMO_COMUNI } from '../../demo/comuni.js'
import { isDark, localTime } from './calendar.js'
import { DEMO_PLANS, fleetOf, provisioningInput } from './fleet.js'
import { contains } from './geo.js'
import { createSimulator, payloadOf } from './simulator.js'

const at = (iso: string) => Date.parse(iso)
const all = DEMO_PLANS.flatMap(fleetOf)
const byId = (id: string) => all.find((d) => d.deviceId === id)!

describe('demo sensor network', () => {
  it('places every sensor inside the real boundary of its Comune, with unique ids', () => {
    for (const plan of DEMO_PLANS) {
      const c = DEMO_COMUNI.find((x) => x.id === plan.istat)!
      const boundary = boundaryOf(c.id, c.boundaryFile)
      for (const d of fleetOf(plan)) expect(contains(boundary, d.place.at), `${d.deviceId} ${d.place.name}`).toBe(true)
    }
    expect(new Set(all.map((d) => d.deviceId)).size).toBe(all.length)
    expect(all.length).toBeGreaterThan(120)
    const kinds = new Set(all.map((d) => d.kind.entityType))
    expect([...kinds].sort()).toEqual([
      'AirQualityObserved',
      'CrowdFlowObserved',
      'DeviceMeasurement',
      'IndoorEnvironmentObserved',
      'OffStreetParking',
      'Streetlight',
      'ThreePhaseAcMeasurement',
      'TrafficFlowObserved',
      'WasteContainer',
      'WeatherObserved',
    ])
    expect(provisioningInput(byId('lucca-aq-03'), 'k')).toMatchObject({
      entity_name: 'urn:ngsi-ld:AirQualityObserved:lucca-aq-03',
      location: { type: 'Point', coordinates: [10.5029, 43.8412] },
      context: 'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld',
    })
  })

  it('is repeatable with a seed', () => {
    const t = at('2026-07-14T10:00:00Z')
    const a = createSimulator({ seed: 7, devices: all })
    const b = createSimulator({ seed: 7, devices: all })
    const c = createSimulator({ seed: 8, devices: all })
    const values = (s: ReturnType<typeof createSimulator>) => all.map((d) => s.read(d, t).values)
    expect(values(a)).toEqual(values(b))
    expect(values(a)).not.toEqual(values(c))
  })

  it('follows daily and weekly rhythms', () => {
    const s = createSimulator({ seed: 1, devices: all })
    const v = (id: string, iso: string) => s.read(byId(id), at(iso)).values
    // Rome local time: UTC+1 in winter
    expect(localTime(at('2026-01-13T07:00:00Z')).hour).toBe(8)
    expect(localTime(at('2026-07-13T07:00:00Z')).hour).toBe(9)
    // street lights: on at night, off at noon; dimmed after 23:00
    expect(v('lucca-light-01', '2026-01-13T21:00:00Z')).toMatchObject({ on: 'on' })
    expect(v('lucca-light-01', '2026-01-13T11:00:00Z')).toMatchObject({ on: 'off', l: 0 })
    expect(isDark(at('2026-06-21T19:30:00Z'), 10.5, 43.84)).toBe(true) // 21:30 in June: after sunset
    // traffic: Tuesday 8:00 rush hour vs 3:00
    const rush = v('lucca-traffic-01', '2026-01-13T07:00:00Z').i as number
    const night = v('lucca-traffic-01', '2026-01-13T02:00:00Z').i as number
    expect(rush).toBeGreaterThan(5 * night)
    // council chamber: Lucca's Tuesday session vs Wednesday
    const session = v('lucca-room-01', '2026-01-13T16:00:00Z')
    const empty = v('lucca-room-01', '2026-01-14T20:00:00Z')
    expect(session.n as number).toBeGreaterThan(30)
    expect(session.co2 as number).toBeGreaterThan((empty.co2 as number) + 300)
    // gas heating in January, none in July
    expect(v('pero-gas-01', '2026-01-13T09:00:00Z').f as number).toBeGreaterThan(5)
    expect(v('pero-gas-01', '2026-07-14T09:00:00Z').f as number).toBeLessThan(1)
  })

  it('empties waste containers on collection days and keeps meters increasing', () => {
    const s = createSimulator({ seed: 1, devices: all })
    const organic = byId('lucca-waste-01') // organic: Mon, Wed, Fri at 6:00
    const before = s.read(organic, at('2026-01-12T04:00:00Z')).values.f as number // Monday 5:00
    const after = s.read(organic, at('2026-01-12T06:00:00Z')).values.f as number // Monday 7:00
    expect(before).toBeGreaterThan(after + 0.2)
    let last = 0
    for (let h = 0; h < 72; h++) {
      const e = s.read(byId('mantova-elec-01'), at('2026-03-02T00:00:00Z') + h * 3_600_000).values.e as number
      expect(e).toBeGreaterThanOrEqual(last)
      last = e
    }
  })

  it('writes payloads with timestamps and answers commands in the device format', () => {
    const s = createSimulator({ seed: 1, devices: all })
    const lamp = byId('pero-light-01')
    expect(payloadOf(s.read(lamp, at('2026-01-13T21:00:00Z')))).toMatch(/^2026-01-13T21:00:00.000Z\|on\|on\|l\|/)
    expect(JSON.parse(payloadOf(s.read(byId('pero-aq-01'), at('2026-01-13T21:00:00Z')))).TimeInstant).toBe(
      '2026-01-13T21:00:00.000Z',
    )
    expect(s.command('pero-light-01', 'pero-light-01@dimmingLevel|30')).toBe('pero-light-01@dimmingLevel|dimmed to 30%')
    expect(s.read(lamp, at('2026-01-13T21:00:00Z')).values.l).toBe(0.3)
    expect(s.command('pero-light-01', 'pero-light-01@dimmingLevel|300')).toMatch(/ERROR/)
    expect(JSON.parse(s.command('pero-room-01', '{"temperatureSetpoint":22}')!)).toEqual({
      temperatureSetpoint: 'setpoint 22 °C',
    })
  })
})
