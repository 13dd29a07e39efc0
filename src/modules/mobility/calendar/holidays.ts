/**
 * Italian public holidays and day types for the mobility profiles.
 *
 * Everything here works on plain calendar dates (`YYYY-MM-DD` strings) with `Date.UTC` arithmetic, so the
 * result never depends on the time zone of the machine. To turn an instant into the local date of the Comuni use
 * `romeDate(ms)`, which applies the Europe/Rome offset from the simulator's calendar.
 */

import { romeOffset } from '../../simulator/calendar.js'
import type { DayType } from '../model.js'

const DAY_MS = 86_400_000

export interface Holiday {
  /** YYYY-MM-DD */
  date: string
  name: string
  nameEn: string
}

/** A patron saint's day: a local holiday in one Comune. */
export interface Patron {
  /** 1..12 */
  month: number
  day: number
  name: string
}

/**
 * Patron saint days keyed by the ISTAT code of the Comune.
 *
 * Pero (015170) is deliberately missing: we could not confirm from a primary source which saint's day the Comune
 * observes as its local holiday, and a wrong holiday would silently bend its day-type profiles. Add it once
 * confirmed by the municipality.
 */
export const PATRONS: Record<string, Patron> = {
  '046017': { month: 7, day: 12, name: 'San Paolino' },
  '020030': { month: 3, day: 18, name: "Sant'Anselmo" },
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** Formats a UTC midnight instant as YYYY-MM-DD. */
function fmt(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

/** Parses YYYY-MM-DD to the UTC midnight instant; throws on anything else. */
function parse(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) throw new Error(`Invalid date '${date}', expected YYYY-MM-DD`)
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (fmt(ms) !== date) throw new Error(`Invalid date '${date}'`)
  return ms
}

const ymd = (year: number, month: number, day: number) => fmt(Date.UTC(year, month - 1, day))

/** The date `n` days after `date` (negative `n` goes back). */
export const addDays = (date: string, n: number): string => fmt(parse(date) + n * DAY_MS)

/** Day of the week of `date`, 0 = Sunday. */
export const weekday = (date: string): number => new Date(parse(date)).getUTCDay()

/** All dates from `from` to `to`, both included; empty when `to` is before `from`. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = []
  const end = parse(to)
  for (let ms = parse(from); ms <= end; ms += DAY_MS) out.push(fmt(ms))
  return out
}

/** The local (Europe/Rome) calendar date of an instant. */
export const romeDate = (ms: number): string => fmt(Math.floor((ms + romeOffset(ms)) / DAY_MS) * DAY_MS)

/** Easter Sunday of `year` in the Gregorian calendar (anonymous Gregorian computus, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  if (!Number.isInteger(year) || year < 1583) throw new Error(`Easter is computed for Gregorian years, got ${year}`)
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return ymd(year, month, day)
}

/** Fixed-date national holidays: [month, day, Italian name, English name]. */
const FIXED: [number, number, string, string][] = [
  [1, 1, 'Capodanno', "New Year's Day"],
  [1, 6, 'Epifania', 'Epiphany'],
  [4, 25, 'Festa della Liberazione', 'Liberation Day'],
  [5, 1, 'Festa del Lavoro', 'Labour Day'],
  [6, 2, 'Festa della Repubblica', 'Republic Day'],
  [8, 15, 'Ferragosto (Assunzione)', 'Assumption Day'],
  [11, 1, 'Ognissanti', "All Saints' Day"],
  [12, 8, 'Immacolata Concezione', 'Immaculate Conception'],
  [12, 25, 'Natale', 'Christmas Day'],
  [12, 26, 'Santo Stefano', "St Stephen's Day"],
]

/** First year in which 4 October (San Francesco d'Assisi) is a national holiday again (law 151/2025). */
const SAN_FRANCESCO_FROM = 2026

/**
 * The public holidays of `year` in Italy, sorted by date, plus the patron saint's day of the Comune when given.
 * When the patron's day falls on a national holiday the national one is kept and no duplicate is added.
 */
export function italianHolidays(year: number, patron?: Patron): Holiday[] {
  const out: Holiday[] = FIXED.map(([m, d, name, nameEn]) => ({ date: ymd(year, m, d), name, nameEn }))
  const easter = easterSunday(year)
  out.push({ date: easter, name: 'Pasqua', nameEn: 'Easter Sunday' })
  out.push({ date: addDays(easter, 1), name: "Lunedì dell'Angelo (Pasquetta)", nameEn: 'Easter Monday' })
  if (year >= SAN_FRANCESCO_FROM) {
    out.push({ date: ymd(year, 10, 4), name: "San Francesco d'Assisi", nameEn: 'St Francis of Assisi' })
  }
  if (patron) {
    const date = ymd(year, patron.month, patron.day)
    if (!out.some((h) => h.date === date)) out.push({ date, name: patron.name, nameEn: `Patron saint: ${patron.name}` })
  }
  return out.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0))
}

/** The set of holiday dates of several years, handy for `dayType`. */
export function holidaySet(years: number[], patron?: Patron): Set<string> {
  return new Set(years.flatMap((y) => italianHolidays(y, patron).map((h) => h.date)))
}

/** Day type of a date: Sundays and holidays share `sunday_holiday`; Saturdays that are holidays count as holidays. */
export function dayType(date: string, holidays: Set<string>): DayType {
  const wd = weekday(date)
  if (wd === 0 || holidays.has(date)) return 'sunday_holiday'
  return wd === 6 ? 'saturday' : 'weekday'
}
