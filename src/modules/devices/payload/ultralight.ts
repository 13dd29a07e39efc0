/**
 * UltraLight 2.0 (FIWARE): `t|25|h|40` = measures as key|value pairs; groups separated by `#` (`t|25#t|26`), each may
 * start with a timestamp (`2026-01-05T10:00:00Z|t|25`). Command answers: `<deviceId>@<command>|<result>`.
 */
import { looksLikeTimestamp, PayloadError, parseTimestamp, type Reading } from './reading.js'

const MAX_GROUPS = 1000

export function parseUltralight(text: string): Reading[] {
  const body = text.replace(/[\r\n]+$/g, '').trim()
  if (body === '') throw new PayloadError('empty UltraLight payload')
  const groups = body.split('#')
  if (groups.length > MAX_GROUPS) throw new PayloadError(`more than ${MAX_GROUPS} measure groups`)
  const out: Reading[] = []
  for (const [gi, group] of groups.entries()) {
    const g = group.trim()
    if (g === '') continue
    const fields = g.split('|')
    const reading: Reading = { values: [] }
    let i = 0
    if (fields.length % 2 === 1) {
      const first = fields[0]!.trim()
      if (!looksLikeTimestamp(first)) {
        throw new PayloadError(`group ${gi + 1}: "${g.slice(0, 60)}" is not key|value pairs (odd number of fields)`)
      }
      reading.at = parseTimestamp(first)
      i = 1
    }
    for (; i < fields.length; i += 2) {
      const key = fields[i]!.trim()
      const value = fields[i + 1]!.trim()
      if (key === '') throw new PayloadError(`group ${gi + 1}: an empty key`)
      if (value === '') throw new PayloadError(`group ${gi + 1}: no value for "${key}"`)
      reading.values.push([key, value])
    }
    if (reading.values.length) out.push(reading)
  }
  if (out.length === 0) throw new PayloadError('no measures in the UltraLight payload')
  return out
}

/** `<deviceId>@<command>|<result...>`: the device's answer to a command. */
export function parseUltralightCommandResult(text: string): { deviceId: string; command: string; result: string } {
  const body = text.replace(/[\r\n]+$/g, '').trim()
  const m = /^([^@|]+)@([^|]+)\|?(.*)$/s.exec(body)
  if (!m) throw new PayloadError('a command answer is <deviceId>@<command>|<result>')
  return { deviceId: m[1]!.trim(), command: m[2]!.trim(), result: m[3]!.trim() }
}

/** The UltraLight command a device receives: `<deviceId>@<command>|<value>` (objects as `k=v` fields). */
export function formatUltralightCommand(deviceId: string, command: string, value: unknown): string {
  let v: string
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    v = Object.entries(value as Record<string, unknown>)
      .map(([k, x]) => `${k}=${typeof x === 'string' ? x : JSON.stringify(x)}`)
      .join('|')
  } else if (Array.isArray(value)) v = value.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('|')
  else v = typeof value === 'string' ? value : JSON.stringify(value)
  return `${deviceId}@${command}|${v}`
}
