/** Local days and hours of Europe/Rome as instants, and the checks of the API's date parameters. */
import { AppError } from '../../errors.js'
import { romeOffset } from '../simulator/calendar.js'
import { validDay } from './import/mapping.js'

const HOUR = 3_600_000

/** The instant of a local hour, ISO 8601 with its offset (e.g. 2025-03-01T08:00:00+01:00). */
export function localIso(day: string, hour: number): string {
  const asUtc = Date.parse(`${day}T00:00:00Z`) + hour * HOUR
  const off = romeOffset(asUtc - HOUR)
  const hh = String(hour).padStart(2, '0')
  return `${day}T${hh}:00:00+0${off / HOUR}:00`
}

export function checkDay(v: unknown, name: string): string {
  if (typeof v !== 'string' || !validDay(v)) throw new AppError('BadRequestData', `${name} must be a date YYYY-MM-DD`)
  return v
}

/** A period [from, to] of at most `maxDays` days. */
export function checkPeriod(from: unknown, to: unknown, maxDays = 800): { from: string; to: string } {
  const f = checkDay(from, 'from')
  const t = checkDay(to, 'to')
  if (t < f) throw new AppError('BadRequestData', 'to must not be before from')
  const days = (Date.parse(t) - Date.parse(f)) / 86_400_000 + 1
  if (days > maxDays) throw new AppError('BadRequestData', `the period may span at most ${maxDays} days`)
  return { from: f, to: t }
}
