/**
 * Pagination of attribute instances (clause 6.3.10). Each attribute of each entity returns at most `limit` instances
 * (or periods); when one has more, the answer is 206 with
 * `Content-Range: date-time <start>-<end>/<size>` (size: lastN, else `*`) and covers one common time range for all
 * attributes, so that the next page is a plain temporal query:
 *
 * - ascending (no lastN): every instance with start <= t < end is returned; the next page is `timerel=after&timeAt=<end>`
 *   (the range is half-open like `between`);
 * - descending (lastN above the limit): every instance with end <= t <= start is returned, newest first in time
 *   order; the next page is `timerel=before&timeAt=<end>`.
 */
import type { TimeWindow } from './params.js'

const min = (xs: readonly number[]) => xs.reduce((a, b) => (b < a ? b : a), Number.POSITIVE_INFINITY)
const max = (xs: readonly number[]) => xs.reduce((a, b) => (b > a ? b : a), Number.NEGATIVE_INFINITY)

export interface Cut {
  /** Keep an item at this time (ms)? */
  keep(t: number): boolean
  /** The bound in ms (first time not returned, ascending; last time not returned, descending). */
  bound: number
}

/**
 * `series`: the times (ms) of each attribute's items in fetch order (ascending, or descending for lastN), fetched with
 * up to limit + 1 items. Undefined when nothing was cut.
 */
export function cutSeries(series: readonly (readonly number[])[], limit: number, descending: boolean): Cut | undefined {
  const cuts = series.filter((s) => s.length > limit).map((s) => s[limit]!)
  if (cuts.length === 0) return undefined
  const bound = descending ? max(cuts) : min(cuts)
  const keep = descending ? (t: number) => t > bound : (t: number) => t < bound
  if (series.some((s) => s.some(keep))) return { keep, bound }
  // Pathological: more than `limit` items at the very same time. Return `limit` of them rather than nothing.
  return { keep: descending ? (t) => t >= bound : (t) => t <= bound, bound }
}

/** An ISO date-time without zero milliseconds: 2020-01-01T00:00:00Z. */
export const headerTime = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')

/** The Content-Range header of a cut answer; `kept` are the times returned. */
export function contentRange(cut: Cut, kept: readonly number[], w: TimeWindow, descending: boolean): string {
  const size = w.lastN ?? '*'
  if (!descending) {
    const start = (w.timerel === 'after' || w.timerel === 'between') && w.timeAt ? Date.parse(w.timeAt) : min(kept)
    return `date-time ${headerTime(start)}-${headerTime(cut.bound)}/${size}`
  }
  const top =
    w.timerel === 'between' && w.endTimeAt
      ? Date.parse(w.endTimeAt)
      : w.timerel === 'before' && w.timeAt
        ? Date.parse(w.timeAt)
        : max(kept)
  return `date-time ${headerTime(top)}-${headerTime(min(kept))}/${size}`
}

/** How many items to fetch per attribute, and whether from the newest. */
export function fetchPlan(w: TimeWindow, limit: number): { perSeries: number; descending: boolean; limit: number } {
  if (w.lastN === undefined) return { perSeries: limit + 1, descending: false, limit }
  if (w.lastN <= limit) return { perSeries: w.lastN, descending: true, limit: Number.POSITIVE_INFINITY }
  return { perSeries: limit + 1, descending: true, limit }
}
