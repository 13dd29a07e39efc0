/** JSON schemas of the device gateway's routes (validation and the OpenAPI document). FIWARE field names. */

export const tags = ['devices']

const attribute = {
  type: 'object',
  required: ['name'],
  properties: {
    object_id: { type: 'string', description: 'key in the payload (default: name)' },
    name: { type: 'string', description: 'NGSI-LD attribute name' },
    type: {
      type: 'string',
      description: 'Number, Integer, Boolean, Text, DateTime, geo:point, geo:json, Relationship, JSON',
    },
    unitCode: { type: 'string', description: 'UN/CEFACT code, e.g. CEL' },
  },
} as const

const staticAttribute = {
  type: 'object',
  required: ['name', 'value'],
  properties: {
    name: { type: 'string' },
    type: { type: 'string', description: 'Property (default), GeoProperty or Relationship' },
    value: {},
    unitCode: { type: 'string' },
  },
} as const

const command = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, initial: { description: 'value at provisioning' } },
} as const

const groupFields = {
  apikey: { type: 'string', description: "the devices' key (generated when absent); unique on the platform" },
  topic_prefix: {
    type: 'string',
    description: 'topics are {topic_prefix}/{apikey}/{device_id}/...; empty: /{apikey}/...',
  },
  entity_type: { type: 'string', description: 'default entity type of the devices' },
  context: { type: 'string', description: 'JSON-LD @context URL of the attribute names' },
  protocol: { type: 'string', description: 'default payload format: json or ul (UltraLight 2.0)' },
  autoprovision: { type: 'boolean', description: 'create unknown devices on their first message' },
  attributes: { type: 'array', items: attribute },
  static_attributes: { type: 'array', items: staticAttribute },
  commands: { type: 'array', items: command },
  command_timeout_seconds: { type: 'integer', minimum: 1, maximum: 86400 },
  description: { type: 'string' },
} as const

export const groupInput = { type: 'object', properties: groupFields, additionalProperties: true } as const

export const groupsBody = {
  description: '{"services": [group, ...]} (FIWARE) or one group',
  type: 'object',
  properties: { services: { type: 'array', items: groupInput, minItems: 1, maxItems: 100 }, ...groupFields },
  additionalProperties: true,
} as const

export const group = {
  type: 'object',
  additionalProperties: true,
  properties: {
    tenant: { type: 'string' },
    ...groupFields,
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
    unknown_devices: {
      type: 'array',
      description: 'device ids recently seen with this key but not provisioned (this server)',
      items: {
        type: 'object',
        properties: { device_id: { type: 'string' }, messages: { type: 'integer' }, last_seen_at: { type: 'string' } },
      },
    },
  },
} as const

const deviceFields = {
  device_id: { type: 'string', description: 'letters, digits, _ . : - (a topic level)' },
  entity_name: { type: 'string', description: 'entity id (default urn:ngsi-ld:<type>:<device_id>)' },
  entity_type: { type: 'string' },
  apikey: { type: 'string', description: 'its service group (optional when the Comune has one group)' },
  protocol: { type: 'string', description: 'json or ul (also IoTA-JSON, PDI-IoTA-UltraLight)' },
  transport: { type: 'string', description: 'MQTT (default) or HTTP' },
  context: { type: 'string' },
  attributes: { type: 'array', items: attribute },
  static_attributes: { type: 'array', items: staticAttribute },
  commands: { type: 'array', items: command },
  location: {
    type: 'object',
    additionalProperties: true,
    description: "GeoJSON geometry (a Point), the entity's location",
  },
  description: { type: 'string' },
} as const

export const deviceInput = { type: 'object', properties: deviceFields, additionalProperties: true } as const

export const devicesBody = {
  description: '{"devices": [device, ...]} (FIWARE) or one device',
  type: 'object',
  properties: { devices: { type: 'array', items: deviceInput, minItems: 1, maxItems: 10000 }, ...deviceFields },
  additionalProperties: true,
} as const

export const device = {
  type: 'object',
  additionalProperties: true,
  properties: {
    tenant: { type: 'string' },
    ...deviceFields,
    autoprovisioned: { type: 'boolean' },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
    status: {
      type: 'object',
      properties: {
        last_seen_at: { type: ['string', 'null'] },
        messages: { type: 'integer' },
        measurements: { type: 'integer' },
        error_count: { type: 'integer' },
        last_error: { type: ['string', 'null'] },
        last_error_at: { type: ['string', 'null'] },
      },
    },
  },
} as const

export const provisionResult = {
  type: 'object',
  properties: {
    created: { type: 'array', items: { type: 'string' } },
    replaced: { type: 'array', items: { type: 'string' } },
    skipped: { type: 'array', items: { type: 'string' } },
  },
} as const

export const existingQuery = {
  type: 'object',
  properties: {
    existing: {
      type: 'string',
      enum: ['fail', 'replace', 'skip'],
      default: 'fail',
      description: 'devices already provisioned: fail (409), replace them, or skip them',
    },
  },
} as const

export const idParams = {
  type: 'object',
  required: ['tenant', 'id'],
  properties: { tenant: { type: 'string', maxLength: 64 }, id: { type: 'string', maxLength: 256 } },
} as const

export const commandRecord = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    device_id: { type: 'string' },
    entity_id: { type: 'string' },
    command: { type: 'string' },
    value: {},
    status: { type: 'string', enum: ['PENDING', 'OK', 'ERROR', 'EXPIRED'] },
    info: {},
    created_at: { type: 'string' },
    sent_at: { type: ['string', 'null'] },
    answered_at: { type: ['string', 'null'] },
    expires_at: { type: 'string' },
  },
} as const

export const transportQuery = {
  type: 'object',
  required: ['k', 'i'],
  properties: {
    k: { type: 'string', maxLength: 64, description: 'API key of the service group' },
    i: { type: 'string', maxLength: 128, description: 'device id' },
  },
} as const

export const transportReply = {
  type: 'object',
  properties: {
    measurements: { type: 'integer' },
    duplicate: { type: 'boolean' },
    errors: { type: 'array', items: { type: 'string' } },
  },
} as const
