/**
 * Forecasts of hourly presence per zone and class: double-seasonal Holt-Winters (daily and weekly seasons) fitted
 * on the last eight weeks of published values, the next seven days hourly with a ~95 % interval (from the model's own
 * errors a day, two days... ahead: errorBands), and beside it the
 * backtested accuracy (MAPE over the last four weeks, each forecast a week ahead from the data before it) of the
 * model and of the seasonal-naive baseline (the same hour one week before). Answers are cached per last day of data.
 */
import { AppError } from '../../errors.js'
import { addDays } from './calendar/holidays.js'
import { backtest, fitHoltWinters, forecastHw } from './forecast/index.js'
import type { ClassFilter } from './model.js'
import type { MobilityService } from './service.js'
import { localIso } from './time.js'

const TRAIN_DAYS = 56
const HORIZON = 168
const cache = new Map<string, { at: number; value: Forecast }>()
const CACHE_MAX = 500

export interface Forecast {
  zone: string
  class: ClassFilter
  model: string
  issued: string
  lastDay: string
  times: string[]
  forecast: number[]
  lower: number[]
  upper: number[]
  history: { times: string[]; values: (number | null)[] }
  accuracy: { model: { mape: number | null }; seasonalNaive: { mape: number | null }; weeks: number }
}

const pct = (v: number) => (Number.isFinite(v) ? Math.round(v * 10) / 10 : null)

/** Fits on the `TRAIN_DAYS` days up to `lastDay` and forecasts `horizon` hours from the next midnight. */
export async function fitAndForecast(
  svc: MobilityService,
  tenant: string,
  zone: string,
  cls: ClassFilter,
  lastDay: string,
  horizon = HORIZON,
) {
  const { values, times } = await svc.hourly(tenant, zone, cls, addDays(lastDay, -(TRAIN_DAYS - 1)), lastDay)
  const known = values.filter((v) => v !== null).length
  if (known < 336) {
    throw new AppError('BadRequestData', `not enough published data to forecast ${zone} (${known} hours, 336 needed)`)
  }
  const model = fitHoltWinters(values)
  const mean = forecastHw(model, horizon).mean
  const band = errorBands(values, horizon)
  const f = {
    mean,
    lower: mean.map((m, h) => Math.max(0, m - band[Math.floor(h / 24)]!)),
    upper: mean.map((m, h) => m + band[Math.floor(h / 24)]!),
  }
  return { values, times, model, f }
}

/**
 * The half-width of a ~95 % interval per day ahead, from the model's own errors: the series is cut a week at a time
 * (up to 4 weeks back), the model fitted on what came before forecasts the next week, and the signed
 * errors of each day ahead (24 hours x folds) give that day's half-width as 1.96 robust standard deviations (MAD):
 * it grows as the model's errors really grow, and the days that stood out (a fair, a festival) do not widen it, or
 * the next one would not stand out.
 */
function errorBands(values: (number | null)[], horizon: number): number[] {
  const days = Math.ceil(horizon / 24)
  const errs: number[][] = Array.from({ length: days }, () => [])
  for (let fold = 1; fold <= 4; fold++) {
    const cut = values.length - fold * 168
    if (cut < 336) break
    let f: number[]
    try {
      f = forecastHw(fitHoltWinters(values.slice(0, cut)), Math.min(168, horizon)).mean
    } catch {
      break
    }
    for (let h = 0; h < f.length; h++) {
      const a = values[cut + h]
      if (a !== null && a !== undefined) errs[Math.floor(h / 24)]!.push(a - f[h]!)
    }
  }
  const out: number[] = []
  for (let d = 0; d < days; d++) {
    const e = errs[d]!.length ? errs[d]! : errs.flat()
    out.push(e.length ? 1.96 * 1.4826 * median(e.map((x) => Math.abs(x - median(e)))) : 0)
  }
  // an interval never narrows further ahead
  for (let d = 1; d < days; d++) out[d] = Math.max(out[d]!, out[d - 1]!)
  return out
}

export async function forecast(
  svc: MobilityService,
  tenant: string,
  zone: string,
  cls: ClassFilter,
): Promise<Forecast> {
  const lastDay = await svc.lastDay(tenant)
  if (!lastDay) throw new AppError('ResourceNotFound', 'this Comune has no presence data yet')
  const key = `${tenant}|${zone}|${cls}|${lastDay}`
  const hit = cache.get(key)
  if (hit && Date.now() - hit.at < 3_600_000) return hit.value
  const { values, times, f } = await fitAndForecast(svc, tenant, zone, cls, lastDay)
  const acc = backtest(values, { horizon: HORIZON, folds: 4 })
  const out: Forecast = {
    zone,
    class: cls,
    model: 'Holt-Winters, additive, daily (24 h) and weekly (168 h) seasons',
    issued: new Date().toISOString(),
    lastDay,
    times: Array.from({ length: HORIZON }, (_, i) => localIso(addDays(lastDay, 1 + Math.floor(i / 24)), i % 24)),
    forecast: f.mean.map(Math.round),
    lower: f.lower.map(Math.round),
    upper: f.upper.map(Math.round),
    history: { times: times.slice(-14 * 24), values: values.slice(-14 * 24) },
    accuracy: {
      model: { mape: pct(acc.model.mape) },
      seasonalNaive: { mape: pct(acc.seasonalNaive.mape) },
      weeks: acc.weeks,
    },
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!)
  cache.set(key, { at: Date.now(), value: out })
  return out
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
