/**
 * The internal (stored) form of NGSI-LD entities.
 *
 * Storage layout (table `ngsi_entities`, see src/db/migrations):
 *   tenant text, id text, types text[] (expanded IRIs), scopes text[] | null,
 *   attrs jsonb  -- { [expandedAttrIri]: AttrInstance[] }  always an array, one element per datasetId
 *   created_at timestamptz, modified_at timestamptz
 * GeoProperties are also projected to `ngsi_entity_geo(tenant, entity_id, attr, dataset_id, geom geometry(Geometry,4326))`
 * with a GiST index on `geom::geography` so geo-queries use an index.
 *
 * Attribute instances keep the NGSI-LD *normalized* shape, with names of attributes and sub-attributes expanded to
 * IRIs and values left as sent (compound JSON values are not expanded). Core members keep their short names.
 */

export type AttrType =
  | 'Property'
  | 'Relationship'
  | 'GeoProperty'
  | 'LanguageProperty'
  | 'JsonProperty'
  | 'ListProperty'
  | 'ListRelationship'
  | 'VocabProperty'

/** The member that carries an attribute's value, per attribute type. */
export const VALUE_MEMBER: Record<AttrType, string> = {
  Property: 'value',
  GeoProperty: 'value',
  Relationship: 'object',
  LanguageProperty: 'languageMap',
  JsonProperty: 'json',
  ListProperty: 'valueList',
  ListRelationship: 'objectList',
  VocabProperty: 'vocab',
}

/** Members of an attribute instance that are not sub-attributes. */
export const CORE_MEMBERS = new Set([
  'type',
  'value',
  'object',
  'languageMap',
  'json',
  'valueList',
  'objectList',
  'vocab',
  'objectType',
  'datasetId',
  'observedAt',
  'unitCode',
  'createdAt',
  'modifiedAt',
  'deletedAt',
  'instanceId',
  'lang',
])

/**
 * One instance of an attribute (or a sub-attribute). Besides the core members, any other key is an expanded
 * sub-attribute IRI whose value is a (single) AttrInstance.
 */
export interface AttrInstance {
  type: AttrType
  value?: unknown
  object?: string | string[]
  languageMap?: Record<string, string | string[]>
  json?: unknown
  valueList?: unknown[]
  objectList?: unknown[]
  /** Expanded IRI(s) for VocabProperty. */
  vocab?: string | string[]
  objectType?: string | string[]
  datasetId?: string
  observedAt?: string
  unitCode?: string
  createdAt?: string
  modifiedAt?: string
  [subAttrIri: string]: unknown
}

export type AttrMap = Record<string, AttrInstance[]>

export interface StoredEntity {
  id: string
  /** Expanded type IRIs. */
  types: string[]
  scopes?: string[] | undefined
  attrs: AttrMap
  createdAt: string
  modifiedAt: string
}
