/**
 * Origin-destination flow import: CSV with a header (day, origin zone, destination zone, time band, class, count) or
 * JSON records. Rows are written in chunks (a value given again replaces the stored one: idempotent); at the end the
 * monthly roll-up of the months touched is rebuilt from the published cells.
 */
import { AppError } from '../../../errors.js'
import { classCode, ZONE_RE } from '../model.js'
import { type Db, type FlowRow, rollupFlowMonths, upsertFlows } from '../repo.js'
import { detectDelimiter, InputTooLarge, type LineChunk, readLines, splitFields } from './lines.js'
import { type Mapping, parseClass, parseNumber, parseTime, resolveColumns } from './mapping.js'
import { Problems, type Progress } from './progress.js'

/** The fields a flows file may map (docs/mobility.md). */
export const FLOW_FIELDS = ['date', 'time', 'origin_zone', 'destination_zone', 'band', 'band_end', 'class', 'count']
const CHUNK = 5000
const BAND_RE = /^(\d{1,2})(?::00)?(?:\s*[-–]\s*(\d{1,2})(?::00)?)?$/

export interface FlowsResult {
  rows: number
  imported: number
  rejected: number
  problems: { line: number; reason: string }[]
  days: { from: string; to: string } | null
}

/** Parses a time band: "7", "07-09", "07:00-09:00"; the end defaults to the start + 1 (or band_end). */
export function parseBand(raw: string, endRaw?: string): { band: number; end: number } | Error {
  const v = raw.trim()
  if (v === '') return { band: 0, end: 24 }
  const m = BAND_RE.exec(v)
  if (!m) return new Error(`time band "${v.slice(0, 20)}" is not "HH" or "HH-HH"`)
  const band = Number(m[1])
  const endGiven = endRaw?.trim().replace(/:00$/, '')
  const end = m[2] !== undefined ? Number(m[2]) : endGiven ? Number(endGiven) : band + 1
  if (!(band >= 0 && band <= 23 && Number.isInteger(end) && end > band && end <= 24)) {
    return new Error(`time band "${v}" must lie within 0-24 and end after it starts`)
  }
  return { band, end }
}

class FlowBatch {
  private rows = new Map<string, FlowRow>()
  private readonly inFlight: Promise<void>[] = []
  private failure: unknown
  readonly months = new Set<string>()
  first: string | null = null
  last: string | null = null
  constructor(
    private readonly db: Db,
    private readonly tenant: string,
  ) {}
  add(r: FlowRow) {
    this.rows.set(`${r.day}\t${r.origin}\t${r.destination}\t${r.band}\t${r.class}`, r)
    this.months.add(`${r.day.slice(0, 7)}-01`)
    if (this.first === null || r.day < this.first) this.first = r.day
    if (this.last === null || r.day > this.last) this.last = r.day
  }
  async drain(force = false) {
    if (this.failure) throw this.failure
    if (this.rows.size < CHUNK && !(force && this.rows.size)) return
    const rows = [...this.rows.values()]
    this.rows = new Map()
    if (this.inFlight.length >= 2) await this.inFlight.shift()
    this.inFlight.push(
      upsertFlows(this.db, this.tenant, rows).catch((e) => {
        this.failure ??= e
      }),
    )
  }
  async finish(k: number) {
    await this.drain(true)
    await Promise.all(this.inFlight.splice(0))
    if (this.failure) throw this.failure
    await rollupFlowMonths(this.db, this.tenant, [...this.months], k)
  }
}

/** Validates one flow; the row or an Error. */
function flowOf(get: (f: string) => string, has: (f: string) => boolean, mapping: Mapping, delim: string) {
  const dayRaw = has('date') ? get('date') : get('time')
  const slot = parseTime(dayRaw.trim().slice(0, 10))
  if (!slot) return new Error(`day "${dayRaw.slice(0, 30)}" is not a date (YYYY-MM-DD)`)
  const origin = get('origin_zone').trim()
  const destination = get('destination_zone').trim()
  if (!ZONE_RE.test(origin)) return new Error(`origin zone "${origin.slice(0, 40)}" is empty or not accepted`)
  if (!ZONE_RE.test(destination))
    return new Error(`destination zone "${destination.slice(0, 40)}" is empty or not accepted`)
  const band = parseBand(get('band'), has('band_end') ? get('band_end') : undefined)
  if (band instanceof Error) return band
  const clsName = parseClass(get('class'), mapping)
  if (!clsName || clsName === 'activity') return new Error(`class "${get('class').slice(0, 40)}" is unknown`)
  const count = parseNumber(get('count'), delim)
  if (!Number.isFinite(count) || count < 0 || count > 1e9)
    return new Error(`count "${get('count').slice(0, 30)}" is not a number from 0 to 1e9`)
  return { day: slot.day, origin, destination, band: band.band, band_end: band.end, class: classCode(clsName), count }
}

export async function importFlows(
  db: Db,
  tenant: string,
  input: AsyncIterable<Uint8Array | string>,
  opts: { mapping: Mapping; k: number; maxBytes?: number; onProgress?: (p: Progress) => void },
): Promise<FlowsResult> {
  const problems = new Problems(opts.onProgress)
  const batch = new FlowBatch(db, tenant)
  const lines: AsyncGenerator<LineChunk> = readLines(input, {
    ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}),
    onBytes: (b) => problems.bytes(b),
  })
  let cols: Map<string, number> | undefined
  let delim = ','
  let width = 0
  try {
    for await (const chunk of lines) {
      for (let j = 0; j < chunk.lines.length; j++) {
        const line = chunk.lines[j]!
        if (line.trim() === '') continue
        if (!cols) {
          delim = opts.mapping.delimiter ?? detectDelimiter(line)
          const header = splitFields(line, delim)
          width = header.length
          try {
            cols = resolveColumns(header, FLOW_FIELDS, opts.mapping)
          } catch (e) {
            throw new AppError('BadRequestData', (e as Error).message)
          }
          for (const f of ['origin_zone', 'destination_zone', 'class', 'count']) {
            if (!cols.has(f))
              throw new AppError('BadRequestData', `the header has no ${f} column (see docs/mobility.md)`)
          }
          if (!cols.has('date') && !cols.has('time'))
            throw new AppError('BadRequestData', 'the header has no day column')
          continue
        }
        problems.row()
        const f = splitFields(line, delim)
        if (f.length !== width) {
          problems.reject(chunk.first + j, `expected ${width} fields, found ${f.length}`)
          continue
        }
        const c = cols
        const r = flowOf(
          (n) => f[c.get(n) ?? -1] ?? '',
          (n) => c.has(n),
          opts.mapping,
          delim,
        )
        if (r instanceof Error) problems.reject(chunk.first + j, r.message)
        else {
          batch.add(r)
          problems.accept()
        }
      }
      problems.tick()
      await batch.drain()
    }
    if (!cols) throw new AppError('BadRequestData', 'the file is empty: a header line and rows are expected')
    await batch.finish(opts.k)
  } catch (e) {
    if (e instanceof InputTooLarge) throw new AppError('PayloadTooLarge', e.message)
    throw e
  }
  return problems.result(batch.first, batch.last)
}

export async function importFlowRecords(
  db: Db,
  tenant: string,
  records: Record<string, unknown>[],
  opts: { mapping: Mapping; k: number },
): Promise<FlowsResult> {
  const problems = new Problems()
  const batch = new FlowBatch(db, tenant)
  const alias: Record<string, string> = { day: 'date', origin: 'origin_zone', destination: 'destination_zone' }
  records.forEach((rec, i) => {
    problems.row()
    const get = (f: string) => {
      const direct = rec[f] ?? rec[Object.keys(alias).find((a) => alias[a] === f) ?? '']
      return direct === undefined || direct === null ? '' : String(direct)
    }
    const has = (f: string) => get(f) !== ''
    const r = flowOf(get, has, opts.mapping, '.')
    if (r instanceof Error) problems.reject(i + 1, r.message)
    else {
      batch.add(r)
      problems.accept()
    }
  })
  await batch.finish(opts.k)
  return problems.result(batch.first, batch.last)
}
