/**
 * GeoJSON representation of entities (clauses 4.5.16, 4.5.17; `Accept: application/geo+json`).
 */
import type { ActiveContext } from '../context/types.js'
import type { StoredEntity } from '../model.js'
import { type FormatOptions, formatEntity } from './format-entity.js'
import { type Geometry, isValidGeometry } from './geojson.js'

export interface FeatureOptions extends FormatOptions {
  /** Expanded IRI of the GeoProperty giving the geometry (the `geometryProperty` parameter; default location). */
  geoproperty: string
}

export interface Feature {
  id: string
  type: 'Feature'
  geometry: Geometry | null
  properties: Record<string, unknown>
}

export interface FeatureCollection {
  type: 'FeatureCollection'
  features: Feature[]
}

/**
 * The geometry of the selected GeoProperty (clause 4.5.16.1): the instance with the requested datasetId if any,
 * otherwise the default instance; null when missing or not a valid geometry.
 */
export function selectGeometry(
  entity: StoredEntity,
  geoproperty: string,
  datasetIds?: readonly string[],
): Geometry | null {
  const instances = entity.attrs[geoproperty] ?? []
  const wanted = datasetIds?.find((d) => instances.some((i) => (i.datasetId ?? '@none') === d))
  const inst = instances.find((i) => (i.datasetId ?? '@none') === (wanted ?? '@none'))
  if (inst?.type !== 'GeoProperty' || !isValidGeometry(inst.value)) return null
  return inst.value
}

/**
 * One entity as a GeoJSON Feature: `properties` holds `type` and the attributes in the requested format (normalized,
 * concise, or keyValues for the simplified GeoJSON representation).
 */
export function formatFeature(entity: StoredEntity, ctx: ActiveContext, opts: FeatureOptions): Feature {
  const { id: _id, ...properties } = formatEntity(entity, ctx, opts)
  return {
    id: entity.id,
    type: 'Feature',
    geometry: selectGeometry(entity, opts.geoproperty, opts.datasetId),
    properties,
  }
}

export function formatFeatureCollection(
  entities: readonly StoredEntity[],
  ctx: ActiveContext,
  opts: FeatureOptions,
): FeatureCollection {
  return { type: 'FeatureCollection', features: entities.map((e) => formatFeature(e, ctx, opts)) }
}
