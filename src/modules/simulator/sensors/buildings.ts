/**
 * Public buildings and people: energy meters of the town hall and schools (electricity and gas, following the outdoor
 * temperature), the indoor climate of the council chamber and meeting rooms, people counters at points of interest,
 * and public Wi-Fi hotspots.
 */
import { isSchoolTerm, isWorkday, localTime } from '../calendar.js'
import type { ComunePlan } from '../places/types.js'
import { clamp, noise, round, unit } from '../random.js'
import { weatherAt } from '../weather.js'
import { attr, type SenseContext, type SensorKind, text } from './types.js'

type P<K extends keyof ComunePlan> = ComunePlan[K] extends (infer E)[] | undefined ? E : never
type Building = P<'buildings'>

const HOUR = 3_600_000
/** Cumulative meters count from here (a fixed instant, so that every run agrees). */
const METER_EPOCH = Date.UTC(2026, 0, 1)

function open(b: Building, ms: number): boolean {
  const h = localTime(ms).hour
  if (!isWorkday(ms)) return false
  if (b.kind === 'school') return isSchoolTerm(ms) && h >= 7.5 && h < 16.5
  return h >= 7.5 && h < 19
}

function heatingSeason(plan: ComunePlan, ms: number): boolean {
  const { month, dayOfYear } = localTime(ms)
  if (month >= 5 && month <= 9) return false
  if (dayOfYear > 105 && dayOfYear < 288) return false // 15 Apr - 15 Oct
  return !(plan.heatingZone === 'D' && dayOfYear >= 288 && dayOfYear < 305) // zone D starts 1 Nov
}

/** Electric power (kW) of a building. */
function electricKw(ctx: SenseContext<Building>, ms: number, outdoor: number): number {
  const b = ctx.place
  const [base, peak] = b.kind === 'townhall' ? [9, 38] : [3, 24]
  const busy = open(b, ms) ? peak * (0.8 + 0.2 * Math.sin((Math.PI * (localTime(ms).hour - 7.5)) / 11)) : 0
  const cooling = open(b, ms) && outdoor > 25 ? (outdoor - 25) * (b.kind === 'townhall' ? 4 : 2) : 0
  return Math.max(0.5, (base + busy + cooling) * (1 + 0.06 * noise(ctx.seed, `${ctx.deviceId}:kw`, ms, HOUR)))
}

/** Gas flow (m³/h) of a building's boiler. */
function gasFlow(ctx: SenseContext<Building>, ms: number, outdoor: number): number {
  if (!heatingSeason(ctx.plan, ms)) return 0.2 // hot water
  const h = localTime(ms).hour
  const on = (open(ctx.place, ms) || (isWorkday(ms) && h >= 6 && h < 7.5)) && outdoor < 17
  if (!on) return 0.2
  const size = ctx.place.kind === 'townhall' ? 1.6 : 1.2
  return (0.5 + size * (19 - outdoor)) * (1 + 0.05 * noise(ctx.seed, `${ctx.deviceId}:gas`, ms, HOUR))
}

/**
 * A meter's running total (kWh or m³) since METER_EPOCH: the total at each midnight is remembered (3-hour steps), the
 * hours of the day read are summed exactly, so any instant costs at most a day of steps once the days before it are
 * known (live and backfill alike).
 */
function total(ctx: SenseContext<Building>, start: number, rate: (ms: number) => number): number {
  const m = ctx.memory as { sums?: number[] }
  if (!m.sums) m.sums = [start]
  const sums = m.sums
  const hours = Math.max(0, (ctx.ms - METER_EPOCH) / HOUR)
  const day = Math.floor(hours / 24)
  for (let k = sums.length; k <= day; k++) {
    // a past day: eight 3-hour steps (cheaper; the hours of the day being read are exact)
    let t = sums[k - 1]!
    for (let h = 0; h < 24; h += 3) t += 3 * rate(METER_EPOCH + ((k - 1) * 24 + h + 1.5) * HOUR)
    sums.push(t)
  }
  let t = sums[day]!
  const whole = Math.floor(hours)
  for (let h = day * 24; h < whole; h++) t += rate(METER_EPOCH + h * HOUR + HOUR / 2)
  return t + rate(ctx.ms) * (hours - whole)
}

export const electricityMeter: SensorKind<Building> = {
  code: 'elec',
  entityType: 'ThreePhaseAcMeasurement',
  domain: 'Energy',
  protocol: 'json',
  periodMinutes: 15,
  attributes: [attr('p', 'totalActivePower', 'Number', 'KWT'), attr('e', 'totalActiveEnergyImport', 'Number', 'KWH')],
  statics: (b) => [text('name', `${b.name}: electricity`), text('description', 'main electricity meter')],
  sense(ctx) {
    const rate = (ms: number) => electricKw(ctx, ms, weatherAt(ctx.seed, ctx.plan, ms).temperature)
    const e = total(ctx, 20_000 + 5000 * unit(ctx.seed, ctx.deviceId, 'e0'), rate)
    return { p: round(rate(ctx.ms)), e: round(e) }
  },
}

export const gasMeter: SensorKind<Building> = {
  code: 'gas',
  entityType: 'DeviceMeasurement',
  domain: 'Device',
  protocol: 'json',
  periodMinutes: 15,
  attributes: [attr('f', 'numValue', 'Number', 'MQH'), attr('v', 'totalConsumption', 'Number', 'MTQ')],
  statics: (b) => [
    text('name', `${b.name}: natural gas`),
    text('measurementType', 'naturalGasFlow'),
    text('unit', 'MQH'),
  ],
  sense(ctx) {
    const rate = (ms: number) => gasFlow(ctx, ms, weatherAt(ctx.seed, ctx.plan, ms).temperature)
    const v = total(ctx, 8000 + 3000 * unit(ctx.seed, ctx.deviceId, 'v0'), rate)
    return { f: round(rate(ctx.ms), 2), v: round(v) }
  },
}

type Room = P<'rooms'>

/** People in a room: council sessions in the chamber, meetings in the other rooms. */
function people(ctx: SenseContext<Room>, ms: number): number {
  const lt = localTime(ms)
  const { seed, deviceId, place, plan } = ctx
  if (place.kind === 'chamber') {
    const c = plan.council
    const inSession =
      lt.weekday === c.weekday && lt.hour >= c.start && lt.hour < c.start + c.hours && !isHolidayLike(ms)
    if (!inSession)
      return isWorkday(ms) && lt.hour > 9 && lt.hour < 12 && unit(seed, deviceId, lt.dayIndex) < 0.2 ? 6 : 0
    const publicSeats = Math.round((place.seats - c.members - 6) * unit(seed, deviceId, 'public', lt.dayIndex))
    return c.members - Math.floor(3 * unit(seed, deviceId, 'absent', lt.dayIndex)) + 6 + publicSeats
  }
  if (!isWorkday(ms) || lt.hour < 9 || lt.hour >= 18 || (lt.hour >= 13 && lt.hour < 14.5)) return 0
  const slot = Math.floor(lt.hour * 2) // half hours
  if (unit(seed, deviceId, 'busy', lt.dayIndex, Math.floor(slot / 3)) > 0.55) return 0
  return 2 + Math.floor(unit(seed, deviceId, 'n', lt.dayIndex, Math.floor(slot / 3)) * (place.seats - 2))
}

const isHolidayLike = (ms: number) => !isWorkday(ms) && localTime(ms).weekday !== 6

export const indoorEnvironment: SensorKind<Room> = {
  code: 'room',
  entityType: 'IndoorEnvironmentObserved',
  domain: 'Environment',
  protocol: 'json',
  periodMinutes: 2,
  attributes: [
    attr('co2', 'co2', 'Number', '59'),
    attr('t', 'temperature', 'Number', 'CEL'),
    attr('rh', 'relativeHumidity', 'Number'),
    attr('n', 'peopleCount', 'Integer'),
    attr('db', 'LAeq', 'Number', '2N'),
  ],
  commands: [{ name: 'temperatureSetpoint', initial: 20 }],
  statics: (r) => [text('name', r.name), text('typeofLocation', 'indoor'), text('peopleCapacity', r.seats)],
  sense(ctx) {
    const { seed, deviceId, ms, weather: w, commanded } = ctx
    const n = people(ctx, ms)
    const recent = [0.25, 0.5, 0.75].map((f) => people(ctx, ms - f * HOUR)).reduce((a, b) => a + b, n) / 4
    const co2 =
      420 + 22 * recent * (ctx.place.kind === 'chamber' ? 0.7 : 1.2) + 15 * noise(seed, `${deviceId}:co2`, ms, HOUR)
    const setpoint = Number(commanded.temperatureSetpoint ?? 20)
    const heated = heatingSeason(ctx.plan, ms) && isWorkday(ms) && localTime(ms).hour >= 7 && localTime(ms).hour < 19
    const free = clamp(w.temperature + 6, 15, 29) // unheated: follows outside, buffered by the building
    const temp = (heated ? setpoint : free) + 0.04 * n + 0.3 * noise(seed, `${deviceId}:t`, ms, HOUR)
    const db = n > 0 ? 42 + 8 * Math.log10(1 + n) + 2 * noise(seed, `${deviceId}:db`, ms, 600_000) : 31
    return {
      co2: Math.round(co2),
      t: round(temp),
      rh: round(clamp(0.35 + 0.15 * w.humidity + 0.004 * n, 0.25, 0.7), 2),
      n,
      db: round(db),
    }
  },
  command(name, value) {
    const v = Number(value)
    if (name !== 'temperatureSetpoint' || !Number.isFinite(v) || v < 12 || v > 26) {
      return { ok: false, info: 'temperatureSetpoint is between 12 and 26 °C' }
    }
    return { ok: true, info: `setpoint ${v} °C`, remember: v }
  },
}

/** Visitors per hour at a place: daytime bell, weekends, summer, events (Lucca Comics & Games). */
function visitorsPerHour(seed: number, plan: ComunePlan, key: string, popularity: number, ms: number): number {
  const lt = localTime(ms)
  const day = Math.exp(-((lt.hour - 12) ** 2) / 12) + 0.7 * Math.exp(-((lt.hour - 17.5) ** 2) / 6)
  const weekend = lt.weekday === 0 || lt.weekday === 6 ? 1.6 : 1
  const season = 0.7 + 0.5 * Math.max(0, Math.sin((Math.PI * (lt.dayOfYear - 90)) / 200))
  const event = plan.events?.find((e) => lt.dayOfYear >= e.from && lt.dayOfYear <= e.to)?.factor ?? 1
  const size = plan.slug === 'pero' ? 120 : 420
  const rain = weatherAt(seed, plan, ms).precipitation > 0.5 ? 0.6 : 1
  return Math.max(
    0,
    size * popularity * day * weekend * season * event * rain * (1 + 0.15 * noise(seed, key, ms, HOUR)),
  )
}

type Counter = P<'counters'>

export const peopleCounter: SensorKind<Counter> = {
  code: 'people',
  entityType: 'CrowdFlowObserved',
  domain: 'Transportation',
  protocol: 'json',
  periodMinutes: 5,
  attributes: [attr('n', 'peopleCount', 'Integer'), attr('c', 'congested', 'Boolean')],
  statics: (p) => [
    text('name', p.name),
    text('description', 'people counted in the 15 minutes before each observation'),
  ],
  sense({ seed, plan, place, deviceId, ms }) {
    const n = Math.round(visitorsPerHour(seed, plan, deviceId, place.popularity, ms) / 4)
    return { n, c: n > 400 * place.popularity }
  },
}

export const wifiHotspot: SensorKind<P<'hotspots'>> = {
  code: 'wifi',
  entityType: 'DeviceMeasurement',
  domain: 'Device',
  protocol: 'ul',
  periodMinutes: 5,
  attributes: [attr('s', 'numValue', 'Integer')],
  statics: (p) => [
    text('name', `Wi-Fi ${p.name}`),
    text('measurementType', 'activeSessions'),
    text('controlledProperty', ['occupancy']),
    text('unit', 'C62'),
  ],
  sense({ seed, plan, place, deviceId, ms }) {
    const lt = localTime(ms)
    const night = lt.hour < 7 ? 0.1 : 1
    const v = visitorsPerHour(seed, plan, deviceId, place.popularity, ms)
    return { s: Math.round(v * 0.12 * night + 2 * (1 + noise(seed, `${deviceId}:s`, ms, HOUR))) }
  },
}
