/** What a device payload says, before the registry's mapping: values by object id, and their time if given. */
import { normalizeDateTime } from '../../ngsi-ld/format/index.js'

export interface Reading {
  /** Values by object id, in payload order. UltraLight values are strings. */
  values: [objectId: string, value: unknown][]
  /** ISO 8601 time of the measurement when the payload carries one. */
  at?: string
}

export class PayloadError extends Error {}

/** JSON keys that carry the time of the measurement (FIWARE's TimeInstant, and a common alias). */
export const TIME_KEYS = new Set(['TimeInstant', 'timestamp'])

const EPOCH_MS_FROM = 1e11 // below: seconds since 1970; above: milliseconds

/**
 * A time given by a device: ISO 8601 with seconds and a zone (`2026-01-05T10:00:00Z`), or Unix time in seconds or
 * milliseconds (number or digits). Throws PayloadError otherwise.
 */
export function parseTimestamp(v: unknown): string {
  if (typeof v === 'number' || (typeof v === 'string' && /^\d{9,13}(\.\d+)?$/.test(v))) {
    const n = Number(v)
    const ms = n < EPOCH_MS_FROM ? n * 1000 : n
    const d = new Date(ms)
    if (Number.isFinite(n) && !Number.isNaN(d.getTime())) return d.toISOString()
  }
  const iso = normalizeDateTime(v)
  if (iso) return iso
  throw new PayloadError(`"${String(v).slice(0, 40)}" is not a timestamp (ISO 8601 with a time zone, or Unix time)`)
}

/** True when the text looks like a timestamp rather than an UltraLight key. */
export function looksLikeTimestamp(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T/.test(s) || /^\d{10,13}$/.test(s)
}
