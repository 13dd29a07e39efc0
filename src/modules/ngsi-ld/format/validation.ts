/**
 * Syntactic checks of NGSI-LD payload pieces (clause 4.6): names, URIs, date-times, scopes, language tags, depth.
 */
import { AppError } from '../../../errors.js'
import { NGSI_LD_NULL } from './constants.js'

/** Throws BadRequestData naming where in the payload the problem is. */
export function fail(path: string, message: string): never {
  throw new AppError('BadRequestData', path ? `${path}: ${message}` : message, { path })
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

export const isNgsiNull = (v: unknown): boolean => v === NGSI_LD_NULL

/** RFC 3986 URI: a scheme, a colon and no whitespace, control characters or characters that are never allowed. */
const URI_RE = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s\u0000-\u001f\u007f<>"{}|\\^`]+$/u

export const isUri = (v: unknown): v is string => typeof v === 'string' && URI_RE.test(v)

/** Clause 4.6.2: name = unicodeLetter *(unicodeLetter / unicodeNumber / "_"), optionally prefix ":" name. */
const NAME_RE = /^\p{L}[\p{L}\p{N}_]*(?::\p{L}[\p{L}\p{N}_]*)?$/u

/** Characters that clause 4.6.4 flags as dangerous; never accepted in names. */
const FORBIDDEN_IN_NAMES = /[<>"'=;()\s]/u

/** A valid entity type, attribute or sub-attribute name: a clause 4.6.2 name or an absolute IRI. */
export function isValidName(name: string): boolean {
  if (NAME_RE.test(name)) return true
  return URI_RE.test(name) && !FORBIDDEN_IN_NAMES.test(name)
}

/** Clause 4.18: a scope is "/" level *("/" level), each level made of letters, digits and "_". */
const SCOPE_RE = /^(?:\/[\p{L}\p{N}_]+)+$/u

export const isValidScope = (v: unknown): v is string => typeof v === 'string' && SCOPE_RE.test(v)

/** RFC 5646 language tag (syntax only) or the JSON-LD "@none". */
const LANG_TAG_RE = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/

export const isValidLangTag = (v: string): boolean => v === '@none' || LANG_TAG_RE.test(v)

const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/

/**
 * Parses an ISO 8601 date-time with seconds and a time zone (`Z` or an offset; clause 4.6.3 also allows a comma before
 * the fraction) and returns it normalized to `Date.prototype.toISOString()`, or undefined if it is not valid.
 */
export function normalizeDateTime(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined
  // a device gateway flush stamps thousands of instances with a handful of date-times: remember the last one
  if (v === last.input) return last.output
  const out = parseDateTime(v)
  last = { input: v, output: out }
  return out
}

let last: { input: string; output: string | undefined } = { input: '', output: undefined }

function parseDateTime(v: string): string | undefined {
  const m = DATE_TIME_RE.exec(v)
  if (!m) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (day < 1 || day > daysInMonth) return undefined
  const fraction = m[7] ? `.${m[7].slice(0, 3).padEnd(3, '0')}` : ''
  const d = new Date(`${m.slice(1, 4).join('-')}T${m.slice(4, 7).join(':')}${fraction}${m[8]}`)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

/** True if the JSON value nests deeper than `limit` levels of arrays/objects. Stops early. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (limit <= 0) return true
  const children = Array.isArray(value) ? value : Object.values(value)
  return children.some((c) => nestsDeeperThan(c, limit - 1))
}

/** Finds a JSON `null` inside a value; returns its relative path or undefined. */
export function findJsonNull(value: unknown, path = ''): string | undefined {
  if (value === null) return path || '(value)'
  if (typeof value !== 'object') return undefined
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [`${path}[${i}]`, v])
    : Object.entries(value).map(([k, v]) => [path ? `${path}.${k}` : k, v])
  for (const [p, v] of entries) {
    const found = findJsonNull(v, p)
    if (found !== undefined) return found
  }
  return undefined
}

/** True if "urn:ngsi-ld:null" appears anywhere in the value (at any depth). */
export function containsNgsiNull(value: unknown): boolean {
  if (value === NGSI_LD_NULL) return true
  if (typeof value !== 'object' || value === null) return false
  return (Array.isArray(value) ? value : Object.values(value)).some(containsNgsiNull)
}
