/**
 * One device message, whatever the transport: find the group (API key) and the device, drop redeliveries, parse the
 * payload (JSON or UltraLight), map it to NGSI-LD attributes and queue it for the batch write. Every failure is
 * counted (metrics, device status), logged (at most once a minute per device and reason) and answered as an outcome:
 * nothing a device sends can throw out of here.
 */
import type { Logger } from 'pino'
import { attributeFor, toAttribute } from './binding.js'
import type { Deduper } from './dedupe.js'
import { hashPayload } from './dedupe.js'
import type { StatusTracker } from './device-status.js'
import type { DeviceMetrics } from './metrics.js'
import type { PayloadFormat, RejectReason, ServiceGroup, Transport } from './model.js'
import { parseJsonMeasures, parseSingleValue } from './payload/json.js'
import { PayloadError, type Reading } from './payload/reading.js'
import { parseUltralight } from './payload/ultralight.js'
import type { BoundDevice, RegistryCache } from './registry-cache.js'
import type { DeviceTopic } from './topics.js'
import type { Measurement, WriteQueue } from './write-queue.js'

export type MessageKind = 'attrs' | 'attr' | 'cmdexe'

export interface Inbound {
  transport: Transport
  apikey: string
  deviceId: string
  kind: MessageKind
  objectId?: string | undefined
  /** The topic's prefix (MQTT): it must be the group's. */
  topicPrefix?: string | undefined
  payload: Buffer | string
  /** The payload format when the transport says it (HTTP route); otherwise the device's protocol. */
  format?: PayloadFormat | undefined
  /** MQTT QoS 1 packet identity, for dropping redeliveries. */
  packet?: { connection: string; messageId: number; dup: boolean } | undefined
  receivedAt: number
  /** Wait for room when the queue is full (MQTT: the acknowledgement waits); otherwise answer "overload". */
  wait: boolean
}

export type Outcome =
  | { ok: true; measurements: number; duplicate?: boolean; errors?: string[] }
  | { ok: false; reason: RejectReason; message: string; tenant?: string }

export interface IngestDeps {
  registry: RegistryCache
  queue: WriteQueue
  dedupe: Deduper
  status: StatusTracker
  metrics: DeviceMetrics
  log: Logger
  /** Creates a device on first contact when its group allows it. */
  autoprovision(group: ServiceGroup, deviceId: string, inbound: Inbound): Promise<BoundDevice | undefined>
  /** Handles a device's answer to commands. */
  commandResult(device: BoundDevice, payload: string, format: PayloadFormat, receivedAt: number): Promise<Outcome>
}

/** Date.prototype.toISOString of a receipt time, remembered for the last millisecond (shared by a burst of messages). */
let lastIso = { ms: Number.NaN, iso: '' }
function isoOf(ms: number): string {
  if (ms !== lastIso.ms) lastIso = { ms, iso: new Date(ms).toISOString() }
  return lastIso.iso
}

export function createIngest(deps: IngestDeps) {
  const { registry, queue, dedupe, status, metrics, log } = deps
  const lastLog = new Map<string, number>()

  function report(tenant: string, deviceId: string, reason: RejectReason, message: string, known: boolean) {
    metrics.reject(tenant, reason, deviceId)
    if (known) status.error(tenant, deviceId, message)
    const k = `${tenant}/${deviceId}/${reason}`
    const now = Date.now()
    if ((lastLog.get(k) ?? 0) + 60_000 > now) return
    if (lastLog.size > 10_000) lastLog.clear()
    lastLog.set(k, now)
    log.warn({ tenant, device: deviceId, reason }, `device message refused: ${message}`)
  }

  function readings(m: Inbound, text: string, format: PayloadFormat): Reading[] {
    if (m.kind === 'attr') {
      if (!m.objectId) throw new PayloadError('no attribute in the topic')
      return [{ values: [[m.objectId, parseSingleValue(text, format)]] }]
    }
    return format === 'ul' ? parseUltralight(text) : parseJsonMeasures(text)
  }

  async function enqueue(m: Measurement, wait: boolean): Promise<boolean> {
    while (!queue.push(m)) {
      if (!wait || !queue.full) return false
      await queue.room()
    }
    return true
  }

  async function handle(m: Inbound): Promise<Outcome> {
    const group = await registry.group(m.apikey)
    if (!group) {
      report('_unknown', m.deviceId, 'wrong_key', 'unknown API key', false)
      return { ok: false, reason: 'wrong_key', message: 'Unknown API key' }
    }
    const tenant = group.tenant
    metrics.messages.inc({ tenant, transport: m.transport })
    if (m.topicPrefix !== undefined && m.topicPrefix !== group.topic_prefix) {
      const message = `topic prefix "${m.topicPrefix}" is not the group's ("${group.topic_prefix}")`
      report(tenant, m.deviceId, 'invalid_topic', message, false)
      return { ok: false, reason: 'invalid_topic', message, tenant }
    }
    let device = registry.peek(tenant, m.deviceId)
    if (!device || device.apikey !== group.apikey) device = await registry.device(group, m.deviceId)
    if (!device && group.autoprovision && m.kind !== 'cmdexe') {
      try {
        device = await deps.autoprovision(group, m.deviceId, m)
      } catch (e) {
        log.warn({ err: e, tenant, device: m.deviceId }, 'auto-provisioning failed')
      }
    }
    if (!device) {
      status.unknownDevice(group.apikey, m.deviceId)
      report(tenant, m.deviceId, 'unknown_device', 'unknown device', false)
      return { ok: false, reason: 'unknown_device', message: `Unknown device ${m.deviceId}`, tenant }
    }
    const format = m.format ?? device.protocol
    const text = typeof m.payload === 'string' ? m.payload : m.payload.toString('utf8')
    const hash = m.packet || m.kind !== 'cmdexe' ? hashPayload(text) : ''
    if (m.packet && dedupe.packetSeen(m.packet.connection, m.packet.messageId, m.packet.dup, hash, m.receivedAt)) {
      metrics.duplicates.inc({ tenant })
      return { ok: true, measurements: 0, duplicate: true }
    }
    if (m.kind === 'cmdexe') {
      status.seen(tenant, device.deviceId, 0, m.receivedAt)
      return deps.commandResult(device, text, format, m.receivedAt)
    }

    let parsed: Reading[]
    try {
      parsed = readings(m, text, format)
    } catch (e) {
      const message = e instanceof PayloadError ? e.message : `unreadable payload: ${(e as Error).message}`
      report(tenant, device.deviceId, 'malformed', message, true)
      return { ok: false, reason: 'malformed', message, tenant }
    }
    const kindKey = m.kind === 'attr' ? `attr/${m.objectId}` : 'attrs'
    if (parsed.some((r) => r.at) && dedupe.contentSeen(tenant, device.deviceId, kindKey, hash, m.receivedAt)) {
      metrics.duplicates.inc({ tenant })
      return { ok: true, measurements: 0, duplicate: true }
    }

    const errors: string[] = []
    const receivedIso = isoOf(m.receivedAt)
    const measurements: Measurement[] = []
    let count = 0
    for (const r of parsed) {
      const at = r.at ?? receivedIso
      const attrs: Record<string, Record<string, unknown>> = {}
      let n = 0
      for (const [objectId, value] of r.values) {
        try {
          const { name, mapping } = attributeFor(device, objectId)
          attrs[name] = toAttribute(value, mapping, format, at)
          n++
        } catch (e) {
          errors.push(`${objectId}: ${(e as Error).message}`)
        }
      }
      if (n === 0) continue
      count += n
      measurements.push({
        tenant,
        entityId: device.entityId,
        entityType: device.entityType,
        ctx: device.ctx,
        attrs,
        count: n,
        deviceId: device.deviceId,
        receivedAt: m.receivedAt,
      })
    }
    if (errors.length) report(tenant, device.deviceId, 'malformed', errors.join('; '), true)
    if (measurements.length === 0) {
      return { ok: false, reason: 'malformed', message: errors.join('; ') || 'no values', tenant }
    }
    for (const [i, ms] of measurements.entries()) {
      if (!(await enqueue(ms, m.wait))) {
        const message = 'the gateway is overloaded: retry later'
        metrics.reject(tenant, 'overload')
        if (i === 0) return { ok: false, reason: 'overload', message, tenant }
        errors.push(`${measurements.length - i} measurement groups not queued: ${message}`)
        break
      }
    }
    status.seen(tenant, device.deviceId, count, m.receivedAt)
    return { ok: true, measurements: count, ...(errors.length ? { errors } : {}) }
  }

  return {
    /** Never throws: an unexpected failure is an outcome too. */
    async handle(m: Inbound): Promise<Outcome> {
      try {
        return await handle(m)
      } catch (e) {
        log.error({ err: e, device: m.deviceId }, 'device message: unexpected failure')
        return { ok: false, reason: 'write_failed', message: 'internal error' }
      }
    },
  }
}

export type Ingest = ReturnType<typeof createIngest>

/**
 * The gateway's message for an MQTT publish on a device topic (not `/cmd`), from either broker; QoS 1 keeps its packet
 * identity for dropping redeliveries.
 */
export function mqttInbound(
  t: DeviceTopic,
  packet: { payload: Buffer | string; qos: number; messageId?: number | undefined; dup?: boolean },
  connection: string,
): Inbound {
  return {
    transport: 'mqtt',
    apikey: t.apikey,
    deviceId: t.deviceId,
    kind: t.kind as MessageKind,
    objectId: t.objectId,
    topicPrefix: t.prefix,
    format: t.format,
    payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
    packet:
      packet.qos > 0 && packet.messageId !== undefined
        ? { connection, messageId: packet.messageId, dup: !!packet.dup }
        : undefined,
    receivedAt: Date.now(),
    wait: true,
  }
}
