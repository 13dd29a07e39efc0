/** JSON-schema fragments shared by routes (for validation and the OpenAPI document). */
export const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    code: { type: 'string' },
  },
  additionalProperties: true,
} as const

export const tenantParams = {
  type: 'object',
  required: ['tenant'],
  properties: { tenant: { type: 'string', maxLength: 64, description: 'ISTAT code of the Comune' } },
} as const

export const pageQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
} as const
