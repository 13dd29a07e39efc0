/** Local time of the Comuni (Europe/Rome), the sun, and the rhythms of the week. */

export interface LocalTime {
  /** Hours since local midnight, fractional. */
  hour: number
  /** 0 = Sunday. */
  weekday: number
  /** 1..366 */
  dayOfYear: number
  month: number
  /** Days since 1970-01-01 (local date), to key per-day events. */
  dayIndex: number
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** 01:00 UTC of the last Sunday of a month (when Europe switches summer time). */
function lastSundayOneUtc(year: number, month: number): number {
  const last = Date.UTC(year, month + 1, 0)
  const wd = new Date(last).getUTCDay()
  return last - wd * DAY + HOUR
}

const dstCache = new Map<number, [number, number]>()

/** Offset of Europe/Rome from UTC at `ms`: +1 h, +2 h in summer time (EU rule, last Sundays of March and October). */
export function romeOffset(ms: number): number {
  const year = new Date(ms).getUTCFullYear()
  let range = dstCache.get(year)
  if (!range) {
    range = [lastSundayOneUtc(year, 2), lastSundayOneUtc(year, 9)]
    dstCache.set(year, range)
  }
  return ms >= range[0] && ms < range[1] ? 2 * HOUR : HOUR
}

/** Local time in Rome. */
export function localTime(ms: number): LocalTime {
  const local = ms + romeOffset(ms)
  const dayIndex = Math.floor(local / DAY)
  const d = new Date(dayIndex * DAY)
  const year = d.getUTCFullYear()
  return {
    hour: (local - dayIndex * DAY) / HOUR,
    weekday: (dayIndex + 4) % 7, // 1970-01-01 was a Thursday
    dayOfYear: dayIndex - Math.floor(Date.UTC(year, 0, 1) / DAY) + 1,
    month: d.getUTCMonth() + 1,
    dayIndex,
  }
}

/** The sun's elevation in degrees (NOAA approximation, good to a fraction of a degree). */
export function sunElevation(ms: number, lon: number, lat: number): number {
  const d = ms / 86_400_000 + 2440587.5 - 2451545.0
  const g = ((357.529 + 0.98560028 * d) * Math.PI) / 180
  const q = 280.459 + 0.98564736 * d
  const L = ((q + 1.915 * Math.sin(g) + 0.02 * Math.sin(2 * g)) * Math.PI) / 180
  const e = ((23.439 - 0.00000036 * d) * Math.PI) / 180
  const dec = Math.asin(Math.sin(e) * Math.sin(L))
  const ra = Math.atan2(Math.cos(e) * Math.sin(L), Math.cos(L))
  const gmst = (18.697374558 + 24.06570982441908 * d) % 24
  const ha = ((gmst * 15 + lon) * Math.PI) / 180 - ra
  const phi = (lat * Math.PI) / 180
  return (Math.asin(Math.sin(phi) * Math.sin(dec) + Math.cos(phi) * Math.cos(dec) * Math.cos(ha)) * 180) / Math.PI
}

/** Street lights switch on when the sun is 1° below the horizon (a twilight switch). */
export const isDark = (ms: number, lon: number, lat: number) => sunElevation(ms, lon, lat) < -1

/** Italian public holidays with a fixed date (month-day), when offices and schools close. */
const HOLIDAYS = new Set(['1-1', '1-6', '4-25', '5-1', '6-2', '8-15', '11-1', '12-8', '12-25', '12-26'])

export function isHoliday(ms: number): boolean {
  const d = new Date(localTime(ms).dayIndex * DAY)
  return HOLIDAYS.has(`${d.getUTCMonth() + 1}-${d.getUTCDate()}`)
}

/** Working day: Monday to Friday, not a holiday. */
export const isWorkday = (ms: number) => {
  const wd = localTime(ms).weekday
  return wd >= 1 && wd <= 5 && !isHoliday(ms)
}

/** School term: mid-September to early June, except Christmas holidays. */
export function isSchoolTerm(ms: number): boolean {
  const { dayOfYear: doy } = localTime(ms)
  if (doy >= 158 && doy < 258) return false // ~7 June - 15 September
  if (doy >= 357 || doy <= 6) return false // Christmas
  return true
}

/** Relative traffic on a road by hour: weekday rush hours at 8 and 18, softer weekends, quieter August. */
const WEEKDAY = [
  0.06, 0.04, 0.03, 0.03, 0.06, 0.18, 0.48, 0.88, 1, 0.78, 0.62, 0.62, 0.68, 0.64, 0.6, 0.66, 0.8, 0.94, 1, 0.78, 0.52,
  0.36, 0.22, 0.12,
]
const SATURDAY = [
  0.1, 0.07, 0.05, 0.04, 0.04, 0.08, 0.16, 0.3, 0.48, 0.62, 0.72, 0.76, 0.72, 0.6, 0.56, 0.62, 0.7, 0.74, 0.7, 0.58,
  0.46, 0.38, 0.28, 0.18,
]
const SUNDAY = [
  0.14, 0.1, 0.07, 0.05, 0.04, 0.05, 0.08, 0.14, 0.24, 0.36, 0.46, 0.5, 0.48, 0.42, 0.4, 0.44, 0.5, 0.52, 0.5, 0.44,
  0.36, 0.28, 0.2, 0.14,
]

function interp(profile: number[], hour: number): number {
  const i = Math.floor(hour) % 24
  const f = hour - Math.floor(hour)
  return profile[i]! * (1 - f) + profile[(i + 1) % 24]! * f
}

export function trafficIndex(ms: number): number {
  const lt = localTime(ms)
  const profile = isHoliday(ms) || lt.weekday === 0 ? SUNDAY : lt.weekday === 6 ? SATURDAY : WEEKDAY
  const august = lt.dayOfYear >= 215 && lt.dayOfYear <= 236 ? 0.7 : 1
  return interp(profile, lt.hour) * august
}
