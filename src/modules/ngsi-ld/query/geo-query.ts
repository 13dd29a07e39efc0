/**
 * Geo-queries (ETSI GS CIM 009 v1.8.1 clause 4.10): validation of `georel` / `geometry` / `coordinates` /
 * `geoproperty`, and compilation to PostGIS over `ngsi_entity_geo(tenant, entity_id, attr, dataset_id, geom)`.
 *
 * `near` uses `ST_DWithin(g.geom::geography, q::geography, d)` (metres, spheroid) so that the GiST index on
 * `(geom::geography)` is used; the other relations use the geometry predicates (GiST index on `geom`), with the
 * query geometry on the right: `ST_Within(g.geom, q)` = "the entity's geoproperty is within q".
 * An entity matches when ANY of its instances (datasetIds) of the geoproperty matches.
 */
import { type RawBuilder, sql } from 'kysely'
import { badRequest } from '../../../errors.js'
import { checkAlias } from './sql-alias.js'

export const GEO_RELS = ['near', 'within', 'contains', 'intersects', 'overlaps', 'disjoint', 'equals'] as const
export type GeoRel = (typeof GEO_RELS)[number]
export const GEOMETRY_TYPES = [
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
] as const
export type GeometryType = (typeof GEOMETRY_TYPES)[number]

export type Position = [number, number]

export interface GeoQuery {
  readonly georel: GeoRel
  /** Metres, for `near`. At least one of them is set for `near`. */
  readonly maxDistance?: number
  readonly minDistance?: number
  /** Validated GeoJSON geometry (altitudes dropped). */
  readonly geometry: { readonly type: GeometryType; readonly coordinates: unknown }
  /** Expanded IRI of the GeoProperty (default `location`). */
  readonly geoproperty: string
}

/** Raw parameters, as they come from a URL (strings) or a POST body (coordinates as an array). */
export interface GeoQueryInput {
  georel?: unknown
  geometry?: unknown
  coordinates?: unknown
  geoproperty?: unknown
}

export const MAX_POSITIONS = 10_000
export const MAX_COORDINATES_LENGTH = 500_000
/** Half the Earth's circumference is the largest meaningful distance; allow the full one. */
const MAX_DISTANCE = 40_075_017
const NAME = /^[\p{L}_][\p{L}\p{N}_:-]*$/u
const DISTANCE = /^(maxDistance|minDistance)==(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)$/
/** Geometries a relation makes sense with (others are rejected). */
const ALLOWED: Partial<Record<GeoRel, readonly GeometryType[]>> = {
  within: ['Polygon', 'MultiPolygon'],
  overlaps: ['MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'],
}

const bad = (msg: string) => badRequest(`Invalid geo-query: ${msg}`)

function parseGeorel(raw: unknown): Pick<GeoQuery, 'georel' | 'maxDistance' | 'minDistance'> {
  if (typeof raw !== 'string' || raw.trim() === '') throw bad('georel is required')
  const [rel, ...mods] = raw.trim().split(';')
  if (!(GEO_RELS as readonly string[]).includes(rel!)) {
    throw bad(`unknown georel '${rel}' (expected one of ${GEO_RELS.join(', ')})`)
  }
  const georel = rel as GeoRel
  if (georel !== 'near') {
    if (mods.length > 0) throw bad(`georel '${georel}' takes no modifiers`)
    return { georel }
  }
  const out: { maxDistance?: number; minDistance?: number } = {}
  for (const m of mods) {
    const dm = DISTANCE.exec(m.trim())
    if (!dm) throw bad(`invalid near modifier '${m}' (expected maxDistance==<metres> or minDistance==<metres>)`)
    const key = dm[1] as 'maxDistance' | 'minDistance'
    const value = Number(dm[2])
    if (!Number.isFinite(value) || value > MAX_DISTANCE) throw bad(`${key} out of range`)
    if (out[key] !== undefined) throw bad(`${key} given twice`)
    out[key] = value
  }
  if (out.maxDistance === undefined && out.minDistance === undefined) {
    throw bad(`'near' needs maxDistance==<metres> and/or minDistance==<metres>`)
  }
  if (out.maxDistance !== undefined && out.minDistance !== undefined && out.minDistance > out.maxDistance) {
    throw bad('minDistance is greater than maxDistance')
  }
  return { georel, ...out }
}

class CoordinateChecker {
  private count = 0

  position(p: unknown, where: string): Position {
    if (!Array.isArray(p) || p.length < 2 || p.length > 3) throw bad(`${where}: a position is [longitude, latitude]`)
    if (!p.every((n) => typeof n === 'number' && Number.isFinite(n))) throw bad(`${where}: coordinates must be numbers`)
    const [lon, lat] = p as [number, number]
    if (lon < -180 || lon > 180) throw bad(`${where}: longitude ${lon} outside -180..180`)
    if (lat < -90 || lat > 90) throw bad(`${where}: latitude ${lat} outside -90..90`)
    if (++this.count > MAX_POSITIONS) throw bad(`more than ${MAX_POSITIONS} positions`)
    return [lon, lat]
  }

  list(v: unknown, min: number, where: string): unknown[] {
    if (!Array.isArray(v)) throw bad(`${where}: expected an array`)
    if (v.length < min) throw bad(`${where}: at least ${min} element(s) needed`)
    return v
  }

  positions(v: unknown, min: number, where: string): Position[] {
    return this.list(v, min, where).map((p, i) => this.position(p, `${where}[${i}]`))
  }

  ring(v: unknown, where: string): Position[] {
    const ring = this.positions(v, 4, `${where} (a linear ring needs at least 4 positions)`)
    const a = ring[0]!
    const b = ring[ring.length - 1]!
    if (a[0] !== b[0] || a[1] !== b[1]) throw bad(`${where}: a linear ring must be closed (last = first position)`)
    return ring
  }

  polygon(v: unknown, where: string): Position[][] {
    return this.list(v, 1, where).map((r, i) => this.ring(r, `${where}[${i}]`))
  }

  geometry(type: GeometryType, c: unknown): unknown {
    switch (type) {
      case 'Point':
        return this.position(c, 'Point')
      case 'MultiPoint':
        return this.positions(c, 1, 'MultiPoint')
      case 'LineString':
        return this.positions(c, 2, 'LineString')
      case 'MultiLineString':
        return this.list(c, 1, 'MultiLineString').map((l, i) => this.positions(l, 2, `MultiLineString[${i}]`))
      case 'Polygon':
        return this.polygon(c, 'Polygon')
      case 'MultiPolygon':
        return this.list(c, 1, 'MultiPolygon').map((p, i) => this.polygon(p, `MultiPolygon[${i}]`))
    }
  }
}

function parseCoordinates(raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '') throw bad('coordinates are required')
  if (typeof raw !== 'string') return raw
  if (raw.length > MAX_COORDINATES_LENGTH) throw bad('coordinates too long')
  try {
    return JSON.parse(raw)
  } catch {
    throw bad('coordinates are not a valid JSON array')
  }
}

/**
 * Validates and normalizes a geo-query. `expand` expands the geoproperty name (default `location`).
 * Throws AppError('BadRequestData') for anything missing, malformed or inconsistent.
 */
export function parseGeoQuery(input: GeoQueryInput, expand: (term: string) => string): GeoQuery {
  const rel = parseGeorel(input.georel)
  if (typeof input.geometry !== 'string' || input.geometry === '') throw bad('geometry is required')
  if (!(GEOMETRY_TYPES as readonly string[]).includes(input.geometry)) {
    throw bad(`unknown geometry '${input.geometry}' (expected one of ${GEOMETRY_TYPES.join(', ')})`)
  }
  const type = input.geometry as GeometryType
  const allowed = ALLOWED[rel.georel]
  if (allowed && !allowed.includes(type)) {
    throw bad(`georel '${rel.georel}' cannot be used with a ${type} (use ${allowed.join(' or ')})`)
  }
  const coordinates = new CoordinateChecker().geometry(type, parseCoordinates(input.coordinates))
  const gp = input.geoproperty ?? 'location'
  if (typeof gp !== 'string' || !NAME.test(gp)) throw bad(`invalid geoproperty '${String(gp)}'`)
  return { ...rel, geometry: { type, coordinates }, geoproperty: expand(gp) }
}

/** Like parseGeoQuery, but returns undefined when no geo-query parameter is present at all. */
export function parseOptionalGeoQuery(input: GeoQueryInput, expand: (term: string) => string): GeoQuery | undefined {
  const { georel, geometry, coordinates } = input
  if ([georel, geometry, coordinates].every((v) => v === undefined || v === null || v === '')) return undefined
  return parseGeoQuery(input, expand)
}

const queryGeometry = (gq: GeoQuery) => sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(gq.geometry)}::text), 4326)`

function spatialPredicate(gq: GeoQuery): RawBuilder<boolean> {
  const q = queryGeometry(gq)
  if (gq.georel === 'near') {
    const parts: RawBuilder<boolean>[] = []
    if (gq.maxDistance !== undefined) {
      parts.push(sql<boolean>`ST_DWithin(g.geom::geography, ${q}::geography, ${gq.maxDistance}::float8)`)
    }
    if (gq.minDistance !== undefined) {
      parts.push(sql<boolean>`NOT ST_DWithin(g.geom::geography, ${q}::geography, ${gq.minDistance}::float8)`)
    }
    return sql<boolean>`${sql.join(parts, sql` AND `)}`
  }
  // A self-intersecting query polygon is repaired rather than left to fail inside GEOS.
  const polygonal = gq.geometry.type === 'Polygon' || gq.geometry.type === 'MultiPolygon'
  const qv = polygonal ? sql`ST_MakeValid(${q})` : q
  switch (gq.georel) {
    case 'within':
      return sql<boolean>`ST_Within(g.geom, ${qv})`
    case 'contains':
      return sql<boolean>`ST_Contains(g.geom, ${qv})`
    case 'intersects':
      return sql<boolean>`ST_Intersects(g.geom, ${qv})`
    case 'overlaps':
      return sql<boolean>`ST_Overlaps(g.geom, ${qv})`
    case 'disjoint':
      return sql<boolean>`ST_Disjoint(g.geom, ${qv})`
    case 'equals':
      return sql<boolean>`ST_Equals(g.geom, ${qv})`
  }
}

/**
 * Boolean SQL over `ngsi_entities` (alias default `e`):
 * `(e.tenant, e.id) IN (SELECT g.tenant, g.entity_id FROM ngsi_entity_geo g WHERE g.attr = $attr AND <spatial>)`.
 */
export function compileGeoQuery(gq: GeoQuery, opts: { alias?: string } = {}): RawBuilder<boolean> {
  const alias = checkAlias(opts.alias, 'e')
  const tenant = sql.ref(`${alias}.tenant`)
  const id = sql.ref(`${alias}.id`)
  return sql<boolean>`((${tenant}, ${id}) IN (SELECT g.tenant, g.entity_id FROM ngsi_entity_geo g WHERE g.attr = ${gq.geoproperty} AND ${spatialPredicate(gq)}))`
}

/**
 * Distance in metres (spheroid) from the entity's nearest geoproperty instance to the query geometry, for
 * `ORDER BY` with `near` queries. NULL when the entity has no such geoproperty.
 * Relies on an index on `ngsi_entity_geo (tenant, entity_id, attr)` (e.g. its primary key).
 */
export function geoDistance(gq: GeoQuery, opts: { alias?: string } = {}): RawBuilder<number> {
  const alias = checkAlias(opts.alias, 'e')
  return sql<number>`(SELECT min(ST_Distance(g.geom::geography, ${queryGeometry(gq)}::geography)) FROM ngsi_entity_geo g WHERE g.tenant = ${sql.ref(`${alias}.tenant`)} AND g.entity_id = ${sql.ref(`${alias}.id`)} AND g.attr = ${gq.geoproperty})`
}
