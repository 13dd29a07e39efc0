/**
 * k-anonymity of published counts: primary suppression (a count above 0 and below k is hidden) and complementary
 * suppression (in every line of cells that adds up to a published total, the hidden cells are at least two and add
 * up to at least k, so that no hidden count can be recovered, or narrowed below k, by subtraction).
 *
 * A "table" is a flat array of values (NaN = no data) with its lines: lists of cell indexes whose interior cells add
 * up to the line's last cell (the margin). The heuristic hides the smallest published interior cell of a line that
 * needs protection (the margin only when no interior cell is left) and repeats until every line is protected or
 * cannot be protected further. It is deterministic: the same data always gives the same pattern, so every answer
 * built on the stored pattern is consistent with every other.
 */
import { type Cell, SUPPRESSED } from './model.js'

/** Hides cells of `values` in place in `hidden` (1 = hidden). Returns the number of cells hidden in all. */
export function suppressTable(values: ArrayLike<number>, hidden: Uint8Array, lines: readonly number[][], k: number) {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (v > 0 && v < k) hidden[i] = 1
  }
  if (k <= 1) return count(hidden)
  for (let round = 0; round < 50; round++) {
    let changed = false
    for (const line of lines) {
      if (protectLine(values, hidden, line, k)) changed = true
    }
    if (!changed) break
  }
  return count(hidden)
}

function count(hidden: Uint8Array): number {
  let n = 0
  for (const h of hidden) n += h
  return n
}

/** Hides one more cell of the line if it needs it; true when it did. */
function protectLine(values: ArrayLike<number>, hidden: Uint8Array, line: readonly number[], k: number): boolean {
  let hiddenCount = 0
  let hiddenSum = 0
  for (const i of line) {
    if (hidden[i] && !Number.isNaN(values[i]!)) {
      hiddenCount++
      hiddenSum += values[i]!
    }
  }
  if (hiddenCount === 0 || (hiddenCount >= 2 && hiddenSum >= k)) return false
  const margin = line[line.length - 1]!
  // the margin counts as hidden interior of nothing: if it is hidden, the line's sum is not published
  if (hidden[margin]) return false
  let best = -1
  for (let j = 0; j < line.length - 1; j++) {
    const i = line[j]!
    const v = values[i]!
    if (hidden[i] || Number.isNaN(v) || v <= 0) continue
    if (best < 0 || v < values[best]!) best = i
  }
  if (best < 0) {
    if (Number.isNaN(values[margin]!)) return false
    hidden[margin] = 1
    return true
  }
  hidden[best] = 1
  return true
}

/**
 * One line of an answer: `parts` that add up to `total` (when given). Primary and complementary suppression as
 * above; returns the published cells of the parts and of the total.
 */
export function protectParts(
  parts: readonly (number | null)[],
  k: number,
  total?: number | null,
): { parts: Cell[]; total: Cell } {
  const n = parts.length
  const values = new Float64Array(n + 1)
  for (let i = 0; i < n; i++) values[i] = parts[i] ?? Number.NaN
  values[n] = total ?? Number.NaN
  const hidden = new Uint8Array(n + 1)
  const line = [...Array(n + 1).keys()]
  suppressTable(values, hidden, total === undefined || total === null ? [] : [line], k)
  return {
    parts: parts.map((v, i) => publish(v, hidden[i] === 1)),
    total: total === undefined ? null : publish(total, hidden[n] === 1),
  }
}

/** A cell as published: null for no data, `suppressed` when hidden, else the value rounded to a whole number. */
export function publish(v: number | null | undefined, hide: boolean): Cell {
  if (v === null || v === undefined || Number.isNaN(v)) return null
  return hide ? SUPPRESSED : Math.round(v)
}

/** A single derived figure (a mean, a peak, a sum of published cells): hidden when above 0 and below k. */
export function publishFigure(v: number | null | undefined, k: number): Cell {
  if (v === null || v === undefined || Number.isNaN(v)) return null
  return v > 0 && v < k ? SUPPRESSED : Math.round(v)
}
