/**
 * Additive double-seasonal Holt-Winters for hourly series (after J.W. Taylor, "Short-term electricity demand
 * forecasting using double seasonal exponential smoothing", JORS 2003): a level, an optional damped trend, a daily
 * season (24 h) and a weekly season (168 h), in error-correction form:
 *
 *   ŷ(t)  = l + φ·b + d[t mod 24] + w[t mod 168]            e = y(t) − ŷ(t)
 *   l ← l + φ·b + α·e     b ← φ·b + β·e     d[t mod 24] += γ·e     w[t mod 168] += δ·e
 *
 * Taylor's AR(1) adjustment models the autocorrelation of the one-step errors, so that α need not chase it:
 * the adjusted forecast adds λ·e(t−1) and the innovation is ε = e − λ·e(t−1). Missing hours (null) are imputed with
 * the model's own adjusted one-step forecast (ε = 0, states carry on) and do not count in the error. The smoothing parameters are chosen by coordinate search over small grids, minimising the in-sample
 * one-step sum of squared innovations ε. Initial states come from the first two weekly cycles.
 *
 * Prediction intervals use the analytic variance of the additive innovations state-space model (Hyndman et al.,
 * "Forecasting with Exponential Smoothing", 2008, class 1), extended to two seasons and the AR(1) errors:
 *   c_0 = 1,  c_j = α + β·(φ + … + φ^j) + γ·[j ≡ 0 mod 24] + δ·[j ≡ 0 mod 168],  ψ_j = λ·ψ_{j−1} + c_j
 *   Var(h) = σ² · Σ_{j=0}^{h−1} ψ_j²
 * with σ² the mean squared innovation after the first week (burn-in); the interval is mean ± 1.96·√Var(h).
 */

export interface HwOptions {
  /** Length of the short season (hours in a day); default 24. */
  daily?: number
  /** Length of the long season (hours in a week); default 168. */
  weekly?: number
}

export interface HwParams {
  alpha: number
  /** 0 = no trend. */
  beta: number
  gamma: number
  delta: number
  /** Trend damping, 0 < φ ≤ 1. */
  phi: number
  /** AR(1) coefficient of the one-step errors (Taylor's adjustment); 0 = none. */
  lambda: number
}

export interface HwModel {
  params: HwParams
  /** States after the last observation. */
  level: number
  trend: number
  /** Daily season, indexed by (series index mod `dailyPeriod`). */
  daily: number[]
  /** Weekly season, indexed by (series index mod `weeklyPeriod`). */
  weeklySeason: number[]
  dailyPeriod: number
  weeklyPeriod: number
  /** Length of the fitted series: the first forecast is for index `n`. */
  n: number
  /** Last unadjusted one-step error e, carried forward as λ^h·e by the AR(1) adjustment. */
  lastError: number
  /** Standard deviation of the in-sample one-step residuals (after the burn-in week). */
  sigma: number
  /** Number of residuals behind `sigma`. */
  residuals: number
}

export interface HwForecast {
  mean: number[]
  lower: number[]
  upper: number[]
}

/** z of a two-sided 95 % normal interval. */
const Z95 = 1.959964

interface Init {
  level: number
  trend: number
  daily: Float64Array
  weekly: Float64Array
}

/** Initial states from the first two long cycles; missing hours are skipped in the averages. */
function initialStates(y: Float64Array, s1: number, s2: number): Init {
  const cycleMean = (from: number): number => {
    let sum = 0
    let cnt = 0
    for (let i = from; i < from + s2; i++) {
      const v = y[i]!
      if (!Number.isNaN(v)) {
        sum += v
        cnt++
      }
    }
    return cnt ? sum / cnt : Number.NaN
  }
  const m1 = cycleMean(0)
  const m2 = cycleMean(s2)
  if (Number.isNaN(m1) && Number.isNaN(m2)) throw new Error('Holt-Winters: the first two weeks hold no data')
  const mean = Number.isNaN(m1) ? m2 : Number.isNaN(m2) ? m1 : (m1 + m2) / 2
  const trend = Number.isNaN(m1) || Number.isNaN(m2) ? 0 : (m2 - m1) / s2
  // Detrended deviations from the mean, centred on the middle of the two cycles.
  const centre = s2 - 0.5
  const dev = (i: number) => y[i]! - (mean + trend * (i - centre))
  const daily = new Float64Array(s1)
  const dCnt = new Float64Array(s1)
  for (let i = 0; i < 2 * s2; i++) {
    if (Number.isNaN(y[i]!)) continue
    daily[i % s1]! += dev(i)
    dCnt[i % s1]!++
  }
  for (let j = 0; j < s1; j++) daily[j] = dCnt[j]! ? daily[j]! / dCnt[j]! : 0
  const weekly = new Float64Array(s2)
  for (let h = 0; h < s2; h++) {
    let sum = 0
    let cnt = 0
    for (const i of [h, h + s2]) {
      if (Number.isNaN(y[i]!)) continue
      sum += dev(i) - daily[i % s1]!
      cnt++
    }
    weekly[h] = cnt ? sum / cnt : 0
  }
  // Level at index −1, so that the recursion can run over the whole series.
  return { level: mean - trend * (centre + 1), trend, daily, weekly }
}

interface RunResult {
  sse: number
  count: number
  level: number
  trend: number
  daily: Float64Array
  weekly: Float64Array
  lastError: number
}

/** Runs the recursion over the whole series; `sse` counts the residuals from index `from` on. */
function run(y: Float64Array, init: Init, p: HwParams, s1: number, s2: number, from: number): RunResult {
  const d = init.daily.slice()
  const w = init.weekly.slice()
  let l = init.level
  let b = init.trend
  let sse = 0
  let count = 0
  let prev = 0 // e(t−1)
  const { alpha, beta, gamma, delta, phi, lambda } = p
  let i1 = 0
  let i2 = 0
  for (let t = 0; t < y.length; t++) {
    const pb = phi * b
    const base = l + pb
    const yt = y[t]!
    let e: number
    if (Number.isNaN(yt)) {
      e = lambda * prev // imputed with the adjusted forecast: the innovation is 0
    } else {
      e = yt - (base + d[i1]! + w[i2]!)
      const eps = e - lambda * prev
      if (t >= from) {
        sse += eps * eps
        count++
      }
    }
    l = base + alpha * e
    b = pb + beta * e
    d[i1]! += gamma * e
    w[i2]! += delta * e
    prev = e
    if (++i1 === s1) i1 = 0
    if (++i2 === s2) i2 = 0
  }
  return { sse, count, level: l, trend: b, daily: d, weekly: w, lastError: prev }
}

const GRID: Record<keyof HwParams, number[]> = {
  alpha: [0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 0.9],
  beta: [0, 0.0005, 0.002, 0.01, 0.05],
  gamma: [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5],
  delta: [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5],
  phi: [0.8, 0.9, 0.95, 0.98, 1],
  lambda: [0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95],
}
const ORDER: (keyof HwParams)[] = ['lambda', 'alpha', 'gamma', 'delta', 'beta', 'phi']
const ROUNDS = 3

/**
 * Fits the model to an hourly series. The seasons are indexed by position in the series, so forecasts simply continue
 * its phase; the caller keeps the hours evenly spaced (one value per hour, nulls for gaps; with local-time days the
 * 23- and 25-hour DST days must be mapped to 24 slots first). Needs at least two weekly cycles, else throws.
 */
export function fitHoltWinters(values: (number | null)[], opts: HwOptions = {}): HwModel {
  const s1 = opts.daily ?? 24
  const s2 = opts.weekly ?? 168
  if (!Number.isInteger(s1) || !Number.isInteger(s2) || s1 < 1 || s2 < s1) {
    throw new Error(`Holt-Winters: invalid seasons daily=${s1} weekly=${s2}`)
  }
  if (values.length < 2 * s2) {
    throw new Error(`Holt-Winters needs at least two weeks of data (${2 * s2} points), got ${values.length}`)
  }
  const y = Float64Array.from(values, (v) => (v === null || !Number.isFinite(v) ? Number.NaN : v))
  const init = initialStates(y, s1, s2)
  const score = (p: HwParams) => run(y, init, p, s1, s2, 0).sse

  let best: HwParams = { alpha: 0.05, beta: 0, gamma: 0.05, delta: 0.05, phi: 0.98, lambda: 0.6 }
  let bestSse = score(best)
  for (let round = 0; round < ROUNDS; round++) {
    let improved = false
    for (const key of ORDER) {
      if (key === 'phi' && best.beta === 0) continue // no trend: damping is irrelevant
      for (const v of GRID[key]) {
        if (v === best[key]) continue
        const cand = { ...best, [key]: v }
        const sse = score(cand)
        if (sse < bestSse) {
          bestSse = sse
          best = cand
          improved = true
        }
      }
    }
    if (!improved) break
  }
  // σ from the residuals after a burn-in week, where the initial states still settle.
  const fit = run(y, init, best, s1, s2, Math.min(s2, y.length - 1))
  const sigma = fit.count ? Math.sqrt(fit.sse / fit.count) : 0
  return {
    params: best,
    level: fit.level,
    trend: fit.trend,
    daily: Array.from(fit.daily),
    weeklySeason: Array.from(fit.weekly),
    dailyPeriod: s1,
    weeklyPeriod: s2,
    n: y.length,
    lastError: fit.lastError,
    sigma,
    residuals: fit.count,
  }
}

/**
 * Forecasts `horizon` hours after the end of the fitted series, with ~95 % prediction intervals; never below 0.
 * The mean is the conditional expectation: the expected errors λ^h·e(n) are fed through the state equations.
 */
export function forecastHw(model: HwModel, horizon: number): HwForecast {
  if (!Number.isInteger(horizon) || horizon < 0) throw new Error(`Invalid horizon ${horizon}`)
  const { alpha, beta, gamma, delta, phi, lambda } = model.params
  const { dailyPeriod: s1, weeklyPeriod: s2, n } = model
  const d = model.daily.slice()
  const w = model.weeklySeason.slice()
  let l = model.level
  let b = model.trend
  let e = model.lastError
  const mean: number[] = []
  const lower: number[] = []
  const upper: number[] = []
  let psi = 0 // ψ_j = λ·ψ_{j−1} + c_j, c_0 = 1
  let phiSum = 0 // φ + … + φ^j
  let phiPow = 1
  let varSum = 0 // Σ_{j<h} ψ_j²
  for (let h = 1; h <= horizon; h++) {
    const j = h - 1
    const cj = j === 0 ? 1 : alpha + beta * phiSum + (j % s1 === 0 ? gamma : 0) + (j % s2 === 0 ? delta : 0)
    psi = lambda * psi + cj
    varSum += psi * psi
    phiPow *= phi
    phiSum += phiPow
    const t = n + j
    const i1 = t % s1
    const i2 = t % s2
    e *= lambda
    const pb = phi * b
    const m = l + pb + d[i1]! + w[i2]! + e
    l += pb + alpha * e
    b = pb + beta * e
    d[i1]! += gamma * e
    w[i2]! += delta * e
    const half = Z95 * model.sigma * Math.sqrt(varSum)
    mean.push(Math.max(0, m))
    lower.push(Math.max(0, m - half))
    upper.push(Math.max(0, m + half))
  }
  return { mean, lower, upper }
}
