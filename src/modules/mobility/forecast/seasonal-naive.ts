/**
 * Seasonal naive forecast, the baseline every model must beat: each future hour takes the value of the same hour in
 * the last observed week. Where that hour is missing it falls back to the same hour of the day on the last observed
 * day, then on the days before it (which include the earlier weeks); with nothing at all it forecasts 0.
 */

const DAY = 24

/** Forecasts `horizon` values after the end of `values` by repeating the last `season` values. */
export function seasonalNaive(values: (number | null)[], horizon: number, season = 168): number[] {
  if (!Number.isInteger(season) || season < 1) throw new Error(`Invalid season ${season}`)
  if (!Number.isInteger(horizon) || horizon < 0) throw new Error(`Invalid horizon ${horizon}`)
  const n = values.length
  const at = (i: number): number | null => {
    const v = i >= 0 && i < n ? values[i] : null
    return v === null || v === undefined || !Number.isFinite(v) ? null : v
  }
  const out: number[] = []
  const day = Math.min(DAY, season)
  for (let h = 0; h < horizon; h++) {
    // Same hour in the last observed week, else the same hour of the day on the last days, newest first.
    let v = at(n - season + (h % season))
    for (let i = n - day + (h % day); v === null && i >= 0; i -= day) v = at(i)
    out.push(v ?? 0)
  }
  return out
}
