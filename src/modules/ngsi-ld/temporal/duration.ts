/**
 * ISO 8601 durations for `aggrPeriodDuration` (clause 6.18.3.2, e.g. `PT1H`, `P1D`, `P1M`): either a number of
 * calendar months (years and months) or a fixed length (weeks, days, hours, minutes, seconds). `PT0S` (the default)
 * means one period over the whole time range.
 */
import { AppError } from '../../../errors.js'

export type Period =
  | { readonly kind: 'whole' }
  /** Fixed length in milliseconds (days are 24 h, in UTC). */
  | { readonly kind: 'fixed'; readonly ms: number }
  /** Calendar months (a year is 12), aligned on the origin's month (UTC). */
  | { readonly kind: 'months'; readonly months: number }

const DURATION =
  /^P(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,9}(?:[.,]\d{1,9})?)S)?)?$/

const MIN_MS = 1000
const MAX_MONTHS = 12 * 1000

const bad = (m: string) => new AppError('BadRequestData', m)

export function parseDuration(text: string): Period {
  const m = DURATION.exec(text)
  if (!m || text === 'P' || text.endsWith('T')) {
    throw bad(`aggrPeriodDuration "${text.slice(0, 50)}" is not an ISO 8601 duration such as PT1H, P1D or P1M`)
  }
  const n = (i: number) => Number((m[i] ?? '0').replace(',', '.'))
  const months = n(1) * 12 + n(2)
  const ms = (((n(3) * 7 + n(4)) * 24 + n(5)) * 60 + n(6)) * 60_000 + Math.round(n(7) * 1000)
  if (months > 0 && ms > 0) {
    throw bad(`aggrPeriodDuration "${text}" mixes months or years with days or hours: use one or the other`)
  }
  if (months > 0) {
    if (months > MAX_MONTHS) throw bad(`aggrPeriodDuration "${text}" is longer than ${MAX_MONTHS / 12} years`)
    return { kind: 'months', months }
  }
  if (ms === 0) return { kind: 'whole' }
  if (ms < MIN_MS) throw bad(`aggrPeriodDuration "${text}" is shorter than one second`)
  return { kind: 'fixed', ms }
}

/** The end of the period starting at `start`. */
export function periodEnd(period: Period, start: Date): Date {
  if (period.kind === 'fixed') return new Date(start.getTime() + period.ms)
  if (period.kind === 'months') {
    const d = new Date(start.getTime())
    d.setUTCMonth(d.getUTCMonth() + period.months)
    return d
  }
  return start
}
