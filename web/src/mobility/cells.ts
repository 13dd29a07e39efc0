/** Pure helpers of the mobility pages: cells, dates, colour breaks, URLs. */
import { formatNumber } from '../format'
import type { Lang } from '../i18n'
import { type Cell, SUPPRESSED } from './types'

export const isSuppressed = (c: Cell | undefined): c is 'suppressed' => c === SUPPRESSED

/** The number of a cell, or null (no data and suppressed alike: a chart draws a gap, never a 0). */
export function cellNumber(c: Cell | undefined): number | null {
  return typeof c === 'number' && Number.isFinite(c) ? c : null
}

/** "1.234" / "< 30" / "—". */
export function formatCell(c: Cell | undefined, lang: Lang, k: number, digits = 0): string {
  if (isSuppressed(c)) return `< ${k}`
  const n = cellNumber(c)
  return n === null ? '—' : formatNumber(n, lang, digits)
}

export function formatPercent(share: number | null | undefined, lang: Lang, digits = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—'
  return `${formatNumber(share * 100, lang, digits)} %`
}

/** A signed change: "+12,5 %". */
export function formatChange(change: number | null | undefined, lang: Lang): string {
  if (change === null || change === undefined || !Number.isFinite(change)) return '—'
  const s = formatPercent(Math.abs(change), lang)
  return change > 0 ? `+${s}` : change < 0 ? `−${s}` : s
}

/** Adds days to a YYYY-MM-DD date (calendar arithmetic, no time zone involved). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const t = new Date(Date.UTC(y, m - 1, d + n))
  return t.toISOString().slice(0, 10)
}

/** The last `n` days up to `to`, not before `min`. */
export function lastDays(to: string, n: number, min?: string): { from: string; to: string } {
  let from = addDays(to, -(n - 1))
  if (min && from < min) from = min
  return { from, to }
}

export function isDay(s: string | null | undefined): s is string {
  return !!s && /^\d{4}-\d{2}-\d{2}$/.test(s)
}

const LOCALE: Record<Lang, string> = { it: 'it-IT', en: 'en-GB' }

/** "lun 3 nov 2026". */
export function formatDay(day: string, lang: Lang, weekday = true): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Intl.DateTimeFormat(LOCALE[lang], {
    weekday: weekday ? 'short' : undefined,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)))
}

export const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`

/** Sequential colours, light to dark (ColorBrewer YlOrRd 5; the darkest three carry white text). */
export const PALETTE = ['#ffffb2', '#fecc5c', '#fd8d3c', '#e31a1c', '#99000d'] as const
export const SUPPRESSED_COLOUR = '#b1b1b3'
export const NODATA_COLOUR = '#f2f2f2'

const NICE = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 10]

/** Rounds to the nearest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5 times a power of ten (at least 1). */
export function nice(x: number): number {
  if (x <= 1) return 1
  const p = 10 ** Math.floor(Math.log10(x))
  const f = x / p
  let best = NICE[0]!
  for (const n of NICE) if (Math.abs(n - f) < Math.abs(best - f)) best = n
  return best * p
}

/** The smallest of those nice numbers at or above x: the top of an axis. */
export function niceCeil(x: number): number {
  if (x <= 1) return 1
  const p = 10 ** Math.floor(Math.log10(x))
  const f = x / p
  return (NICE.find((n) => n >= f - 1e-9) ?? 10) * p
}

/**
 * Class breaks for a choropleth: the thresholds where colour 2..n starts, from the quantiles of the values,
 * rounded to nice numbers, strictly increasing. Fewer breaks when the values do not spread.
 */
export function quantileBreaks(values: number[], classes = PALETTE.length): number[] {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return []
  const out: number[] = []
  for (let i = 1; i < classes; i++) {
    const q = v[Math.min(v.length - 1, Math.floor((i / classes) * v.length))]!
    const b = nice(q)
    if (b > (out[out.length - 1] ?? v[0]!) && b <= v[v.length - 1]!) out.push(b)
  }
  return out
}

/** The colour index of a value with these breaks. */
export function classOf(value: number, breaks: number[]): number {
  let i = 0
  while (i < breaks.length && value >= breaks[i]!) i++
  return i
}

export function colourOf(c: Cell | undefined, breaks: number[]): string {
  if (isSuppressed(c)) return SUPPRESSED_COLOUR
  const n = cellNumber(c)
  return n === null ? NODATA_COLOUR : PALETTE[Math.min(PALETTE.length - 1, classOf(n, breaks))]!
}

/** Legend rows for the breaks: [colour, from, to) with null for open ends. */
export function legendOf(breaks: number[]): { colour: string; from: number | null; to: number | null }[] {
  const rows = [{ colour: PALETTE[0] as string, from: null as number | null, to: breaks[0] ?? null }]
  breaks.forEach((b, i) => {
    rows.push({ colour: PALETTE[Math.min(PALETTE.length - 1, i + 1)]!, from: b, to: breaks[i + 1] ?? null })
  })
  return rows
}

/** `/api/mobility/{tenant}{path}?...` with the parameters that are set. */
export function mobUrl(tenant: string, path: string, params: Record<string, string | number | null | undefined> = {}) {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return `/api/mobility/${encodeURIComponent(tenant)}${path}${s ? `?${s}` : ''}`
}

/** Epoch seconds of ISO times (uPlot's x values). */
export const toSeconds = (times: string[]) => times.map((t) => new Date(t).getTime() / 1000)

/** The maximum number among cells (0 when none). */
export function maxOf(cells: Iterable<Cell | undefined>): number {
  let m = 0
  for (const c of cells) {
    const n = cellNumber(c)
    if (n !== null && n > m) m = n
  }
  return m
}
