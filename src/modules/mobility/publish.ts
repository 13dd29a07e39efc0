/** Turning stored day rows into published cells, hour by hour or as one figure per day. */
import type { Cell } from './model.js'
import { publish } from './privacy.js'
import type { DayRow } from './queries.js'

export const isHidden = (mask: number, h: number) => ((mask >> h) & 1) === 1

/** The 24 published cells of a row. */
export function cellsOf(row: DayRow | undefined): Cell[] {
  if (!row) return Array(24).fill(null)
  return row.counts.map((v, h) => publish(v, isHidden(row.hidden, h)))
}

/** The published value of an hour, or null (no data or hidden: derived figures use published cells only). */
export function publishedAt(row: DayRow | undefined, h: number): number | null {
  if (!row) return null
  const v = row.counts[h]
  return v === null || v === undefined || isHidden(row.hidden, h) ? null : v
}

/** The day's peak over its published hours. */
export function peakOf(row: DayRow | undefined): number | null {
  let best: number | null = null
  for (let h = 0; h < 24; h++) {
    const v = publishedAt(row, h)
    if (v !== null && (best === null || v > best)) best = v
  }
  return best
}

/** Groups day rows by day, then class. */
export function byDay(rows: DayRow[]): Map<string, Map<number, DayRow>> {
  const out = new Map<string, Map<number, DayRow>>()
  for (const r of rows) {
    let d = out.get(r.day)
    if (!d) {
      d = new Map()
      out.set(r.day, d)
    }
    d.set(r.class, r)
  }
  return out
}
