/**
 * JSON payloads (FIWARE IoT Agent JSON): `{"t": 25, "h": 40}`, or an array of such objects (several measurements);
 * `TimeInstant` (or `timestamp`) gives the time. Command answers: `{"<command>": <result>}`.
 */
import { PayloadError, parseTimestamp, type Reading, TIME_KEYS } from './reading.js'

const MAX_ITEMS = 1000

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new PayloadError(`malformed JSON: ${(e as Error).message}`)
  }
}

function reading(obj: unknown, where: string): Reading {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new PayloadError(`${where}a JSON measurement is an object of values by attribute`)
  }
  const r: Reading = { values: [] }
  for (const [k, v] of Object.entries(obj)) {
    if (TIME_KEYS.has(k)) r.at = parseTimestamp(v)
    else r.values.push([k, v])
  }
  if (r.values.length === 0) throw new PayloadError(`${where}no values in the measurement`)
  return r
}

export function parseJsonMeasures(text: string): Reading[] {
  const doc = parseJsonText(text)
  if (Array.isArray(doc)) {
    if (doc.length === 0) throw new PayloadError('an empty array of measurements')
    if (doc.length > MAX_ITEMS) throw new PayloadError(`more than ${MAX_ITEMS} measurements in one message`)
    return doc.map((x, i) => reading(x, `[${i}]: `))
  }
  return [reading(doc, '')]
}

/** The value of a single-attribute message (`.../attrs/<objectId>`): JSON when it parses, else the text. */
export function parseSingleValue(text: string, format: 'json' | 'ul'): unknown {
  const t = text.trim()
  if (t === '') throw new PayloadError('empty value')
  if (format === 'ul') return t
  try {
    return JSON.parse(t)
  } catch {
    return t
  }
}

/** `{"<command>": <result>}` or `{"<command>": {"status": "ERROR", "info": ...}}`. */
export function parseJsonCommandResults(text: string): [command: string, result: unknown][] {
  const doc = parseJsonText(text)
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || Object.keys(doc).length === 0) {
    throw new PayloadError('a command answer is a JSON object {"<command>": <result>}')
  }
  return Object.entries(doc)
}
