/**
 * Dropping QoS 1 redeliveries, two ways:
 * - by packet: a PUBLISH with the DUP flag, the same message id on the same connection and the same payload as one
 *   received shortly before (60 s) is the same message sent again;
 * - by content: a payload that carries its own timestamp and that the same device already sent (same topic, same
 *   bytes) within the window (URBE_IOT_DEDUPE_SECONDS) is the same measurement, whoever redelivered it (e.g. a
 *   publisher's retry that an external broker forwards as a new message).
 * Payloads without a timestamp are only deduplicated by packet: two equal readings a minute apart are two readings.
 * Both memories are bounded (oldest entries go first).
 */
import { createHash } from 'node:crypto'

export const hashPayload = (payload: Buffer | string) => createHash('sha1').update(payload).digest('base64')

class Window<V> {
  private readonly entries = new Map<string, { v: V; until: number }>()
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  get(k: string, now: number): V | undefined {
    const e = this.entries.get(k)
    return e && e.until > now ? e.v : undefined
  }

  set(k: string, v: V, now: number): void {
    this.entries.delete(k)
    this.entries.set(k, { v, until: now + this.ttlMs })
    for (const [key, e] of this.entries) {
      if (e.until > now && this.entries.size <= this.max) break
      this.entries.delete(key)
    }
  }

  get size() {
    return this.entries.size
  }
}

export interface DedupeOptions {
  contentWindowMs: number
  packetWindowMs?: number
  maxEntries?: number
}

export function createDeduper(opts: DedupeOptions) {
  const max = opts.maxEntries ?? 200_000
  const packets = new Window<string>(opts.packetWindowMs ?? 60_000, max)
  const contents = opts.contentWindowMs > 0 ? new Window<true>(opts.contentWindowMs, max) : undefined
  return {
    /**
     * True when this QoS 1 packet was already received (same connection, message id and payload, DUP flag set).
     * Every QoS 1 packet is remembered.
     */
    packetSeen(connection: string, messageId: number, dup: boolean, hash: string, now = Date.now()): boolean {
      const k = `${connection}\u0000${messageId}`
      if (dup && packets.get(k, now) === hash) return true
      packets.set(k, hash, now)
      return false
    },

    /** True when this device already sent this timestamped payload on this topic within the window. */
    contentSeen(tenant: string, deviceId: string, topicKind: string, hash: string, now = Date.now()): boolean {
      if (!contents) return false
      const k = `${tenant}\u0000${deviceId}\u0000${topicKind}\u0000${hash}`
      if (contents.get(k, now)) return true
      contents.set(k, true, now)
      return false
    },
  }
}

export type Deduper = ReturnType<typeof createDeduper>
