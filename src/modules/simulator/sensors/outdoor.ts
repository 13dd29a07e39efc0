/** Outdoor sensors: air quality, weather stations, traffic counters, car parks, waste containers, street lights. */
import { isDark, localTime, trafficIndex } from '../calendar.js'
import type { ComunePlan } from '../places/types.js'
import { clamp, noise, round, unit } from '../random.js'
import { attr, type SensorKind, text } from './types.js'

type P<K extends keyof ComunePlan> = ComunePlan[K] extends (infer E)[] | undefined ? E : never

const HOUR = 3_600_000

export const airQuality: SensorKind<P<'air'>> = {
  code: 'aq',
  entityType: 'AirQualityObserved',
  domain: 'Environment',
  protocol: 'json',
  periodMinutes: 10,
  attributes: [
    attr('no2', 'no2', 'Number', 'GQ'),
    attr('pm10', 'pm10', 'Number', 'GQ'),
    attr('pm25', 'pm25', 'Number', 'GQ'),
    attr('o3', 'o3', 'Number', 'GQ'),
  ],
  statics: (p) => [text('name', p.name), text('typeofLocation', 'outdoor'), text('stationType', p.station)],
  sense({ seed, place, deviceId, ms, weather: w }) {
    const lt = localTime(ms)
    const winter = Math.max(0, Math.cos((2 * Math.PI * (lt.dayOfYear - 15)) / 365)) // 1 in January, 0 from spring
    const traffic = trafficIndex(ms - HOUR / 2) * (place.station === 'traffic' ? 1.4 : 0.8)
    const night = lt.hour < 7 || lt.hour > 21 ? 1 : 0
    const clean = (w.precipitation > 0 ? 0.6 : 1) * (1 / (1 + w.windSpeed / 6))
    const n = (k: string, amp: number) => 1 + amp * noise(seed, `${deviceId}:${k}`, ms, 2 * HOUR)
    const no2 = (12 + 8 * winter + 38 * traffic + 10 * winter * night) * clean * n('no2', 0.15)
    const pm10 = (14 + 26 * winter + 10 * traffic) * clean * n('pm10', 0.2)
    const pm25 = pm10 * (0.62 + 0.08 * winter) * n('pm25', 0.05)
    const sun = Math.max(0, Math.sin((Math.PI * (lt.hour - 6)) / 14))
    const o3 = Math.max(4, (20 + Math.max(0, w.temperature - 8) * 4.2 * sun - 0.35 * no2) * n('o3', 0.1))
    return { no2: round(no2), pm10: round(pm10), pm25: round(pm25), o3: round(o3) }
  },
}

export const weatherStation: SensorKind<P<'weather'>> = {
  code: 'meteo',
  entityType: 'WeatherObserved',
  domain: 'Weather',
  protocol: 'json',
  periodMinutes: 10,
  attributes: [
    attr('t', 'temperature', 'Number', 'CEL'),
    attr('rh', 'relativeHumidity', 'Number'),
    attr('rain', 'precipitation', 'Number', 'MMT'),
    attr('ws', 'windSpeed', 'Number', 'MTS'),
    attr('wd', 'windDirection', 'Number', 'DD'),
    attr('p', 'atmosphericPressure', 'Number', 'A97'),
  ],
  statics: (p) => [text('name', p.name), text('stationName', p.name)],
  sense: ({ weather: w }) => ({
    t: round(w.temperature),
    rh: round(w.humidity, 2),
    rain: round(w.precipitation),
    ws: round(w.windSpeed),
    wd: Math.round(w.windDirection),
    p: round(w.pressure),
  }),
}

export const trafficFlow: SensorKind<P<'traffic'>> = {
  code: 'traffic',
  entityType: 'TrafficFlowObserved',
  domain: 'Transportation',
  protocol: 'ul',
  periodMinutes: 5,
  attributes: [
    attr('i', 'intensity', 'Integer'),
    attr('s', 'averageVehicleSpeed', 'Number', 'KMH'),
    attr('o', 'occupancy', 'Number'),
    attr('c', 'congested', 'Boolean'),
  ],
  statics: (p) => [
    text('name', p.name),
    text('description', 'vehicles counted in the 15 minutes before each observation'),
    text('laneDirection', 'forward'),
  ],
  sense({ seed, place, deviceId, ms, weather: w }) {
    const idx = clamp(trafficIndex(ms) * (1 + 0.12 * noise(seed, `${deviceId}:flow`, ms, HOUR)), 0, 1.15)
    const wetSlow = w.precipitation > 0 ? 0.85 : 1
    const speed =
      place.freeSpeed * wetSlow * (1 - 0.6 * idx ** 2.5) * (1 + 0.05 * noise(seed, `${deviceId}:v`, ms, 900_000))
    const occupancy = clamp(0.04 + 0.45 * idx ** 1.6, 0, 0.95)
    return {
      i: Math.round((place.capacity * idx) / 4),
      s: round(Math.max(5, speed)),
      o: round(occupancy, 2),
      c: speed < place.freeSpeed * 0.45,
    }
  },
}

export const parking: SensorKind<P<'parking'>> = {
  code: 'parking',
  entityType: 'OffStreetParking',
  domain: 'Parking',
  protocol: 'json',
  periodMinutes: 2,
  attributes: [attr('free', 'availableSpotNumber', 'Integer'), attr('occ', 'occupancy', 'Number')],
  statics: (p) => [text('name', p.name), text('totalSpotNumber', p.spots), text('category', ['public', 'feeCharged'])],
  sense({ seed, plan, place, deviceId, ms }) {
    const lt = localTime(ms)
    const shopping = Math.exp(-((lt.hour - 11) ** 2) / 8) + Math.exp(-((lt.hour - 17) ** 2) / 10)
    const weekday = lt.weekday >= 1 && lt.weekday <= 5
    const base = weekday ? 0.25 + 0.5 * shopping : lt.weekday === 6 ? 0.2 + 0.65 * shopping : 0.15 + 0.35 * shopping
    const event = plan.events?.find((e) => lt.dayOfYear >= e.from && lt.dayOfYear <= e.to) ? 0.45 : 0
    const summer = plan.slug === 'lucca' && lt.month >= 6 && lt.month <= 9 ? 0.1 : 0
    const occ = clamp(base + event + summer + 0.08 * noise(seed, `${deviceId}:occ`, ms, HOUR), 0.02, 1)
    const free = Math.round(place.spots * (1 - occ))
    return { free, occ: round(1 - free / place.spots, 2) }
  },
}

/** Collection days per waste kind (0 = Sunday), at 6:00. */
const COLLECTION: Record<string, number[]> = {
  organic: [1, 3, 5],
  residual: [2],
  paper: [4],
  plastic: [2, 5],
  glass: [3],
}

export const wasteContainer: SensorKind<P<'waste'>> = {
  code: 'waste',
  entityType: 'WasteContainer',
  domain: 'WasteManagement',
  protocol: 'ul',
  periodMinutes: 30,
  attributes: [attr('f', 'fillingLevel', 'Number'), attr('t', 'temperature', 'Number', 'CEL')],
  statics: (p) => [text('name', p.name), text('storedWasteKind', [p.waste]), text('category', ['fixed'])],
  sense({ seed, place, deviceId, ms, weather: w }) {
    const days = COLLECTION[place.waste] ?? [1]
    // hours since the last collection (6:00 of a collection day)
    let since = 0
    for (let back = 0; back < 8; back++) {
      const t = ms - back * 24 * HOUR
      const lt = localTime(t)
      if (days.includes(lt.weekday) && (back > 0 || lt.hour >= 6)) {
        since = back * 24 + (localTime(ms).hour - 6)
        break
      }
    }
    const rate = (place.waste === 'organic' ? 0.012 : 0.006) * (0.8 + 0.4 * unit(seed, deviceId, 'rate'))
    const fill = clamp(0.03 + rate * since + 0.02 * noise(seed, `${deviceId}:f`, ms, 3 * HOUR), 0, 1)
    return { f: round(fill, 2), t: round(w.temperature + 1.5 + (place.waste === 'organic' ? 2 * fill : 0)) }
  },
}

export const streetlight: SensorKind<P<'lights'>> = {
  code: 'light',
  entityType: 'Streetlight',
  domain: 'Streetlighting',
  protocol: 'ul',
  periodMinutes: 10,
  attributes: [
    attr('on', 'powerState', 'Text'),
    attr('l', 'illuminanceLevel', 'Number'),
    attr('w', 'activePower', 'Number', 'WTT'),
    attr('st', 'status', 'Text'),
  ],
  commands: [{ name: 'dimmingLevel', initial: 100 }],
  statics: (p) => [text('name', p.name), text('lanternHeight', 8), text('lampTechnology', 'LED')],
  sense({ seed, place, deviceId, ms, commanded }) {
    const lt = localTime(ms)
    // a lamp fails now and then (about 2 days in 60), until the crew replaces it
    const faulty = unit(seed, deviceId, 'fault', Math.floor(lt.dayIndex / 2)) < 0.035
    const dark = isDark(ms, place.at[0], place.at[1])
    const schedule = lt.hour >= 23 || lt.hour < 5 ? 0.6 : 1
    const level = dark && !faulty ? schedule * (Number(commanded.dimmingLevel ?? 100) / 100) : 0
    const power = dark ? (faulty ? 2 : place.watts * level + 1.5) : 0.8
    return {
      on: dark ? 'on' : 'off',
      l: round(level, 2),
      w: round(power * (1 + 0.02 * noise(seed, `${deviceId}:w`, ms, HOUR))),
      st: faulty ? 'defectiveLamp' : 'ok',
    }
  },
  command(name, value) {
    const n = Number(value)
    if (name !== 'dimmingLevel' || !Number.isFinite(n) || n < 0 || n > 100) {
      return { ok: false, info: 'dimmingLevel is a percentage, 0 to 100' }
    }
    return { ok: true, info: `dimmed to ${n}%`, remember: n }
  },
}
