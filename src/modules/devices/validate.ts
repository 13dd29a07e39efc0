/**
 * Checks and normalizes provisioning input (API, CLI, CSV) into the registry's shapes. Every problem is a
 * BadRequestData naming the field (`devices[3].attributes[0].name: ...`). FIWARE spellings are accepted
 * (`PDI-IoTA-UltraLight`, `IoTA-JSON`, transport `MQTT`).
 */
import { randomBytes } from 'node:crypto'
import { AppError } from '../../errors.js'
import { isUri, isValidName, validateGeometry } from '../ngsi-ld/format/index.js'
import type { AttributeMapping, CommandDef, PayloadFormat, StaticAttribute, Transport } from './model.js'

export const DEVICE_ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/
export const APIKEY_RE = /^[A-Za-z0-9_-]{4,64}$/
const PREFIX_RE = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/
const OBJECT_ID_RE = /^[^|#@/+\s]{1,64}$/
const UNIT_RE = /^[A-Za-z0-9_-]{1,16}$/
/** Names the gateway manages itself or that NGSI-LD reserves. */
const RESERVED = new Set(['id', 'type', '@id', '@type', '@context', 'scope', 'createdAt', 'modifiedAt', 'observedAt'])

export const VALUE_TYPES = [
  'Number',
  'Integer',
  'Boolean',
  'Text',
  'DateTime',
  'geo:point',
  'geo:json',
  'Relationship',
  'JSON',
] as const
const VALUE_TYPE_BY_LOWER = new Map<string, string>([
  ...VALUE_TYPES.map((t) => [t.toLowerCase(), t] as const),
  ['float', 'Number'],
  ['double', 'Number'],
  ['int', 'Integer'],
  ['string', 'Text'],
  ['bool', 'Boolean'],
  ['property', 'JSON'],
  ['structuredvalue', 'JSON'],
  ['object', 'JSON'],
  ['geoproperty', 'geo:json'],
])

export const STATIC_TYPES = new Set(['Property', 'GeoProperty', 'Relationship'])

export function bad(path: string, message: string): never {
  throw new AppError('BadRequestData', path ? `${path}: ${message}` : message, { path })
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function str(v: unknown, path: string, opts: { max?: number; optional?: boolean } = {}): string | undefined {
  if (v === undefined || v === null || v === '') {
    if (opts.optional) return undefined
    bad(path, 'is required')
  }
  if (typeof v !== 'string') bad(path, 'must be a string')
  if (v.length > (opts.max ?? 256)) bad(path, `is longer than ${opts.max ?? 256} characters`)
  return v
}

export function checkDeviceId(v: unknown, path = 'device_id'): string {
  const s = str(v, path)!
  if (!DEVICE_ID_RE.test(s)) bad(path, 'letters, digits, _ . : - only (at most 128): it is a segment of MQTT topics')
  return s
}

export function checkApikey(v: unknown, path = 'apikey'): string {
  const s = str(v, path)!
  if (!APIKEY_RE.test(s)) bad(path, 'an API key is 4 to 64 letters, digits, _ or -')
  return s
}

export const newApikey = () => randomBytes(18).toString('base64url')

export function checkProtocol(v: unknown, path = 'protocol'): PayloadFormat | undefined {
  if (v === undefined || v === null || v === '') return undefined
  const s = String(v).toLowerCase()
  if (['json', 'iota-json', 'iot-json', 'application/json'].includes(s)) return 'json'
  if (['ul', 'ul2', 'ultralight', 'pdi-iota-ultralight', 'iota-ul', 'iota-ultralight'].includes(s)) return 'ul'
  bad(path, 'must be json or ul (UltraLight 2.0)')
}

export function checkTransport(v: unknown, path = 'transport'): Transport {
  if (v === undefined || v === null || v === '') return 'mqtt'
  const s = String(v).toLowerCase()
  if (s === 'mqtt' || s === 'http') return s
  bad(path, 'must be MQTT or HTTP')
}

export function checkTopicPrefix(v: unknown, path = 'topic_prefix'): string {
  if (v === undefined || v === null || v === '') return ''
  const s = str(v, path, { max: 128 })!.replace(/^\/+|\/+$/g, '')
  if (s !== '' && !PREFIX_RE.test(s)) bad(path, 'topic levels of letters, digits, _ . - separated by /')
  return s
}

export function checkEntityType(v: unknown, path = 'entity_type'): string {
  const s = str(v, path)!
  if (!isValidName(s)) bad(path, `"${s}" is not a valid NGSI-LD type name`)
  return s
}

export function checkContext(v: unknown, path = 'context'): string | undefined {
  const s = str(v, path, { optional: true, max: 1024 })
  if (s !== undefined && !/^https?:\/\/\S+$/.test(s)) bad(path, 'must be an http(s) URL of a JSON-LD @context')
  return s
}

function attrName(v: unknown, path: string): string {
  const s = str(v, path, { max: 128 })!
  if (!isValidName(s) || RESERVED.has(s)) bad(path, `"${s}" is not a valid attribute name`)
  if (/_(status|info)$/.test(s)) bad(path, `"${s}": names ending in _status or _info are kept for command results`)
  return s
}

export function checkValueType(v: unknown, path: string): string {
  if (v === undefined || v === null || v === '') return 'JSON'
  const t = VALUE_TYPE_BY_LOWER.get(String(v).toLowerCase())
  if (!t) bad(path, `unknown type "${String(v)}" (one of ${VALUE_TYPES.join(', ')})`)
  return t
}

function checkUnit(v: unknown, path: string): string | undefined {
  const s = str(v, path, { optional: true, max: 16 })
  if (s !== undefined && !UNIT_RE.test(s)) bad(path, 'a UN/CEFACT unit code, e.g. CEL')
  return s
}

function list(v: unknown, path: string, max = 200): unknown[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) bad(path, 'must be an array')
  if (v.length > max) bad(path, `at most ${max} items`)
  return v
}

export function checkAttributes(v: unknown, path = 'attributes'): AttributeMapping[] {
  const out: AttributeMapping[] = []
  for (const [i, a] of list(v, path).entries()) {
    const p = `${path}[${i}]`
    if (!isObject(a)) bad(p, 'must be an object with object_id, name and type')
    const name = attrName(a.name, `${p}.name`)
    const objectId = a.object_id === undefined || a.object_id === '' ? name : String(a.object_id)
    if (!OBJECT_ID_RE.test(objectId)) bad(`${p}.object_id`, 'at most 64 characters, none of | # @ / + or spaces')
    if (out.some((x) => x.object_id === objectId)) bad(`${p}.object_id`, `"${objectId}" is mapped twice`)
    const unitCode = checkUnit(a.unitCode, `${p}.unitCode`)
    out.push({
      object_id: objectId,
      name,
      type: checkValueType(a.type, `${p}.type`),
      ...(unitCode ? { unitCode } : {}),
    })
  }
  return out
}

export function checkStaticAttributes(v: unknown, path = 'static_attributes'): StaticAttribute[] {
  const out: StaticAttribute[] = []
  for (const [i, a] of list(v, path).entries()) {
    const p = `${path}[${i}]`
    if (!isObject(a)) bad(p, 'must be an object with name, type and value')
    const name = attrName(a.name, `${p}.name`)
    if (a.value === undefined || a.value === null) bad(`${p}.value`, 'is required (JSON null is not an NGSI-LD value)')
    const raw = a.type === undefined ? 'Property' : String(a.type)
    let type = STATIC_TYPES.has(raw) ? raw : 'Property'
    if (/^geo:/i.test(raw)) type = 'GeoProperty'
    if (type === 'GeoProperty') validateGeometry(a.value, `${p}.value`)
    if (type === 'Relationship' && !isUri(a.value)) bad(`${p}.value`, 'a Relationship points to an entity id (a URI)')
    const unitCode = checkUnit(a.unitCode, `${p}.unitCode`)
    out.push({ name, type, value: a.value, ...(unitCode ? { unitCode } : {}) })
  }
  return out
}

export function checkCommands(v: unknown, path = 'commands'): CommandDef[] {
  const out: CommandDef[] = []
  for (const [i, c] of list(v, path, 50).entries()) {
    const p = `${path}[${i}]`
    const obj = typeof c === 'string' ? { name: c } : c
    if (!isObject(obj)) bad(p, 'must be an object with a name')
    const name = attrName(obj.name, `${p}.name`)
    if (out.some((x) => x.name === name)) bad(`${p}.name`, `command "${name}" is declared twice`)
    out.push({ name, ...(obj.initial !== undefined && obj.initial !== null ? { initial: obj.initial } : {}) })
  }
  return out
}

export function checkLocation(v: unknown, path = 'location'): unknown {
  if (v === undefined || v === null) return undefined
  return validateGeometry(v, path)
}

export function checkTimeout(v: unknown, path = 'command_timeout_seconds'): number | undefined {
  if (v === undefined || v === null || v === '') return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1 || n > 86_400) bad(path, 'whole seconds between 1 and 86400')
  return n
}

export function optionalText(v: unknown, path: string, max = 1000): string | undefined {
  return str(v, path, { optional: true, max })
}

/** Commands and attributes share the entity: a name may not be both. */
export function checkNoClash(attrs: AttributeMapping[], statics: StaticAttribute[], commands: CommandDef[]) {
  const names = new Map<string, string>()
  for (const a of attrs) names.set(a.name, 'attributes')
  for (const s of statics) {
    if (names.has(s.name)) bad('static_attributes', `"${s.name}" is also in ${names.get(s.name)}`)
    names.set(s.name, 'static_attributes')
  }
  for (const c of commands) {
    if (names.has(c.name)) bad('commands', `"${c.name}" is also in ${names.get(c.name)}`)
  }
}

export function checkEntityId(v: unknown, path = 'entity_name'): string | undefined {
  const s = str(v, path, { optional: true, max: 512 })
  if (s !== undefined && !isUri(s)) bad(path, 'an entity id is a URI, e.g. urn:ngsi-ld:AirQualityObserved:lucca-01')
  return s
}
