/**
 * Presence import: a CSV with a header (columns named as in docs/mobility.md, or mapped), the Telecom Italia Big Data
 * Challenge activity files (tab-separated, no header: square id, 10-minute interval in epoch ms, country code, SMS
 * in/out, calls in/out, internet), or JSON records. The input streams through; each bad row is reported with its
 * line and reason and the import goes on; values reach the database day by day (presence-sink.ts).
 */
import { AppError } from '../../../errors.js'
import { classCode, type PresenceClass, ZONE_RE } from '../model.js'
import { detectDelimiter, InputTooLarge, type LineChunk, readLines, splitFields } from './lines.js'
import {
  type LocalSlot,
  type Mapping,
  parseClass,
  parseNumber,
  parseOrigin,
  parseTime,
  resolveColumns,
} from './mapping.js'
import { PresenceSink } from './presence-sink.js'
import { Problems, type Progress } from './progress.js'
import type { Db } from '../repo.js'

export type PresenceFormat = 'csv' | 'telecom'

export interface PresenceImportOptions {
  format: PresenceFormat
  mapping: Mapping
  k: number
  maxBytes?: number
  onProgress?: (p: Progress) => void
}

export interface PresenceResult {
  rows: number
  imported: number
  rejected: number
  problems: { line: number; reason: string }[]
  days: { from: string; to: string } | null
}

const MAX_COUNT = 1e9

/** The fields a presence file may map (docs/mobility.md). */
export const PRESENCE_FIELDS = [
  'zone',
  'time',
  'date',
  'hour',
  'class',
  'count',
  'origin',
  'country',
  'province',
  'municipality',
  'dwell',
]

/** One presence value to validate and store. */
export interface PresenceValue {
  zone: unknown
  time?: unknown
  date?: unknown
  hour?: unknown
  class: unknown
  count: unknown
  origin?: unknown
  dwell?: unknown
}

class Validator {
  private lastTime = ''
  private lastSlot: LocalSlot | undefined
  constructor(private readonly mapping: Mapping) {}

  zone(v: string): string | Error {
    const z = v.trim()
    if (z === '') return new Error('zone is empty')
    if (!ZONE_RE.test(z)) return new Error(`zone "${z.slice(0, 40)}" has characters or a length (1-64) not accepted`)
    return z
  }

  time(v: string): LocalSlot | Error {
    if (v === this.lastTime && this.lastSlot) return this.lastSlot
    const s = parseTime(v)
    if (!s) return new Error(`time "${v.slice(0, 40)}" is not a date-time (e.g. 2025-03-01T08:00:00+01:00)`)
    this.lastTime = v
    this.lastSlot = s
    return s
  }

  dateHour(d: string, h: string): LocalSlot | Error {
    const hour = Number(h.trim())
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) return new Error(`hour "${h.slice(0, 20)}" is not 0-23`)
    const s = this.time(d.trim().slice(0, 10))
    return s instanceof Error ? s : { day: s.day, hour, minute: 0 }
  }

  cls(v: string): number | Error {
    const c = parseClass(v, this.mapping)
    if (c === undefined) {
      return new Error(`class "${v.slice(0, 40)}" is unknown (resident, commuter, italian_visitor, foreign_visitor)`)
    }
    return classCode(c)
  }

  count(v: number, raw: string, what = 'count'): number | Error {
    if (!Number.isFinite(v) || v < 0 || v > MAX_COUNT)
      return new Error(`${what} "${raw.slice(0, 40)}" is not a number from 0 to 1e9`)
    return v
  }
}

export async function importPresence(
  db: Db,
  tenant: string,
  input: AsyncIterable<Uint8Array | string>,
  opts: PresenceImportOptions,
): Promise<PresenceResult> {
  const sink = new PresenceSink(db, tenant, opts.k, opts.format === 'telecom' ? 'sum' : 'mean')
  const problems = new Problems(opts.onProgress)
  const lines = readLines(input, {
    ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}),
    onBytes: (b) => problems.bytes(b),
  })
  try {
    if (opts.format === 'telecom') await telecomLines(lines, sink, problems)
    else await csvLines(lines, sink, problems, opts.mapping)
    await sink.finish()
  } catch (e) {
    await sink.finish().catch(() => {})
    if (e instanceof InputTooLarge) throw new AppError('PayloadTooLarge', e.message)
    throw e
  }
  return problems.result(sink.firstDay, sink.lastDay)
}

async function csvLines(lines: AsyncGenerator<LineChunk>, sink: PresenceSink, problems: Problems, mapping: Mapping) {
  const v = new Validator(mapping)
  let cols: Map<string, number> | undefined
  let delim = ','
  let width = 0
  for await (const chunk of lines) {
    for (let j = 0; j < chunk.lines.length; j++) {
      const line = chunk.lines[j]!
      if (line.trim() === '') continue
      const lineNo = chunk.first + j
      if (!cols) {
        delim = mapping.delimiter ?? detectDelimiter(line)
        const header = splitFields(line, delim)
        width = header.length
        try {
          cols = resolveColumns(header, PRESENCE_FIELDS, mapping)
        } catch (e) {
          throw new AppError('BadRequestData', (e as Error).message)
        }
        for (const f of ['zone', 'class', 'count']) {
          if (!cols.has(f)) throw new AppError('BadRequestData', `the header has no ${f} column (see docs/mobility.md)`)
        }
        if (!cols.has('time') && !(cols.has('date') && cols.has('hour'))) {
          throw new AppError('BadRequestData', 'the header has no time column (or date and hour columns)')
        }
        continue
      }
      problems.row()
      const f = splitFields(line, delim)
      if (f.length !== width) {
        problems.reject(lineNo, `expected ${width} fields, found ${f.length}`)
        continue
      }
      const err = acceptFields(f, cols, v, sink, delim)
      if (err) problems.reject(lineNo, err.message)
      else problems.accept()
    }
    problems.tick()
    await sink.drain()
  }
  if (!cols) throw new AppError('BadRequestData', 'the file is empty: a header line and rows are expected')
}

function acceptFields(f: string[], cols: Map<string, number>, v: Validator, sink: PresenceSink, delim: string) {
  const at = (name: string) => {
    const i = cols.get(name)
    return i === undefined ? '' : (f[i] ?? '')
  }
  const zone = v.zone(at('zone'))
  if (zone instanceof Error) return zone
  const slot = cols.has('time') ? v.time(at('time')) : v.dateHour(at('date'), at('hour'))
  if (slot instanceof Error) return slot
  const cls = v.cls(at('class'))
  if (cls instanceof Error) return cls
  const raw = at('count')
  const count = v.count(parseNumber(raw, delim), raw)
  if (count instanceof Error) return count
  let origin: string | Error = ''
  if (cols.has('origin')) origin = parseOrigin(at('origin'), undefined, {})
  for (const kind of ['country', 'province', 'municipality'] as const) {
    if (origin === '' && cols.has(kind)) origin = parseOrigin(at(kind), kind, {})
  }
  if (origin instanceof Error) return origin
  let dwell: number | undefined
  if (cols.has('dwell') && at('dwell').trim() !== '') {
    const d = v.count(parseNumber(at('dwell'), delim), at('dwell'), 'dwell')
    if (d instanceof Error) return d
    if (d > 1440 * 31) return new Error('dwell is longer than a month of minutes')
    dwell = d
  }
  sink.add(zone, slot.day, slot.hour, cls, origin, count, dwell)
  return undefined
}

async function telecomLines(lines: AsyncGenerator<LineChunk>, sink: PresenceSink, problems: Problems) {
  const v = new Validator({})
  const activity = classCode('activity')
  for await (const chunk of lines) {
    for (let j = 0; j < chunk.lines.length; j++) {
      const line = chunk.lines[j]!
      if (line.trim() === '') continue
      problems.row()
      const lineNo = chunk.first + j
      const f = line.split('\t')
      if (f.length < 4 || f.length > 8) {
        problems.reject(
          lineNo,
          `expected 8 tab-separated fields (square, time, country, sms in/out, calls in/out, internet), found ${f.length}`,
        )
        continue
      }
      const zone = v.zone(f[0]!)
      if (zone instanceof Error || !/^\d+$/.test(f[0]!.trim())) {
        problems.reject(lineNo, `square id "${f[0]!.slice(0, 20)}" is not a number`)
        continue
      }
      const slot = v.time(f[1]!.trim())
      if (slot instanceof Error) {
        problems.reject(lineNo, `time interval "${f[1]!.slice(0, 20)}" is not epoch milliseconds`)
        continue
      }
      let sum = 0
      let bad: string | undefined
      for (let i = 3; i < f.length; i++) {
        const raw = f[i]!
        if (raw.trim() === '') continue
        const n = Number(raw)
        if (!Number.isFinite(n) || n < 0) {
          bad = `activity value "${raw.slice(0, 20)}" is not a number >= 0`
          break
        }
        sum += n
      }
      if (bad) {
        problems.reject(lineNo, bad)
        continue
      }
      sink.add(zone, slot.day, slot.hour, activity, '', sum)
      problems.accept()
    }
    problems.tick()
    await sink.drain()
  }
}

/** JSON records (the API's POST /presence): the same checks, `index` instead of a line. */
export async function importPresenceRecords(
  db: Db,
  tenant: string,
  records: PresenceValue[],
  opts: { mapping: Mapping; k: number },
): Promise<PresenceResult> {
  const sink = new PresenceSink(db, tenant, opts.k, 'mean')
  const problems = new Problems()
  const v = new Validator(opts.mapping)
  const str = (x: unknown) => (x === undefined || x === null ? '' : String(x))
  records.forEach((r, i) => {
    problems.row()
    const cols = new Map<string, number>()
    const f: string[] = []
    for (const name of PRESENCE_FIELDS) {
      const val = (r as unknown as Record<string, unknown>)[name]
      if (val !== undefined && val !== null) {
        cols.set(name, f.length)
        f.push(str(val))
      }
    }
    if (!cols.has('time') && !cols.has('date')) {
      problems.reject(i + 1, 'time is missing')
      return
    }
    const err = acceptFields(f, cols, v, sink, '.')
    if (err) problems.reject(i + 1, err.message)
    else problems.accept()
  })
  await sink.finish()
  return problems.result(sink.firstDay, sink.lastDay)
}

export type { PresenceClass }
