/**
 * NGSI-LD payloads <-> the stored form, and the semantics of every update operation (ETSI GS CIM 009 v1.8.1).
 */
export type { AttrChange, MergeResult, NotUpdated } from './change-set.js'
export { movesGeometry } from './change-set.js'
export {
  GEO_ATTR_IRIS,
  MAX_DEPTH,
  NGSI_LD_NULL,
  RESERVED_ATTR_NAMES,
} from './constants.js'
export { conciseInstance, normalizedInstance, simplifiedAttribute } from './format-attribute.js'
export {
  compactTypes,
  type EntityFormat,
  type FormatOptions,
  formatEntity,
  selectInstances,
} from './format-entity.js'
export {
  type Feature,
  type FeatureCollection,
  type FeatureOptions,
  formatFeature,
  formatFeatureCollection,
  selectGeometry,
} from './format-feature.js'
export { type Geometry, isValidGeometry, validateGeometry } from './geojson.js'
export { type LangChoice, type LangRange, parseLangParam, pickLanguage } from './lang.js'
export { appendAttrs, deleteAttr, partialAttrUpdate, replaceAttr, updateAttrs } from './merge-attrs.js'
export { type MergeEntityOptions, mergeEntity, replaceEntity, type UpsertResult, upsertEntity } from './merge-entity.js'
export {
  type EntityFragment,
  type ParseAttributeOptions,
  type ParseEntityOptions,
  type ParseFragmentOptions,
  parseAttributeFragment,
  parseAttributeInstance,
  parseAttributes,
  parseEntity,
  parseFragment,
} from './parse-entity.js'
export type { ParseMode } from './parse-value.js'
export { type AttrFragment, isNullInstance } from './shape.js'
export { isUri, isValidName, isValidScope, normalizeDateTime } from './validation.js'
