/**
 * A device as the gateway uses it: its group's settings merged with its own (the device wins), and how its values
 * become NGSI-LD attributes (type coercion, unitCode, observedAt) and how its entity is created at provisioning.
 */
import type { AttributeMapping, CommandDef, Device, PayloadFormat, ServiceGroup, StaticAttribute } from './model.js'
import { PayloadError, parseTimestamp } from './payload/reading.js'

export interface Binding {
  tenant: string
  deviceId: string
  apikey: string
  topicPrefix: string
  entityId: string
  entityType: string
  protocol: PayloadFormat
  transport: Device['transport']
  context: string | undefined
  byObjectId: Map<string, AttributeMapping>
  byName: Map<string, AttributeMapping>
  commands: Map<string, CommandDef>
  statics: StaticAttribute[]
  location: unknown
  commandTimeoutSeconds: number
}

function mergeBy<T>(base: readonly T[], own: readonly T[], key: (t: T) => string): T[] {
  const m = new Map<string, T>()
  for (const x of base) m.set(key(x), x)
  for (const x of own) m.set(key(x), x)
  return [...m.values()]
}

export function bind(group: ServiceGroup, device: Device): Binding {
  const attrs = mergeBy(group.attributes, device.attributes, (a) => a.object_id)
  const commands = mergeBy(group.commands, device.commands, (c) => c.name)
  return {
    tenant: device.tenant,
    deviceId: device.device_id,
    apikey: group.apikey,
    topicPrefix: group.topic_prefix,
    entityId: device.entity_name,
    entityType: device.entity_type,
    protocol: device.protocol,
    transport: device.transport,
    context: device.context ?? group.context,
    byObjectId: new Map(attrs.map((a) => [a.object_id, a])),
    byName: new Map(attrs.map((a) => [a.name, a])),
    commands: new Map(commands.map((c) => [c.name, c])),
    statics: mergeBy(group.static_attributes, device.static_attributes, (s) => s.name),
    location: device.location,
    commandTimeoutSeconds: group.command_timeout_seconds,
  }
}

export const defaultEntityId = (entityType: string, deviceId: string) =>
  `urn:ngsi-ld:${entityType.replace(/^.*[/#:]/, '')}:${deviceId}`

/** Name of an attribute the gateway may pass through unmapped (a plain NGSI-LD name). */
const PASS_NAME_RE = /^\p{L}[\p{L}\p{N}_]{0,127}$/u
const RESERVED = new Set(['id', 'type', 'scope', 'location', 'observedAt', 'createdAt', 'modifiedAt'])

function num(v: unknown, integer: boolean): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN
  if (!Number.isFinite(n)) throw new PayloadError(`"${String(v).slice(0, 40)}" is not a number`)
  if (integer && !Number.isInteger(n)) throw new PayloadError(`${n} is not an integer`)
  return n
}

function geometry(v: unknown): unknown {
  if (typeof v === 'string') {
    // geo:point as FIWARE writes it: "lat, lon"
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(v)
    if (m) return { type: 'Point', coordinates: [Number(m[2]), Number(m[1])] }
    try {
      return geometry(JSON.parse(v))
    } catch {
      throw new PayloadError(`"${v.slice(0, 40)}" is not a point ("lat, lon") or GeoJSON`)
    }
  }
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) {
    return { type: 'Point', coordinates: v }
  }
  if (v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string') return v
  throw new PayloadError('not a geometry')
}

/** An NGSI-LD attribute (normalized form) for a value measured at `at`. */
export function toAttribute(
  value: unknown,
  mapping: AttributeMapping | undefined,
  format: PayloadFormat,
  at: string,
): Record<string, unknown> {
  if (value === null || value === undefined) throw new PayloadError('null is not a value')
  const type = mapping?.type ?? 'JSON'
  const unit = mapping?.unitCode ? { unitCode: mapping.unitCode } : {}
  switch (type) {
    case 'Number':
    case 'Integer':
      return { type: 'Property', value: num(value, type === 'Integer'), observedAt: at, ...unit }
    case 'Boolean': {
      const s = String(value).toLowerCase()
      if (!['true', 'false', '1', '0'].includes(s)) throw new PayloadError(`"${s.slice(0, 20)}" is not a boolean`)
      return { type: 'Property', value: s === 'true' || s === '1', observedAt: at, ...unit }
    }
    case 'Text':
      return { type: 'Property', value: typeof value === 'string' ? value : JSON.stringify(value), observedAt: at }
    case 'DateTime':
      return { type: 'Property', value: { '@type': 'DateTime', '@value': parseTimestamp(value) }, observedAt: at }
    case 'geo:point':
    case 'geo:json':
      return { type: 'GeoProperty', value: geometry(value), observedAt: at }
    case 'Relationship':
      if (typeof value !== 'string') throw new PayloadError('a Relationship value is an entity id')
      return { type: 'Relationship', object: value, observedAt: at }
    default: {
      // As sent; UltraLight text that reads as a number is a number.
      let v = value
      if (format === 'ul' && typeof v === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v)) v = Number(v)
      return { type: 'Property', value: v, observedAt: at, ...unit }
    }
  }
}

/** The attribute name of an object id: its mapping, a mapped name sent as is, or the key itself (passed through). */
export function attributeFor(b: Binding, objectId: string): { name: string; mapping?: AttributeMapping } {
  const m = b.byObjectId.get(objectId) ?? b.byName.get(objectId)
  if (m) return { name: m.name, mapping: m }
  if (!PASS_NAME_RE.test(objectId) || RESERVED.has(objectId) || b.commands.has(objectId)) {
    throw new PayloadError(`"${objectId.slice(0, 40)}" is not a mapped object id nor a valid attribute name`)
  }
  return { name: objectId }
}

export function staticAttribute(s: StaticAttribute): Record<string, unknown> {
  if (s.type === 'Relationship') return { type: 'Relationship', object: s.value }
  if (s.type === 'GeoProperty') return { type: 'GeoProperty', value: s.value }
  return { type: 'Property', value: s.value, ...(s.unitCode ? { unitCode: s.unitCode } : {}) }
}

export const statusAttr = (command: string) => `${command}_status`
export const infoAttr = (command: string) => `${command}_info`

/** The entity written at provisioning: id, type, location, static attributes and the command attributes. */
export function provisioningEntity(b: Binding): Record<string, unknown> {
  const e: Record<string, unknown> = { id: b.entityId, type: b.entityType }
  if (b.location) e.location = { type: 'GeoProperty', value: b.location }
  for (const s of b.statics) e[s.name] = staticAttribute(s)
  for (const c of b.commands.values()) {
    if (c.initial !== undefined) e[c.name] = { type: 'Property', value: c.initial }
    e[statusAttr(c.name)] = { type: 'Property', value: 'UNKNOWN' }
  }
  return e
}
