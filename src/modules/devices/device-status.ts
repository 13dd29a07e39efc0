/**
 * Per-device status (last seen, messages, measurements, error count, last error): counted in memory per message and
 * written every few seconds in one statement, so that status costs nothing per message. Unknown device ids (no row to
 * hold a status) are remembered per group, the most recent 100, for the group's API.
 */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../../db/schema.js'

interface Delta {
  tenant: string
  deviceId: string
  lastSeen: number
  messages: number
  measurements: number
  errors: number
  lastError: string | null
  lastErrorAt: number | null
}

export interface UnknownDevice {
  device_id: string
  messages: number
  last_seen_at: string
}

const MAX_UNKNOWN_PER_GROUP = 100

export function createStatusTracker(db: Kysely<DB>) {
  let deltas = new Map<string, Delta>()
  const unknown = new Map<string, Map<string, { messages: number; last: number }>>()
  let flushing: Promise<void> | undefined

  function delta(tenant: string, deviceId: string): Delta {
    const k = `${tenant}\u0000${deviceId}`
    let d = deltas.get(k)
    if (!d) {
      d = { tenant, deviceId, lastSeen: 0, messages: 0, measurements: 0, errors: 0, lastError: null, lastErrorAt: null }
      deltas.set(k, d)
    }
    return d
  }

  async function write(batch: Delta[]): Promise<void> {
    const col = <K extends keyof Delta>(k: K) => batch.map((d) => d[k])
    const time = (v: number | null) => (v ? new Date(v).toISOString() : null)
    const tenant = [...new Set(col('tenant'))]
    for (const t of tenant) {
      const rows = batch.filter((d) => d.tenant === t)
      await sql`INSERT INTO iot_device_status AS s (tenant, device_id, last_seen_at, messages, measurements,
          error_count, last_error, last_error_at)
        SELECT ${t}, u.id, u.seen::timestamptz, u.m::bigint, u.n::bigint, u.e::bigint, u.le, u.lea::timestamptz
        FROM unnest(${rows.map((d) => d.deviceId)}::text[], ${rows.map((d) => time(d.lastSeen))}::text[],
          ${rows.map((d) => String(d.messages))}::text[], ${rows.map((d) => String(d.measurements))}::text[],
          ${rows.map((d) => String(d.errors))}::text[], ${rows.map((d) => d.lastError)}::text[],
          ${rows.map((d) => time(d.lastErrorAt))}::text[]) AS u(id, seen, m, n, e, le, lea)
        JOIN iot_devices d ON d.tenant = ${t} AND d.device_id = u.id
        ON CONFLICT (tenant, device_id) DO UPDATE SET
          last_seen_at = GREATEST(s.last_seen_at, EXCLUDED.last_seen_at),
          messages = s.messages + EXCLUDED.messages,
          measurements = s.measurements + EXCLUDED.measurements,
          error_count = s.error_count + EXCLUDED.error_count,
          last_error = COALESCE(EXCLUDED.last_error, s.last_error),
          last_error_at = COALESCE(EXCLUDED.last_error_at, s.last_error_at)`.execute(db)
    }
  }

  return {
    /** A message of a known device was accepted with `measurements` values. */
    seen(tenant: string, deviceId: string, measurements: number, at = Date.now()) {
      const d = delta(tenant, deviceId)
      d.lastSeen = Math.max(d.lastSeen, at)
      d.messages++
      d.measurements += measurements
    },

    error(tenant: string, deviceId: string, message: string, at = Date.now()) {
      const d = delta(tenant, deviceId)
      d.lastSeen = Math.max(d.lastSeen, at)
      d.errors++
      d.lastError = message.slice(0, 500)
      d.lastErrorAt = at
    },

    unknownDevice(apikey: string, deviceId: string, at = Date.now()) {
      let m = unknown.get(apikey)
      if (!m) {
        m = new Map()
        unknown.set(apikey, m)
      }
      const e = m.get(deviceId)
      if (e) {
        e.messages++
        e.last = at
        return
      }
      if (m.size >= MAX_UNKNOWN_PER_GROUP) {
        const oldest = [...m.entries()].sort((a, b) => a[1].last - b[1].last)[0]
        if (oldest) m.delete(oldest[0])
      }
      m.set(deviceId, { messages: 1, last: at })
    },

    unknownDevices(apikey: string): UnknownDevice[] {
      return [...(unknown.get(apikey)?.entries() ?? [])]
        .sort((a, b) => b[1].last - a[1].last)
        .map(([id, e]) => ({ device_id: id, messages: e.messages, last_seen_at: new Date(e.last).toISOString() }))
    },

    forgetUnknown(apikey: string, deviceId: string) {
      unknown.get(apikey)?.delete(deviceId)
    },

    /** Writes what was counted since the last flush (one statement per tenant). */
    async flush(): Promise<void> {
      while (flushing) await flushing
      if (deltas.size === 0) return
      const batch = [...deltas.values()]
      deltas = new Map()
      flushing = write(batch).finally(() => {
        flushing = undefined
      })
      await flushing
    },
  }
}

export type StatusTracker = ReturnType<typeof createStatusTracker>
