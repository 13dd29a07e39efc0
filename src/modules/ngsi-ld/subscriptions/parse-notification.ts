/**
 * NotificationParams (clause 5.2.14) and Endpoint (5.2.15) of a subscription payload, validated member by member
 * with clear 400s. A PATCH merges the given members into the stored ones.
 */
import { AppError } from '../../../errors.js'
import type { ActiveContext } from '../context/index.js'
import type { EntityFormat } from '../format/index.js'
import { isValidName } from '../format/index.js'
import { ACCEPTS, type Accept, type EndpointDef, type KeyValue, type NotificationDef } from './model.js'

const bad = (m: string) => new AppError('BadRequestData', m)

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const FORMATS: Record<string, EntityFormat> = {
  normalized: 'normalized',
  keyValues: 'keyValues',
  simplified: 'keyValues',
  concise: 'concise',
}

/** Headers a receiverInfo entry may not set: the notifier owns them. */
const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'host',
  'link',
  'connection',
  'transfer-encoding',
  'ngsild-tenant',
  'idempotency-key',
  'ngsild-notification-id',
])
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]{0,4000}$/

export function bool(v: unknown, name: string): boolean {
  if (typeof v !== 'boolean') throw bad(`${name} must be true or false`)
  return v
}

export function positiveNumber(v: unknown, name: string, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) {
    throw bad(`${name} must be a number greater than 0 and at most ${max}`)
  }
  return v
}

export function nameList(v: unknown, name: string, ctx: ActiveContext): { given: string[]; iris: string[] } {
  if (!Array.isArray(v) || v.length === 0 || v.length > 1000) throw bad(`${name} must be a list of 1 to 1000 names`)
  for (const n of v) {
    if (typeof n !== 'string' || !isValidName(n)) throw bad(`${name}: "${String(n).slice(0, 100)}" is not a valid name`)
  }
  const given = [...new Set(v as string[])]
  return { given, iris: given.map((n) => ctx.expand(n)) }
}

function keyValues(v: unknown, name: string, headers: boolean): KeyValue[] {
  if (!Array.isArray(v) || v.length > 100) throw bad(`${name} must be a list of at most 100 {key, value} objects`)
  return v.map((kv) => {
    if (!isObject(kv) || typeof kv.key !== 'string' || typeof kv.value !== 'string' || kv.key === '') {
      throw bad(`${name}: every entry must be an object with a string key and a string value`)
    }
    if (headers) {
      if (!HEADER_NAME.test(kv.key)) throw bad(`${name}: "${kv.key.slice(0, 100)}" is not a valid header name`)
      if (RESERVED_HEADERS.has(kv.key.toLowerCase())) throw bad(`${name}: the ${kv.key} header is set by the broker`)
      if (!HEADER_VALUE.test(kv.value)) throw bad(`${name}: the value of ${kv.key} is not a valid header value`)
    }
    return { key: kv.key, value: kv.value }
  })
}

const MQTT_QOS = new Set(['0', '1', '2'])
const MQTT_VERSIONS = new Set(['mqtt3.1.1', 'mqtt5.0'])

function parseUri(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 2048) throw bad('notification.endpoint.uri is required')
  let u: URL
  try {
    u = new URL(v)
  } catch {
    throw bad(`notification.endpoint.uri "${v.slice(0, 200)}" is not an absolute URI`)
  }
  if (!['http:', 'https:', 'mqtt:', 'mqtts:'].includes(u.protocol)) {
    throw bad(`notification.endpoint.uri must be an http, https, mqtt or mqtts URI, not ${u.protocol}`)
  }
  if (!u.hostname) throw bad('notification.endpoint.uri has no host')
  if (u.protocol.startsWith('mqtt')) {
    const topic = decodeURIComponent(u.pathname.replace(/^\//, ''))
    if (!topic) throw bad('notification.endpoint.uri: an MQTT endpoint needs a topic (mqtt://host:port/topic)')
    if (/[+#?]/.test(v.replace(/^mqtts?:\/\/[^/]*/i, '')) || /[+#]/.test(topic))
      throw bad('notification.endpoint.uri: an MQTT topic to publish to cannot hold + or #')
  }
  return v
}

export function parseEndpoint(v: unknown): { view: Record<string, unknown>; def: EndpointDef } {
  if (!isObject(v)) throw bad('notification.endpoint must be an object with a uri')
  const uri = parseUri(v.uri)
  const accept = (v.accept ?? 'application/json') as Accept
  if (!ACCEPTS.includes(accept)) throw bad(`notification.endpoint.accept must be one of ${ACCEPTS.join(', ')}`)
  const def: EndpointDef = { uri, accept }
  const view: Record<string, unknown> = { uri, accept }
  if (v.timeout !== undefined) view.timeout = def.timeout = positiveNumber(v.timeout, 'endpoint.timeout', 600_000)
  if (v.cooldown !== undefined) view.cooldown = def.cooldown = positiveNumber(v.cooldown, 'endpoint.cooldown', 1e9)
  const mqtt = uri.startsWith('mqtt')
  if (v.receiverInfo !== undefined) {
    view.receiverInfo = def.receiverInfo = keyValues(v.receiverInfo, 'endpoint.receiverInfo', !mqtt)
  }
  if (v.notifierInfo !== undefined) {
    view.notifierInfo = def.notifierInfo = keyValues(v.notifierInfo, 'endpoint.notifierInfo', false)
  }
  for (const kv of [...(def.notifierInfo ?? []), ...(def.receiverInfo ?? [])]) {
    if (kv.key === 'MQTT-QoS' && !MQTT_QOS.has(kv.value)) throw bad('MQTT-QoS must be 0, 1 or 2')
    if (kv.key === 'MQTT-Version' && !MQTT_VERSIONS.has(kv.value)) {
      throw bad('MQTT-Version must be mqtt3.1.1 or mqtt5.0')
    }
  }
  return { view, def }
}

/**
 * NotificationParams. `existing` (PATCH): the stored view and definition, into which the given members are merged.
 * `extra`: showChanges/sysAttrs given at the top level of the subscription (accepted there too).
 */
export function parseNotification(
  v: unknown,
  ctx: ActiveContext,
  existing?: { view: Record<string, unknown>; def: NotificationDef },
): { view: Record<string, unknown>; def: NotificationDef } {
  if (!isObject(v)) throw bad('notification must be an object with an endpoint')
  const view: Record<string, unknown> = { ...(existing?.view ?? {}) }
  const base: Partial<NotificationDef> = { ...(existing?.def ?? {}) }
  if (v.attributes !== undefined && v.attributes !== null) {
    const l = nameList(v.attributes, 'notification.attributes', ctx)
    view.attributes = l.given
    base.attributes = l.iris
  } else if (v.attributes === null) {
    delete view.attributes
    delete base.attributes
  }
  if (v.format !== undefined) {
    const f = typeof v.format === 'string' ? FORMATS[v.format] : undefined
    if (!f) throw bad('notification.format must be normalized, keyValues or concise')
    view.format = v.format
    base.format = f
  }
  for (const k of ['sysAttrs', 'showChanges'] as const) {
    if (v[k] !== undefined) view[k] = base[k] = bool(v[k], `notification.${k}`)
  }
  if (v.endpoint !== undefined) {
    const e = parseEndpoint(v.endpoint)
    view.endpoint = e.view
    base.endpoint = e.def
  }
  if (!base.endpoint) throw bad('notification.endpoint is required')
  view.format ??= 'normalized'
  return {
    view,
    def: {
      ...(base.attributes ? { attributes: base.attributes } : {}),
      format: base.format ?? 'normalized',
      sysAttrs: base.sysAttrs ?? false,
      showChanges: base.showChanges ?? false,
      endpoint: base.endpoint,
    },
  }
}
