/**
 * GET /temporal/entities (clause 6.18.3.2) and POST /temporal/entityOperations/query (6.24, a Query payload with
 * `temporalQ`) -> which temporal entities (type, id, idPattern on the temporal entity; q, scopeQ and geo-queries on
 * the entity's current state; attrs: entities with history of one of them), the page, and the temporal parameters.
 */
import { type RawBuilder, sql } from 'kysely'
import { AppError } from '../../../errors.js'
import type { ActiveContext } from '../context/index.js'
import { buildFilter, parsePage } from '../http/query-params.js'
import { list, parseTemporalParams, str, type TemporalParams } from './params.js'
import type { TemporalFilter } from './repo.js'

export interface TemporalQuery {
  filter: TemporalFilter
  page: { limit: number; offset: number; count: boolean }
  params: TemporalParams
}

type Q = Record<string, unknown>
const bad = (m: string) => new AppError('BadRequestData', m)

const geoOf = (o: Q) => ({
  georel: o.georel,
  geometry: o.geometry,
  coordinates: o.coordinates,
  geoproperty: o.geoproperty,
})

export function parseTemporalQuery(query: Q, ctx: ActiveContext): TemporalQuery {
  const params = parseTemporalParams(query, ctx)
  const own = buildFilter(
    { type: str(query.type, 'type'), ids: list(query.id, 'id'), idPattern: str(query.idPattern, 'idPattern', 600) },
    ctx,
    { requireOne: false },
  ).where
  const state = buildFilter(
    { q: str(query.q, 'q', 5000), scopeQ: str(query.scopeQ, 'scopeQ', 3000), geo: geoOf(query) },
    ctx,
    { requireOne: false },
  ).where
  const attrs = params.render.attrs
  if (own.length + state.length === 0 && !attrs && str(query.local, 'local') !== 'true') {
    throw bad(
      'A temporal query needs at least one of type, id, idPattern, attrs, q, scopeQ or a geo-query (or local=true)',
    )
  }
  return { filter: { own, state, ...(attrs ? { attrs } : {}) }, page: parsePage(query), params }
}

const TEMPORAL_Q_URL_KEYS = ['aggrMethods', 'aggrPeriodDuration'] as const

/** The Query payload (clause 5.2.23) with `temporalQ` (5.2.21); representation and paging from the URL. */
export function parseTemporalQueryBody(body: unknown, urlQuery: Q, ctx: ActiveContext): TemporalQuery {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('The payload must be a Query object')
  const b = body as Q
  if (b.type !== undefined && b.type !== 'Query') throw bad('The Query payload must have "type": "Query"')
  const tq = b.temporalQ
  if (tq !== undefined && (typeof tq !== 'object' || tq === null || Array.isArray(tq))) {
    throw bad('temporalQ must be an object (timerel, timeAt, endTimeAt, timeproperty, lastN)')
  }
  const temporalQ = (tq ?? {}) as Q
  const merged: Q = { ...urlQuery }
  for (const k of TEMPORAL_Q_URL_KEYS) if (temporalQ[k] !== undefined) merged[k] = temporalQ[k]
  const attrList = Array.isArray(b.attrs) ? b.attrs.join(',') : b.attrs
  if (attrList !== undefined) merged.attrs = attrList
  if (b.lang !== undefined) merged.lang = b.lang
  const params = parseTemporalParams(merged, ctx, tq === undefined ? urlQuery : temporalQ)

  const own: RawBuilder<boolean>[] = []
  if (b.entities !== undefined) {
    if (!Array.isArray(b.entities) || b.entities.length === 0 || b.entities.length > 100) {
      throw bad('entities must be a list of 1 to 100 entity selectors')
    }
    const alternatives = b.entities.map((sel) => {
      if (!sel || typeof sel !== 'object') throw bad('an entity selector must be an object')
      const s = sel as Q
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
    own.push(sql<boolean>`(${sql.join(alternatives, sql` OR `)})`)
  }
  const geoQ = b.geoQ
  if (geoQ !== undefined && (typeof geoQ !== 'object' || geoQ === null)) throw bad('geoQ must be an object')
  const state = buildFilter(
    {
      q: str(b.q, 'q', 5000),
      scopeQ: str(b.scopeQ, 'scopeQ', 3000),
      ...(geoQ ? { geo: geoOf(geoQ as Q) } : {}),
    },
    ctx,
    { requireOne: false },
  ).where
  const attrs = params.render.attrs
  if (own.length + state.length === 0 && !attrs) throw bad('A Query needs entities, attrs, q, scopeQ or geoQ')
  return { filter: { own, state, ...(attrs ? { attrs } : {}) }, page: parsePage(urlQuery), params }
}
