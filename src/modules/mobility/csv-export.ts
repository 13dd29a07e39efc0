/**
 * CSV exports of the published answers (`?format=csv`): the same cells as the JSON, suppressed ones written as
 * `suppressed`, never as a number. Comma-separated, RFC 4180 quoting, UTF-8.
 */
import type { Cell } from './model.js'

const field = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return `${[header, ...rows].map((r) => r.map(field).join(',')).join('\n')}\n`
}

export function heatmapCsv(h: {
  day: string
  hours: string[]
  zones: { zone: string; name: string; values: Cell[] }[]
}) {
  return toCsv(
    ['zone', 'name', ...h.hours],
    h.zones.map((z) => [z.zone, z.name, ...z.values]),
  )
}

export function seriesCsv(s: { times: string[]; classes: Record<string, Cell[]>; total: Cell[] }) {
  const classes = Object.keys(s.classes)
  return toCsv(
    ['time', ...classes, 'total'],
    s.times.map((t, i) => [t, ...classes.map((c) => s.classes[c]![i]), s.total[i]]),
  )
}

export function tourismCsv(t: { days: Record<string, unknown>[] }) {
  const cols = ['date', 'visitors', 'italian', 'foreign', 'overnight', 'lastYear']
  return toCsv(
    cols,
    t.days.map((d) => cols.map((c) => d[c])),
  )
}

export function originsCsv(o: {
  items: { origin: string; name: string; value: Cell; share: number | null }[]
  other: Cell
  total: Cell
}) {
  return toCsv(
    ['origin', 'name', 'visitor_days', 'share'],
    [
      ...o.items.map((i) => [i.origin, i.name, i.value, i.share]),
      ['', 'other', o.other, ''],
      ['', 'total', o.total, ''],
    ],
  )
}

export function flowsCsv(f: {
  items: { origin: string; originName: string; destination: string; destinationName: string; count: Cell }[]
}) {
  return toCsv(
    ['origin', 'origin_name', 'destination', 'destination_name', 'trips'],
    f.items.map((i) => [i.origin, i.originName, i.destination, i.destinationName, i.count]),
  )
}
