/**
 * The device registry's data, in the field names of the FIWARE IoT Agent provisioning API (`device_id`,
 * `entity_name`, `object_id`, `static_attributes`...), so that FIWARE provisioning payloads work unchanged.
 */

export type PayloadFormat = 'json' | 'ul'
export type Transport = 'mqtt' | 'http'

/** How a measured value (object id in the payload) becomes an NGSI-LD attribute. */
export interface AttributeMapping {
  /** The key in the payload (`t` in `t|25`); defaults to `name`. */
  object_id: string
  /** The attribute name (a term of the @context, e.g. `temperature`). */
  name: string
  /** Value type: Number, Integer, Boolean, Text, DateTime, geo:point, geo:json, Relationship, JSON (as sent). */
  type: string
  /** UN/CEFACT unit code, e.g. CEL (°C), GQ (µg/m³), P1 (%). */
  unitCode?: string
}

export interface StaticAttribute {
  name: string
  /** Property (default), GeoProperty, Relationship, or a FIWARE v2 type (Text, Number, geo:json...). */
  type: string
  value: unknown
  unitCode?: string
}

export interface CommandDef {
  name: string
  /** The command attribute's value when the device is provisioned (absent: the attribute appears with the first command). */
  initial?: unknown
}

export interface ServiceGroup {
  tenant: string
  apikey: string
  /** Topics are `{topic_prefix}/{apikey}/{device_id}/...`; empty = the FIWARE layout `/{apikey}/{device_id}/...`. */
  topic_prefix: string
  entity_type: string
  /** JSON-LD @context URL for the attribute names (e.g. a Smart Data Models domain context); absent: the core context. */
  context?: string | undefined
  protocol: PayloadFormat
  autoprovision: boolean
  attributes: AttributeMapping[]
  static_attributes: StaticAttribute[]
  commands: CommandDef[]
  command_timeout_seconds: number
  description?: string | undefined
  created_at: string
  updated_at: string
}

export interface Device {
  tenant: string
  device_id: string
  apikey: string
  entity_name: string
  entity_type: string
  protocol: PayloadFormat
  transport: Transport
  context?: string | undefined
  attributes: AttributeMapping[]
  static_attributes: StaticAttribute[]
  commands: CommandDef[]
  /** GeoJSON geometry (usually a Point) written as the entity's `location`. */
  location?: unknown
  description?: string | undefined
  autoprovisioned: boolean
  created_at: string
  updated_at: string
}

export interface DeviceStatus {
  last_seen_at: string | null
  messages: number
  measurements: number
  error_count: number
  last_error: string | null
  last_error_at: string | null
}

export type CommandStatus = 'PENDING' | 'OK' | 'ERROR' | 'EXPIRED'

export interface CommandRecord {
  id: number
  device_id: string
  entity_id: string
  command: string
  value: unknown
  status: CommandStatus
  info: unknown
  created_at: string
  sent_at: string | null
  answered_at: string | null
  expires_at: string
}

/** Why a message was not (fully) stored: the label of the rejection counters. */
export type RejectReason =
  | 'malformed'
  | 'unknown_device'
  | 'wrong_key'
  | 'invalid_topic'
  | 'overload'
  | 'write_failed'
  | 'not_allowed'
