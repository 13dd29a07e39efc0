/** OpenAPI fragments of the NGSI-LD routes. Payload validation is done by the NGSI-LD parsers (clear BadRequestData). */
export const tags = ['ngsi-ld']

export const entityIdParams = {
  type: 'object',
  required: ['entityId'],
  properties: { entityId: { type: 'string', maxLength: 1024, description: 'Entity id (a URI, URL-encoded)' } },
} as const

export const attrParams = {
  type: 'object',
  required: ['entityId', 'attrId'],
  properties: {
    entityId: { type: 'string', maxLength: 1024 },
    attrId: { type: 'string', maxLength: 1024, description: 'Attribute name (short name or IRI)' },
  },
} as const
