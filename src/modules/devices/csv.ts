/**
 * Bulk provisioning from CSV (RFC 4180: commas, double-quoted fields with "" escapes and line breaks). The first line
 * names the columns; each other line is a device. Columns:
 *   device_id (required), entity_name, entity_type, apikey, protocol (json|ul), transport (mqtt|http),
 *   latitude, longitude, attributes, static_attributes, commands, context, description
 * Compact cells (or a JSON array in FIWARE form):
 *   attributes         `t=temperature:Number:CEL;h=relativeHumidity:Number:P1`  ([object_id=]name[:type[:unitCode]])
 *   static_attributes  `address=Piazza Napoleone;floor=2`                       (numbers stay numbers)
 *   commands           `dimmingLevel=100;reboot`                                (name[=initial value])
 * Problems are reported per line, all of them, and nothing is imported unless every line is right.
 */
import { AppError } from '../../errors.js'

export const CSV_COLUMNS = [
  'device_id',
  'entity_name',
  'entity_type',
  'apikey',
  'protocol',
  'transport',
  'latitude',
  'longitude',
  'attributes',
  'static_attributes',
  'commands',
  'context',
  'description',
] as const

export interface CsvRecord {
  line: number
  fields: string[]
}

/** Splits CSV text into records with the line each starts on. */
export function parseCsv(text: string): CsvRecord[] {
  const out: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  let quoted = false
  let line = 1
  let start = 1
  let any = false
  const s = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else {
        if (ch === '\n') line++
        field += ch
      }
      continue
    }
    if (ch === '"' && field === '') {
      quoted = true
      any = true
    } else if (ch === ',') {
      fields.push(field)
      field = ''
      any = true
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++
      fields.push(field)
      if (any || field !== '') out.push({ line: start, fields })
      fields = []
      field = ''
      any = false
      line++
      start = line
    } else {
      field += ch
      any = true
    }
  }
  if (quoted) throw new AppError('BadRequestData', `line ${start}: a quoted field is not closed`)
  if (any || field !== '') {
    fields.push(field)
    out.push({ line: start, fields })
  }
  return out
}

const scalar = (v: string): unknown => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v)

function jsonOr<T>(cell: string, compact: (s: string) => T): unknown {
  const c = cell.trim()
  if (c.startsWith('[')) {
    try {
      return JSON.parse(c)
    } catch (e) {
      throw new Error(`not valid JSON: ${(e as Error).message}`)
    }
  }
  return compact(c)
}

const items = (c: string) =>
  c
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean)

function attributes(c: string) {
  return items(c).map((it) => {
    const eq = it.indexOf('=')
    const objectId = eq > 0 ? it.slice(0, eq) : undefined
    const [name, type, unitCode] = (eq > 0 ? it.slice(eq + 1) : it).split(':')
    return { ...(objectId ? { object_id: objectId } : {}), name, type, ...(unitCode ? { unitCode } : {}) }
  })
}

function statics(c: string) {
  return items(c).map((it) => {
    const eq = it.indexOf('=')
    if (eq <= 0) throw new Error(`"${it}" is not name=value`)
    return { name: it.slice(0, eq), type: 'Property', value: scalar(it.slice(eq + 1)) }
  })
}

function commands(c: string) {
  return items(c).map((it) => {
    const eq = it.indexOf('=')
    return eq > 0 ? { name: it.slice(0, eq), initial: scalar(it.slice(eq + 1)) } : { name: it }
  })
}

export interface CsvDevices {
  inputs: Record<string, unknown>[]
  paths: string[]
  errors: string[]
}

/** The device inputs of a CSV file, with `line N` paths and the problems found while reading the cells. */
export function devicesFromCsv(text: string): CsvDevices {
  const records = parseCsv(text)
  const header = records.shift()
  if (!header) throw new AppError('BadRequestData', 'the CSV file is empty')
  const cols = header.fields.map((f) => f.trim().toLowerCase())
  const unknown = cols.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c))
  if (unknown.length) {
    throw new AppError(
      'BadRequestData',
      `line 1: unknown column(s) ${unknown.join(', ')}; known: ${CSV_COLUMNS.join(', ')}`,
    )
  }
  if (!cols.includes('device_id')) throw new AppError('BadRequestData', 'line 1: the device_id column is required')
  const out: CsvDevices = { inputs: [], paths: [], errors: [] }
  for (const r of records) {
    const path = `line ${r.line}`
    if (r.fields.length !== cols.length) {
      out.errors.push(`${path}: ${r.fields.length} fields, the header has ${cols.length}`)
      continue
    }
    const cell = Object.fromEntries(cols.map((c, i) => [c, r.fields[i]!.trim()]))
    const input: Record<string, unknown> = {}
    try {
      for (const k of ['device_id', 'entity_name', 'entity_type', 'apikey', 'protocol', 'transport', 'context']) {
        if (cell[k]) input[k] = cell[k]
      }
      if (cell.description) input.description = cell.description
      const compact: [string, (s: string) => unknown][] = [
        ['attributes', attributes],
        ['static_attributes', statics],
        ['commands', commands],
      ]
      for (const [k, fn] of compact) {
        try {
          if (cell[k]) input[k] = jsonOr(cell[k], fn)
        } catch (e) {
          throw new Error(`${k}: ${(e as Error).message}`)
        }
      }
      if (cell.latitude || cell.longitude) {
        const lat = Number(cell.latitude)
        const lon = Number(cell.longitude)
        if (!cell.latitude || !cell.longitude || !Number.isFinite(lat) || !Number.isFinite(lon)) {
          throw new Error('latitude and longitude: two numbers, or both empty')
        }
        input.location = { type: 'Point', coordinates: [lon, lat] }
      }
    } catch (e) {
      out.errors.push(`${path}: ${(e as Error).message}`)
      continue
    }
    out.inputs.push(input)
    out.paths.push(path)
  }
  return out
}
