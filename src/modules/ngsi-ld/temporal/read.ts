/**
 * Reading history for a page of temporal entities: instances (normalized, temporalValues) or aggregates, in at most
 * one statement, with the pagination of instances (paging.ts).
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../../db/schema.js'
import type { ActiveContext } from '../context/index.js'
import { groupBy } from '../group-by.js'
import { type AggregateRow, selectAggregates } from './aggregate.js'
import { formatAggregates, formatInstances } from './format.js'
import { contentRange, cutSeries, fetchPlan } from './paging.js'
import type { TemporalParams } from './params.js'
import { type InstanceRow, selectInstances, type TemporalEntity } from './repo.js'

export interface TemporalAnswer {
  entities: Record<string, unknown>[]
  /** Set when instances were left out (206). */
  contentRange?: string
}

/** Most instances (or periods) in one answer, whatever the number of entities and attributes. */
export const MAX_PER_ANSWER = 100_000

const key = (entityId: string, attr: string) => `${entityId}\u0000${attr}`

/** Items grouped per (entity, attribute), in fetch order (ascending time, or descending). */
function seriesOf<T extends { entity_id: string; attr: string }>(
  rows: readonly T[],
  time: (r: T) => number,
  descending: boolean,
): Map<string, T[]> {
  const m = new Map<string, T[]>()
  for (const r of rows) {
    const k = key(r.entity_id, r.attr)
    const s = m.get(k)
    if (s) s.push(r)
    else m.set(k, [r])
  }
  for (const s of m.values()) s.sort((a, b) => (descending ? time(b) - time(a) : time(a) - time(b)))
  return m
}

/** Applies the instance limit: the rows to return and the Content-Range, if any were left out. */
function paginate<T extends { entity_id: string; attr: string }>(
  rows: readonly T[],
  time: (r: T) => number,
  params: TemporalParams,
  plan: { limit: number; descending: boolean },
): { rows: T[]; contentRange?: string } {
  const series = [...seriesOf(rows, time, plan.descending).values()]
  const cut = cutSeries(
    series.map((s) => s.map(time)),
    plan.limit,
    plan.descending,
  )
  if (!cut) return { rows: series.flat() }
  const kept = series.flatMap((s) => s.filter((r) => cut.keep(time(r))).slice(0, plan.limit))
  return {
    rows: kept,
    contentRange: contentRange(cut, kept.map(time), params.window, plan.descending),
  }
}

function attrsOf(e: TemporalEntity, params: TemporalParams): string[] {
  const wanted = params.render.attrs
  return wanted ? e.attrNames.filter((a) => wanted.includes(a)) : e.attrNames
}

export async function readHistory(
  db: Kysely<DB>,
  tenant: string,
  entities: readonly TemporalEntity[],
  ctx: ActiveContext,
  params: TemporalParams,
  instanceLimit: number,
): Promise<TemporalAnswer> {
  const { window: w, render } = params
  const pairs = entities.flatMap((e) => attrsOf(e, params).map((attr) => ({ entityId: e.id, attr })))
  // the per-attribute limit shrinks when one answer spans very many attributes (then 206 and pages, as above)
  const limit = Math.max(1, Math.min(instanceLimit, Math.floor(MAX_PER_ANSWER / Math.max(1, pairs.length))))
  const plan = fetchPlan(w, limit)
  if (render.format === 'aggregatedValues') {
    const all = await selectAggregates(db, tenant, pairs, w, {
      methods: render.aggrMethods,
      period: render.period,
      datasetId: render.datasetId,
    })
    const time = (r: AggregateRow) => (r.start ?? r.first).getTime()
    // lastN periods: the newest N of each attribute
    const lastN = (rows: AggregateRow[]) =>
      w.lastN === undefined ? rows : [...seriesOf(rows, time, true).values()].flatMap((s) => s.slice(0, plan.perSeries))
    const page = paginate(lastN(all), time, params, plan)
    const grouped = groupBy(page.rows, (r) => r.entity_id)
    return {
      entities: entities.map((e) => formatAggregates(e, grouped.get(e.id) ?? [], ctx, render, w)),
      ...(page.contentRange ? { contentRange: page.contentRange } : {}),
    }
  }
  const rows = await selectInstances(db, tenant, pairs, w, {
    datasetId: render.datasetId,
    withDeletions: render.format === 'normalized',
    perSeries: plan.perSeries,
    descending: plan.descending,
  })
  const page = paginate(rows, (r: InstanceRow) => r.t.getTime(), params, plan)
  const grouped = groupBy(page.rows, (r) => r.entity_id)
  return {
    entities: entities.map((e) => formatInstances(e, grouped.get(e.id) ?? [], ctx, render)),
    ...(page.contentRange ? { contentRange: page.contentRange } : {}),
  }
}
