/**
 * Rolling-origin backtest of the Holt-Winters model against the seasonal naive baseline.
 *
 * For each of the last `folds` windows of `horizon` hours (weeks by default), the model is fitted on everything
 * before the window, forecasts `horizon` hours and is compared with the actual values; the errors of all folds are
 * pooled. Folds whose training part is shorter than two weeks are skipped.
 *
 * MAPE = mean of |a − f| / a, and sMAPE = mean of 2·|a − f| / (|a| + |f|), both as percentages, over the points
 * whose actual value is known and at least 1: zero (and fractional) counts are skipped because a percentage error
 * on them is undefined or explodes, and at night a zone may well hold nobody. Both measures use the same points.
 */

import { fitHoltWinters, forecastHw, type HwOptions } from './holt-winters.js'
import { seasonalNaive } from './seasonal-naive.js'

export interface Accuracy {
  /** Percent. NaN when no point qualified. */
  mape: number
  /** Percent. NaN when no point qualified. */
  smape: number
}

export interface BacktestResult {
  model: Accuracy
  seasonalNaive: Accuracy
  /** Folds actually evaluated. */
  weeks: number
}

export interface BacktestOptions extends HwOptions {
  horizon?: number
  folds?: number
}

class ErrorSum {
  private ape = 0
  private sape = 0
  private n = 0
  add(actual: number, forecast: number): void {
    const err = Math.abs(actual - forecast)
    this.ape += err / actual
    this.sape += (2 * err) / (Math.abs(actual) + Math.abs(forecast))
    this.n++
  }
  result(): Accuracy {
    return this.n ? { mape: (100 * this.ape) / this.n, smape: (100 * this.sape) / this.n } : { mape: NaN, smape: NaN }
  }
}

/** Compares Holt-Winters with the seasonal naive forecast over the last `folds` windows of the series. */
export function backtest(values: (number | null)[], opts: BacktestOptions = {}): BacktestResult {
  const horizon = opts.horizon ?? 168
  const folds = opts.folds ?? 4
  const weekly = opts.weekly ?? 168
  if (!Number.isInteger(horizon) || horizon < 1) throw new Error(`Invalid horizon ${horizon}`)
  if (!Number.isInteger(folds) || folds < 1) throw new Error(`Invalid folds ${folds}`)
  const hw = new ErrorSum()
  const naive = new ErrorSum()
  let weeks = 0
  for (let f = folds; f >= 1; f--) {
    const origin = values.length - f * horizon
    if (origin < 2 * weekly) continue
    const train = values.slice(0, origin)
    const actual = values.slice(origin, origin + horizon)
    const model = forecastHw(fitHoltWinters(train, opts), horizon).mean
    const base = seasonalNaive(train, horizon, weekly)
    actual.forEach((a, i) => {
      if (a === null || !Number.isFinite(a) || a < 1) return
      hw.add(a, model[i]!)
      naive.add(a, base[i]!)
    })
    weeks++
  }
  return { model: hw.result(), seasonalNaive: naive.result(), weeks }
}
