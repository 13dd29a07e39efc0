/**
 * Query Entities parameters (clause 6.4.3.2) and the Query body of POST /entityOperations/query (clause 5.2.23),
 * turned into one SQL filter over `ngsi_entities e` plus the representation options.
 */
import { type RawBuilder, sql } from 'kysely'
import { AppError } from '../../../errors.js'
import type { ActiveContext } from '../context/index.js'
import type { EntityFormat } from '../format/index.js'
import {
  compileGeoQuery,
  compileQ,
  compileScopeQ,
  parseOptionalGeoQuery,
  parseQ,
  parseScopeQ,
  toPgRegex,
} from '../query/index.js'
import type { QueryFilter } from '../repo.js'
import { compileTypeExpression, parseTypeExpression } from '../type-query.js'

export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 1000

export interface RenderOptions {
  format: EntityFormat
  sysAttrs: boolean
  attrs?: string[]
  pick?: string[]
  omit?: string[]
  lang?: string
  datasetId?: string[]
  /** Expanded GeoProperty for GeoJSON output. */
  geoproperty: string
}

export interface EntityQuery {
  filter: QueryFilter
  limit: number
  offset: number
  count: boolean
  render: RenderOptions
}

const bad = (m: string) => new AppError('BadRequestData', m)

function str(v: unknown, name: string, max = 10_000): string | undefined {
  if (v === undefined || v === null || v === '') return undefined
  if (Array.isArray(v)) throw bad(`${name} was given more than once`)
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw bad(`${name} must be a string`)
  const s = String(v)
  if (s.length > max) throw bad(`${name} is longer than ${max} characters`)
  return s
}

const list = (v: unknown, name: string): string[] | undefined => {
  if (Array.isArray(v)) return v.flatMap((x) => list(x, name) ?? [])
  const s = str(v, name)
  return s === undefined
    ? undefined
    : s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
}

function int(v: unknown, name: string, def: number, min: number): number {
  const s = str(v, name)
  if (s === undefined) return def
  if (!/^\d+$/.test(s)) throw bad(`${name} must be a non-negative integer`)
  const n = Number(s)
  if (n < min) throw bad(`${name} must be at least ${min}`)
  return n
}

const FORMATS: Record<string, EntityFormat> = {
  normalized: 'normalized',
  keyValues: 'keyValues',
  simplified: 'keyValues',
  concise: 'concise',
}

/** `options` and `format` (clause 6.3.7): representation and flags. */
export function parseOptions(query: Record<string, unknown>): {
  format: EntityFormat
  sysAttrs: boolean
  flags: Set<string>
} {
  const flags = new Set(list(query.options, 'options') ?? [])
  const formats = new Set<EntityFormat>()
  for (const f of flags) if (FORMATS[f]) formats.add(FORMATS[f]!)
  const fmt = str(query.format, 'format')
  if (fmt !== undefined) {
    if (!FORMATS[fmt]) throw bad(`format must be normalized, concise, keyValues or simplified, not "${fmt}"`)
    formats.add(FORMATS[fmt]!)
  }
  if (formats.size > 1) throw bad(`Conflicting representations requested: ${[...formats].join(' and ')}`)
  return { format: [...formats][0] ?? 'normalized', sysAttrs: flags.has('sysAttrs'), flags }
}

export function parseRender(query: Record<string, unknown>, ctx: ActiveContext): RenderOptions {
  const { format, sysAttrs } = parseOptions(query)
  const pick = list(query.pick, 'pick')
  const omit = list(query.omit, 'omit')
  if (pick && omit) throw bad('pick and omit cannot be used together')
  const attrs = list(query.attrs, 'attrs')
  const lang = str(query.lang, 'lang', 200)
  const datasetId = list(query.datasetId, 'datasetId')
  const geoproperty = str(query.geoproperty, 'geoproperty', 500) ?? 'location'
  return {
    format,
    sysAttrs,
    ...(attrs ? { attrs: attrs.map((a) => ctx.expand(a)) } : {}),
    ...(pick ? { pick } : {}),
    ...(omit ? { omit } : {}),
    ...(lang ? { lang } : {}),
    ...(datasetId ? { datasetId } : {}),
    geoproperty: ctx.expand(geoproperty),
  }
}

export function parsePage(query: Record<string, unknown>): { limit: number; offset: number; count: boolean } {
  const limit = int(query.limit, 'limit', DEFAULT_LIMIT, 0)
  if (limit > MAX_LIMIT) {
    throw new AppError(
      'TooManyResults',
      `limit ${limit} is above the maximum of ${MAX_LIMIT}: page with offset`,
      undefined,
      400,
    )
  }
  const offset = int(query.offset, 'offset', 0, 0)
  const c = str(query.count, 'count')
  if (c !== undefined && c !== 'true' && c !== 'false') throw bad('count must be true or false')
  return { limit, offset, count: c === 'true' }
}

/** Filters shared by GET /entities and the Query body: each one SQL fragment. */
export interface FilterInput {
  type?: string | undefined
  ids?: string[] | undefined
  idPattern?: string | undefined
  attrs?: string[] | undefined
  q?: string | undefined
  scopeQ?: string | undefined
  geo?: { georel?: unknown; geometry?: unknown; coordinates?: unknown; geoproperty?: unknown } | undefined
}

export function buildFilter(input: FilterInput, ctx: ActiveContext, opts: { requireOne: boolean }): QueryFilter {
  const where: RawBuilder<boolean>[] = []
  if (input.type) where.push(compileTypeExpression(parseTypeExpression(input.type), (t) => ctx.expand(t)))
  if (input.ids?.length) {
    for (const id of input.ids)
      if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(id)) throw bad(`id "${id.slice(0, 100)}" is not a URI`)
    where.push(sql<boolean>`e.id = ANY(${input.ids}::text[])`)
  }
  if (input.idPattern) {
    const re = toPgRegex(input.idPattern)
    where.push(re.caseInsensitive ? sql<boolean>`e.id ~* ${re.source}` : sql<boolean>`e.id ~ ${re.source}`)
  }
  if (input.attrs?.length) where.push(sql<boolean>`e.attrs ?| ${input.attrs}::text[]`)
  if (input.q)
    where.push(compileQ(parseQ(input.q), { expand: (t) => ctx.expand(t), expandVocab: (v) => ctx.expandVocab(v) }))
  if (input.scopeQ) where.push(compileScopeQ(parseScopeQ(input.scopeQ)))
  const geo = input.geo && parseOptionalGeoQuery(input.geo, (t) => ctx.expand(t))
  if (geo) where.push(compileGeoQuery(geo))
  if (opts.requireOne && where.length === 0) {
    throw bad('A query needs at least one of type, id, idPattern, attrs, q, scopeQ or a geo-query (or local=true)')
  }
  return { where }
}

/** GET /entities query string. */
export function parseEntityQuery(query: Record<string, unknown>, ctx: ActiveContext): EntityQuery {
  const render = parseRender(query, ctx)
  const local = str(query.local, 'local') === 'true'
  const filter = buildFilter(
    {
      type: str(query.type, 'type'),
      ids: list(query.id, 'id'),
      idPattern: str(query.idPattern, 'idPattern', 600),
      attrs: render.attrs,
      q: str(query.q, 'q', 5000),
      scopeQ: str(query.scopeQ, 'scopeQ', 3000),
      geo: {
        georel: query.georel,
        geometry: query.geometry,
        coordinates: query.coordinates,
        geoproperty: query.geoproperty,
      },
    },
    ctx,
    { requireOne: !local },
  )
  return { filter, ...parsePage(query), render }
}

/** POST /entityOperations/query: the Query body (clause 5.2.23) plus paging/representation from the URL. */
export function parseQueryBody(body: unknown, urlQuery: Record<string, unknown>, ctx: ActiveContext): EntityQuery {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('The payload must be a Query object')
  const b = body as Record<string, unknown>
  if (b.type !== undefined && b.type !== 'Query') throw bad('The Query payload must have "type": "Query"')
  const where: RawBuilder<boolean>[] = []
  if (b.entities !== undefined) {
    if (!Array.isArray(b.entities) || b.entities.length === 0 || b.entities.length > 100) {
      throw bad('entities must be a list of 1 to 100 entity selectors')
    }
    const alternatives = b.entities.map((sel) => {
      if (!sel || typeof sel !== 'object') throw bad('an entity selector must be an object')
      const s = sel as Record<string, unknown>
      const f = buildFilter(
        {
          type: str(s.type, 'entities.type'),
          ids: s.id === undefined ? undefined : [String(s.id)],
          idPattern: str(s.idPattern, 'entities.idPattern', 600),
        },
        ctx,
        { requireOne: true },
      )
      return sql<boolean>`(${sql.join(f.where, sql` AND `)})`
    })
    where.push(sql<boolean>`(${sql.join(alternatives, sql` OR `)})`)
  }
  const attrs = list(b.attrs, 'attrs')
  const geoQ = b.geoQ as Record<string, unknown> | undefined
  if (geoQ !== undefined && (typeof geoQ !== 'object' || geoQ === null)) throw bad('geoQ must be an object')
  const rest = buildFilter(
    {
      attrs: attrs?.map((a) => ctx.expand(a)),
      q: str(b.q, 'q', 5000),
      scopeQ: str(b.scopeQ, 'scopeQ', 3000),
      ...(geoQ
        ? {
            geo: {
              georel: geoQ.georel,
              geometry: geoQ.geometry,
              coordinates: geoQ.coordinates,
              geoproperty: geoQ.geoproperty,
            },
          }
        : {}),
    },
    ctx,
    { requireOne: false },
  )
  where.push(...rest.where)
  if (where.length === 0) throw bad('A Query needs entities, attrs, q, scopeQ or geoQ')
  const render = parseRender(
    { ...urlQuery, ...(attrs ? { attrs: attrs.join(',') } : {}), ...(b.lang ? { lang: b.lang } : {}) },
    ctx,
  )
  return { filter: { where }, ...parsePage(urlQuery), render }
}
