/**
 * NGSI-LD query languages compiled to parameterized SQL for PostgreSQL/PostGIS:
 * `q` (clause 4.9), `scopeQ` (clause 4.19) and geo-queries (clause 4.10).
 */
export { type CompileQOptions, compileQ } from './q-compiler.js'
export {
  MAX_LIST_VALUES,
  MAX_Q_DEPTH,
  MAX_Q_LENGTH,
  MAX_Q_TERMS,
  META_MEMBERS,
  type MetaMember,
  type PgRegex,
  type QAttrPath,
  type QCompareOp,
  type QNode,
  type QOperator,
  type QTermNode,
  type QValue,
  type QValueSpec,
  type SystemAttr,
  parseQ,
  qTerms,
} from './q-parser.js'
export { type ScopeNode, compileScopeQ, parseScopeQ } from './scope-query.js'
export {
  GEO_RELS,
  GEOMETRY_TYPES,
  type GeoQuery,
  type GeoQueryInput,
  type GeoRel,
  type GeometryType,
  compileGeoQuery,
  geoDistance,
  parseGeoQuery,
  parseOptionalGeoQuery,
} from './geo-query.js'
export { toPgRegex } from './regex.js'
