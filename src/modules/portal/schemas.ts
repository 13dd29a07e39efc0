/** JSON schemas of the portal routes (validation and the OpenAPI document). Ranges are checked by the service. */
import { CATEGORY_IDS } from './categories.js'

const tenant = { type: 'string', maxLength: 64, description: 'ISTAT code of the Comune' } as const
const id = { type: 'string', maxLength: 1024, description: 'entity id (URI)' } as const

export const tenantOnly = { type: 'object', required: ['tenant'], properties: { tenant } } as const
export const tenantAndId = { type: 'object', required: ['tenant', 'id'], properties: { tenant, id } } as const

export const entitiesQuery = {
  type: 'object',
  properties: {
    category: { type: 'string', maxLength: 40, description: `one of ${CATEGORY_IDS.join(', ')} (default: all)` },
    limit: { type: 'integer', description: 'page size, 1 to 5000 (default 1000)' },
    offset: { type: 'integer', description: 'entities to skip (default 0)' },
  },
} as const

export const seriesQuery = {
  type: 'object',
  properties: {
    attr: { type: 'string', maxLength: 100, description: 'a numeric measured attribute (default: the primary one)' },
    period: { type: 'string', maxLength: 10, description: '24h (buckets PT15M), 7d (PT2H) or 30d (PT6H); default 24h' },
  },
} as const

export const TAG = ['portal']
