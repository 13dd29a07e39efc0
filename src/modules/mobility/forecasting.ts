/**
 * Forecasts of hourly presence per zone and class: double-seasonal Holt-Winters (daily and weekly seasons) fitted
 * on the last eight weeks of published values, the next seven days hourly with a ~95 % interval, and beside it the
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
  return { values, times, model, f: forecastHw(model, horizon) }
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
