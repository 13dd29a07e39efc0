/**
 * How a provider's file maps to Urbe's fields: column names (built-in aliases in Italian and English, overridable
 * per tenant and per import), class names, origin codes and timestamps.
 */
import { romeOffset } from '../../simulator/calendar.js'
import { type OriginKind, ORIGIN_PREFIX, type PresenceClass } from '../model.js'

export interface Mapping {
  /** Field name -> the column name in the file. */
  columns?: Record<string, string>
  /** Class value in the file -> Urbe class. */
  classes?: Record<string, PresenceClass>
  /** How a bare numeric origin code is read (default: country for 3 digits, municipality for 6). */
  originKind?: OriginKind
  delimiter?: string
}

const ALIASES: Record<string, string[]> = {
  zone: ['zone', 'zona', 'zone_id', 'id_zona', 'cell', 'cell_id', 'cella', 'area', 'ace', 'square_id', 'grid_id'],
  time: ['time', 'timestamp', 'datetime', 'data_ora', 'start', 'start_time', 'time_bucket', 'ts'],
  date: ['date', 'data', 'day', 'giorno'],
  hour: ['hour', 'ora', 'h'],
  class: ['class', 'classe', 'category', 'categoria', 'segment', 'profile', 'profilo', 'type', 'tipo'],
  count: ['count', 'value', 'people', 'presenze', 'persone', 'n', 'conteggio', 'valore', 'users', 'trips'],
  origin: ['origin', 'origine', 'provenienza'],
  country: ['country', 'mcc', 'nazione', 'paese', 'country_code'],
  province: ['province', 'provincia', 'origin_province', 'cod_prov'],
  municipality: ['municipality', 'comune', 'origin_municipality', 'cod_comune', 'pro_com'],
  dwell: ['dwell', 'dwell_time', 'dwell_minutes', 'permanenza', 'permanenza_minuti', 'avg_dwell_min'],
  origin_zone: ['origin_zone', 'from', 'zona_origine', 'o', 'orig', 'origin_id', 'from_zone'],
  destination_zone: [
    'destination_zone',
    'destination',
    'to',
    'zona_destinazione',
    'd',
    'dest',
    'destination_id',
    'to_zone',
  ],
  band: ['band', 'time_band', 'fascia', 'fascia_oraria', 'hour_band'],
  band_end: ['band_end', 'fine_fascia'],
}

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')

/** Resolves the fields of a header: field -> column index; throws on a column the mapping names but is missing. */
export function resolveColumns(header: string[], fields: readonly string[], mapping: Mapping): Map<string, number> {
  const names = header.map(norm)
  const out = new Map<string, number>()
  for (const f of fields) {
    const given = mapping.columns?.[f]
    if (given !== undefined) {
      const i = names.indexOf(norm(given))
      if (i < 0) throw new Error(`the mapping names column "${given}" for ${f}, but the header has no such column`)
      out.set(f, i)
      continue
    }
    const i = names.findIndex((n) => ALIASES[f]?.includes(n))
    if (i >= 0) out.set(f, i)
  }
  return out
}

const CLASS_ALIASES: Record<string, PresenceClass> = {}
for (const [cls, names] of Object.entries({
  resident: ['resident', 'residents', 'residente', 'residenti', 'r', 'res'],
  commuter: ['commuter', 'commuters', 'pendolare', 'pendolari', 'c', 'com'],
  italian_visitor: [
    'italian_visitor',
    'italian_visitors',
    'visitatore_italiano',
    'visitatori_italiani',
    'turista_italiano',
    'turisti_italiani',
    'italian',
    'italiani',
    'domestic_visitor',
    'i',
    'ita',
  ],
  foreign_visitor: [
    'foreign_visitor',
    'foreign_visitors',
    'visitatore_straniero',
    'visitatori_stranieri',
    'turista_straniero',
    'turisti_stranieri',
    'foreign',
    'stranieri',
    'international_visitor',
    'f',
    'str',
  ],
  activity: ['activity', 'attivita'],
} as Record<PresenceClass, string[]>)) {
  for (const n of names) CLASS_ALIASES[n] = cls as PresenceClass
}

/** The class of a value in the file, through the mapping first; undefined when unknown. */
export function parseClass(value: string, mapping: Mapping): PresenceClass | undefined {
  const m = mapping.classes?.[value] ?? mapping.classes?.[value.trim()]
  if (m) return m
  return CLASS_ALIASES[norm(value)]
}

const ORIGIN_RE = /^(c|p|m):(\d{1,6})$/

/** An origin code as stored ('' = none), or an Error describing why it is not one. */
export function parseOrigin(raw: string, kind: OriginKind | undefined, mapping: Mapping): string | Error {
  const v = raw.trim()
  if (v === '') return ''
  if (ORIGIN_RE.test(v)) return v
  if (!/^\d{1,6}$/.test(v)) return new Error(`origin "${v.slice(0, 40)}" is not a code (c:208, p:046, m:046017)`)
  const k = kind ?? mapping.originKind ?? (v.length === 6 ? 'municipality' : v.length === 3 ? 'country' : undefined)
  if (!k) return new Error(`origin "${v}": say whether it is a country, province or municipality code`)
  return `${ORIGIN_PREFIX[k]}${v}`
}

export interface LocalSlot {
  day: string
  hour: number
  minute: number
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/
const OFFSET_RE = /(?:Z|[+-]\d{2}:?\d{2})$/

/** The local (Europe/Rome) day and hour of a timestamp: with an offset or Z it is converted; without, it is local. */
export function parseTime(raw: string): LocalSlot | undefined {
  const v = raw.trim()
  if (OFFSET_RE.test(v) && v.length > 10) {
    const ms = Date.parse(v)
    if (Number.isNaN(ms)) return undefined
    return fromMs(ms)
  }
  const m = LOCAL_RE.exec(v)
  if (!m) {
    // epoch milliseconds (the Telecom Italia files)
    if (/^\d{12,14}$/.test(v)) return fromMs(Number(v))
    return undefined
  }
  const [, y, mo, d, h, mi] = m
  const hour = h === undefined ? 0 : Number(h)
  const minute = mi === undefined ? 0 : Number(mi)
  const day = `${y}-${mo}-${d}`
  if (hour > 23 || minute > 59 || !validDay(day)) return undefined
  return { day, hour, minute }
}

export function validDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false
  const t = Date.parse(`${day}T00:00:00Z`)
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day
}

export function fromMs(ms: number): LocalSlot | undefined {
  if (!Number.isFinite(ms)) return undefined
  const local = new Date(ms + romeOffset(ms))
  const iso = local.toISOString()
  return { day: iso.slice(0, 10), hour: local.getUTCHours(), minute: local.getUTCMinutes() }
}

/** A number as providers write it: "1234", "1234.5", "1234,5" (decimal comma when the delimiter is not a comma). */
export function parseNumber(raw: string, delimiter: string): number {
  const v = raw.trim()
  if (v === '') return Number.NaN
  return Number(delimiter !== ',' && v.includes(',') && !v.includes('.') ? v.replace(',', '.') : v)
}
