/**
 * The simulator's clock and schedule: live readings due by simulated time (`speed` times faster than real time),
 * hourly backfill readings, commands applied to the simulated devices, payloads in each device's format.
 */
import { formatUltralightCommand } from '../devices/payload/ultralight.js'
import type { SimDevice } from './fleet.js'
import { unit } from './random.js'
import { weatherAt } from './weather.js'

export interface Reading {
  device: SimDevice
  ms: number
  values: Record<string, number | string | boolean>
}

export interface SimulatorOptions {
  seed: number
  devices: SimDevice[]
  /** Simulated seconds per real second. */
  speed?: number
  /** Simulated time at the start (default: now). */
  start?: number
}

/** The payload a device sends: JSON with TimeInstant, or UltraLight with a leading timestamp. */
export function payloadOf(r: Reading): string {
  const at = new Date(r.ms).toISOString()
  if (r.device.kind.protocol === 'ul') {
    return `${at}|${Object.entries(r.values)
      .map(([k, v]) => `${k}|${v}`)
      .join('|')}`
  }
  return JSON.stringify({ ...r.values, TimeInstant: at })
}

export function createSimulator(opts: SimulatorOptions) {
  const { seed, devices } = opts
  const speed = opts.speed ?? 1
  const realStart = Date.now()
  const simStart = opts.start ?? realStart
  const commanded = new Map<string, Record<string, unknown>>()
  const memories = new Map<string, Record<string, unknown>>()
  const next = new Map<string, number>()
  const byId = new Map(devices.map((d) => [d.deviceId, d]))

  const period = (d: SimDevice) => d.kind.periodMinutes * 60_000
  for (const d of devices) {
    const p = period(d)
    const phase = Math.floor(unit(seed, d.deviceId, 'phase') * p)
    next.set(d.deviceId, Math.floor((simStart - phase) / p) * p + phase + p)
  }

  function read(d: SimDevice, ms: number): Reading {
    let memory = memories.get(d.deviceId)
    if (!memory) {
      memory = {}
      memories.set(d.deviceId, memory)
    }
    const values = d.kind.sense({
      seed,
      plan: d.plan,
      place: d.place,
      deviceId: d.deviceId,
      ms,
      weather: weatherAt(seed, d.plan, ms),
      commanded: commanded.get(d.deviceId) ?? {},
      memory,
    })
    return { device: d, ms, values }
  }

  return {
    devices,
    speed,
    /** Simulated now. */
    now: () => simStart + (Date.now() - realStart) * speed,

    read,

    /** Reads every device once, yielding between devices (meters compute their totals since 2026 the first time). */
    async warm(): Promise<void> {
      const now = simStart + (Date.now() - realStart) * speed
      for (const d of devices) {
        read(d, now)
        await new Promise((r) => setImmediate(r))
      }
    },

    /** Live readings due up to the simulated now (at most `max` per device: a slow consumer skips ahead). */
    due(max = 5): Reading[] {
      const now = simStart + (Date.now() - realStart) * speed
      const out: Reading[] = []
      for (const d of devices) {
        let t = next.get(d.deviceId)!
        const p = period(d)
        if (t > now) continue
        const behind = Math.floor((now - t) / p) + 1
        if (behind > max) t += (behind - max) * p
        for (; t <= now; t += p) out.push(read(d, t))
        next.set(d.deviceId, t)
      }
      return out
    },

    /** Hourly readings of every device from `from` to `to` (exclusive), hour by hour. */
    *backfill(from: number, to: number, stepMs = 3_600_000): Generator<{ ms: number; readings: Reading[] }> {
      for (let t = Math.ceil(from / stepMs) * stepMs; t < to; t += stepMs) {
        yield { ms: t, readings: devices.map((d) => read(d, t)) }
      }
    },

    /** Applies a command received by a simulated device; the answer it sends back (JSON or UltraLight). */
    command(deviceId: string, payload: string): string | undefined {
      const d = byId.get(deviceId)
      if (!d?.kind.command) return undefined
      let name: string
      let value: unknown
      if (d.kind.protocol === 'ul') {
        const m = /^[^@]+@([^|]+)\|?(.*)$/s.exec(payload.trim())
        if (!m) return undefined
        name = m[1]!
        value = m[2]
      } else {
        try {
          const o = JSON.parse(payload) as Record<string, unknown>
          ;[name, value] = Object.entries(o)[0] ?? ['', undefined]
        } catch {
          return undefined
        }
      }
      const r = d.kind.command(name, value)
      if (r.ok) commanded.set(deviceId, { ...(commanded.get(deviceId) ?? {}), [name]: r.remember })
      const result = r.ok ? r.info : `ERROR: ${r.info}`
      return d.kind.protocol === 'ul'
        ? formatUltralightCommand(deviceId, name, result)
        : JSON.stringify({ [name]: r.ok ? result : { status: 'ERROR', info: r.info } })
    },
  }
}

export type Simulator = ReturnType<typeof createSimulator>
