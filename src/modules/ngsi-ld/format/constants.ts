/**
 * Constants shared by the NGSI-LD payload parser, formatter and merge functions (ETSI GS CIM 009 v1.8.1).
 */
import type { AttrType } from '../model.js'

/** The NGSI-LD Null (clause 3.1): deletes an attribute, sub-attribute or JSON member in update and merge fragments. */
export const NGSI_LD_NULL = 'urn:ngsi-ld:null'

export const NGSI_LD_NS = 'https://uri.etsi.org/ngsi-ld/'

/** The GeoProperties defined by the core context (clause 4.7.1): they shall be GeoProperties. */
export const GEO_ATTR_IRIS: ReadonlySet<string> = new Set([
  `${NGSI_LD_NS}location`,
  `${NGSI_LD_NS}observationSpace`,
  `${NGSI_LD_NS}operationSpace`,
])

export const ATTR_TYPES: ReadonlySet<AttrType> = new Set<AttrType>([
  'Property',
  'Relationship',
  'GeoProperty',
  'LanguageProperty',
  'JsonProperty',
  'ListProperty',
  'ListRelationship',
  'VocabProperty',
])

/** Members that carry an attribute's value, in the order used to infer the type of a concise attribute. */
export const VALUE_MEMBER_TYPES: readonly (readonly [string, AttrType])[] = [
  ['value', 'Property'],
  ['object', 'Relationship'],
  ['languageMap', 'LanguageProperty'],
  ['json', 'JsonProperty'],
  ['valueList', 'ListProperty'],
  ['objectList', 'ListRelationship'],
  ['vocab', 'VocabProperty'],
]

export const VALUE_MEMBERS: ReadonlySet<string> = new Set(VALUE_MEMBER_TYPES.map(([m]) => m))

/** Non-reified members of an attribute besides its value (kept in the stored form). */
export const META_MEMBERS: ReadonlySet<string> = new Set(['datasetId', 'observedAt', 'unitCode', 'objectType'])

/** System-generated members: ignored when a client sends them. */
export const SYSTEM_MEMBERS: ReadonlySet<string> = new Set(['createdAt', 'modifiedAt', 'deletedAt', 'instanceId'])

/** Output-only members: ignored on input. */
export const OUTPUT_ONLY_MEMBERS: ReadonlySet<string> = new Set(['lang'])

/**
 * Names that cannot be used for an entity's attributes: the core @context maps them to the predicates of the reified
 * attribute structure itself (e.g. `value` -> ngsi-ld:hasValue), so an attribute with such a name could not be told
 * apart from the structure, nor compacted back to a distinct member.
 */
export const RESERVED_ATTR_NAMES: ReadonlySet<string> = new Set([
  // `value` is left out on purpose: at entity level it cannot be confused with a member of an attribute in Urbe's
  // stored form, and FIWARE's Device model uses an attribute named `value`.
  ...[...VALUE_MEMBERS].filter((m) => m !== 'value'),
  ...META_MEMBERS,
  'instanceId',
  'lang',
  'id',
  '@id',
  '@type',
  '@context',
])

/** Entity members that are not attributes. */
export const ENTITY_MEMBERS: ReadonlySet<string> = new Set(['id', '@id', 'type', '@type', 'scope', '@context'])

/** How deep a JSON value (or an attribute with its sub-attributes) may nest. */
export const MAX_DEPTH = 64

/** Unit codes are forbidden on these types (clauses 4.5.3, 4.5.22, 4.5.24: "unitless"). */
export const UNITLESS_TYPES: ReadonlySet<AttrType> = new Set<AttrType>([
  'Relationship',
  'ListRelationship',
  'JsonProperty',
])

/** `objectType` only qualifies relationships (clause 4.5.23). */
export const RELATIONSHIP_TYPES: ReadonlySet<AttrType> = new Set<AttrType>(['Relationship', 'ListRelationship'])
