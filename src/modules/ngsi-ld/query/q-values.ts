/**
 * Literal values of the `q` language: classification of bare words (numbers, booleans, dateTime, date, time, URIs)
 * and normalization of date-times to the stored ISO form (`new Date(x).toISOString()`).
 */
import { qError } from './q-lexer.js'

export type QValue =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'boolean'; readonly value: boolean }
  /** A double-quoted string, or a lenient bare word made of letters, digits, `_`, `-` and `.`. */
  | { readonly type: 'string'; readonly value: string }
  /** `value` as written; `iso` normalized to UTC with milliseconds (`2020-01-01T10:00:00.000Z`). */
  | { readonly type: 'dateTime'; readonly value: string; readonly iso: string }
  | { readonly type: 'date'; readonly value: string }
  | { readonly type: 'time'; readonly value: string }
  | { readonly type: 'uri'; readonly value: string }

/** Values that compare as strings in the database. */
export type QStringValue = Exclude<QValue, { type: 'number' } | { type: 'boolean' }>

export const isStringLike = (v: QValue): v is QStringValue => v.type !== 'number' && v.type !== 'boolean'

const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z)?$/
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/
const BARE = /^[\p{L}\p{N}_.-]+$/u
const MAX_VALUE_LENGTH = 2048

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!
  return d <= days
}

const validTime = (h: number, mi: number, s: number) => h <= 23 && mi <= 59 && s <= 59

/** Normalizes a validated dateTime to `YYYY-MM-DDTHH:mm:ss.sssZ`; returns undefined when out of range. */
export function normalizeDateTime(text: string): string | undefined {
  const m = DATE_TIME.exec(text)
  if (!m) return undefined
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number]
  const s = Number(m[6] ?? 0)
  const ms = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000)
  if (!validDate(y, mo, d) || !validTime(h, mi, s)) return undefined
  let offsetMin = 0
  const tz = m[8]
  if (tz && tz !== 'Z') {
    const digits = tz.slice(1).replace(':', '')
    const oh = Number(digits.slice(0, 2))
    const om = Number(digits.slice(2))
    if (oh > 23 || om > 59) return undefined
    offsetMin = (tz[0] === '-' ? -1 : 1) * (oh * 60 + om)
  }
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi - offsetMin, s, ms)
  const yy = date.getUTCFullYear()
  if (yy < 1 || yy > 9999) return undefined
  return (
    `${pad(yy, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.` +
    `${pad(date.getUTCMilliseconds(), 3)}Z`
  )
}

/** Classifies an unquoted value word. Throws BadRequestData when it is none of the supported forms. */
export function classifyWord(word: string, pos: number): QValue {
  if (word.length === 0) throw qError('missing value', pos)
  if (word.length > MAX_VALUE_LENGTH) throw qError(`value longer than ${MAX_VALUE_LENGTH} characters`, pos)
  if (word === 'true' || word === 'false') return { type: 'boolean', value: word === 'true' }
  if (NUMBER.test(word)) {
    const n = Number(word)
    if (!Number.isFinite(n)) throw qError(`number '${word}' is out of range`, pos)
    return { type: 'number', value: n }
  }
  if (DATE_TIME.test(word)) {
    const iso = normalizeDateTime(word)
    if (!iso) throw qError(`invalid dateTime '${word}'`, pos)
    return { type: 'dateTime', value: word, iso }
  }
  const dm = DATE.exec(word)
  if (dm) {
    if (!validDate(Number(dm[1]), Number(dm[2]), Number(dm[3]))) throw qError(`invalid date '${word}'`, pos)
    return { type: 'date', value: word }
  }
  const tm = TIME.exec(word)
  if (tm) {
    if (!validTime(Number(tm[1]), Number(tm[2]), Number(tm[3] ?? 0))) throw qError(`invalid time '${word}'`, pos)
    return { type: 'time', value: word }
  }
  if (URI.test(word)) return { type: 'uri', value: word }
  if (BARE.test(word)) return { type: 'string', value: word }
  throw qError(`invalid value '${word}' (strings with special characters must be double-quoted)`, pos)
}

/** A quoted string. Quoted values are always strings (`"42"` is the string 42). */
export function quotedValue(text: string, pos: number): QValue {
  if (text.length > MAX_VALUE_LENGTH) throw qError(`value longer than ${MAX_VALUE_LENGTH} characters`, pos)
  return { type: 'string', value: text }
}

/**
 * The string forms a string-like value is compared with. For attribute values, the literal as written (and, for a
 * dateTime, also its normalized form on equality); for the system timestamps observedAt/createdAt/modifiedAt, the
 * normalized ISO form (a date becomes midnight UTC).
 */
export function stringForms(v: QStringValue, target: 'value' | 'timestamp', equality: boolean): string[] {
  if (target === 'timestamp') {
    if (v.type === 'dateTime') return [v.iso]
    if (v.type === 'date') return [`${v.value}T00:00:00.000Z`]
    return [v.value]
  }
  if (v.type === 'dateTime' && equality && v.iso !== v.value) return [v.value, v.iso]
  return [v.value]
}
