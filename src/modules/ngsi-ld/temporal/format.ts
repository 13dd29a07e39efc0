/**
 * History rows -> the temporal representations of an entity: normalized (clause 4.5.7: every instance with its
 * `instanceId`), simplified / temporalValues (4.5.9: `[value, time]` pairs) and aggregated (4.5.19: `[value, start,
 * end]` triples per method). Attribute names and types are compacted with the request's @context. Instances of an
 * attribute are in ascending time order; several datasetIds give an array of objects, each with its `datasetId`.
 */
import type { ActiveContext } from '../context/index.js'
import type { AttrFormatState } from '../format/format-attribute.js'
import { groupBy } from '../group-by.js'
import { compactTypes, normalizedInstance, parseLangParam, pickLanguage } from '../format/index.js'
import type { AttrInstance, AttrType } from '../model.js'
import type { AggregateRow } from './aggregate.js'
import { type Period, periodEnd } from './duration.js'
import type { AggrMethod, TemporalRender, TimeWindow } from './params.js'
import type { InstanceRow } from './repo.js'

export const instanceUri = (uuid: string) => `urn:ngsi-ld:${uuid}`

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString())

/** Members of the simplified temporal representation, per attribute type (clause 4.5.9). */
const TEMPORAL_VALUES_KEY: Record<AttrType, string> = {
  Property: 'values',
  GeoProperty: 'values',
  Relationship: 'objects',
  LanguageProperty: 'languageMaps',
  JsonProperty: 'jsons',
  ListProperty: 'valueLists',
  ListRelationship: 'objectLists',
  VocabProperty: 'vocabs',
}

export function formatState(ctx: ActiveContext, render: TemporalRender): AttrFormatState {
  return { ctx, sysAttrs: render.sysAttrs, lang: render.lang === undefined ? undefined : parseLangParam(render.lang) }
}

/** The stored instance of a row, with its datasetId and system times back. */
function storedInstance(r: InstanceRow): AttrInstance {
  return {
    ...(r.inst as unknown as AttrInstance),
    ...(r.dataset_id ? { datasetId: r.dataset_id } : {}),
    createdAt: iso(r.created_at),
    modifiedAt: iso(r.modified_at),
  }
}

export function normalizedTemporalInstance(r: InstanceRow, st: AttrFormatState): Record<string, unknown> {
  const out = normalizedInstance(storedInstance(r), st)
  out.instanceId = instanceUri(r.instance_id)
  if (r.deleted && typeof r.inst.deletedAt === 'string') out.deletedAt = r.inst.deletedAt
  return out
}

/** The value of an instance in the simplified temporal representation. */
function temporalValue(inst: AttrInstance, st: AttrFormatState): { type: AttrType; value: unknown } {
  switch (inst.type) {
    case 'Relationship':
      return { type: inst.type, value: inst.object }
    case 'LanguageProperty': {
      const choice = st.lang && inst.languageMap ? pickLanguage(inst.languageMap, st.lang) : undefined
      return choice ? { type: 'Property', value: choice.value } : { type: inst.type, value: inst.languageMap }
    }
    case 'JsonProperty':
      return { type: inst.type, value: inst.json }
    case 'ListProperty':
      return { type: inst.type, value: inst.valueList }
    case 'ListRelationship':
      return { type: inst.type, value: inst.objectList }
    case 'VocabProperty': {
      const v = inst.vocab
      const compact = (x: string) => st.ctx.compactVocab(x)
      return { type: inst.type, value: v === undefined ? undefined : Array.isArray(v) ? v.map(compact) : compact(v) }
    }
    default:
      return { type: inst.type, value: inst.value }
  }
}

/** Groups by datasetId ('' first), keeping order. */
function byDataset<T extends { dataset_id: string }>(rows: readonly T[]): [string, T[]][] {
  return [...groupBy(rows, (r) => r.dataset_id)].sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  )
}

/** One object per dataset; a single one is the object itself. */
function datasets(groups: [string, Record<string, unknown>][]): unknown {
  const objs = groups.map(([ds, o]) => (ds ? { ...o, datasetId: ds } : o))
  return objs.length === 1 ? objs[0] : objs
}

function temporalValuesAttribute(rows: readonly InstanceRow[], st: AttrFormatState): unknown {
  return datasets(
    byDataset(rows.filter((r) => !r.deleted)).map(([ds, rs]) => {
      const vals = rs.map((r) => temporalValue(r.inst as unknown as AttrInstance, st))
      const type = vals[vals.length - 1]!.type
      return [ds, { type, [TEMPORAL_VALUES_KEY[type]]: vals.map((v, i) => [v.value, iso(rs[i]!.t)]) }]
    }),
  )
}

export interface EntityHead {
  id: string
  types: string[]
}

function head(e: EntityHead, ctx: ActiveContext): Record<string, unknown> {
  return { id: e.id, type: compactTypes(e.types, ctx) }
}

/** Groups rows by attribute (first-seen order), each in ascending time. */
function byAttr<T extends { attr: string }>(rows: readonly T[], time: (r: T) => number): Map<string, T[]> {
  const m = groupBy(rows, (r) => r.attr)
  for (const g of m.values()) g.sort((a, b) => time(a) - time(b))
  return new Map([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** An entity in the normalized or the simplified temporal representation. */
export function formatInstances(
  e: EntityHead,
  rows: readonly InstanceRow[],
  ctx: ActiveContext,
  render: TemporalRender,
): Record<string, unknown> {
  const st = formatState(ctx, render)
  const out = head(e, ctx)
  for (const [attr, rs] of byAttr(rows, (r) => r.t.getTime())) {
    if (render.format === 'temporalValues') {
      if (rs.some((r) => !r.deleted)) out[ctx.compact(attr)] = temporalValuesAttribute(rs, st)
    } else out[ctx.compact(attr)] = rs.map((r) => normalizedTemporalInstance(r, st))
  }
  return out
}

/** Start and end of a period; for the whole window, its bounds where the query gives them, else the data's. */
export function periodBounds(r: AggregateRow, period: Period, w: TimeWindow): [string, string] {
  if (r.start) return [iso(r.start), iso(periodEnd(period, r.start))]
  const start = (w.timerel === 'after' || w.timerel === 'between') && w.timeAt ? w.timeAt : iso(r.first)
  const end =
    w.timerel === 'between' && w.endTimeAt ? w.endTimeAt : w.timerel === 'before' && w.timeAt ? w.timeAt : iso(r.last)
  return [start, end]
}

/** An entity in the aggregated temporal representation. */
export function formatAggregates(
  e: EntityHead,
  rows: readonly AggregateRow[],
  ctx: ActiveContext,
  render: TemporalRender,
  w: TimeWindow,
): Record<string, unknown> {
  const out = head(e, ctx)
  const methods: AggrMethod[] = render.aggrMethods
  for (const [attr, rs] of byAttr(rows, (r) => (r.start ?? r.first).getTime())) {
    out[ctx.compact(attr)] = datasets(
      byDataset(rs).map(([ds, periods]) => {
        const type = periods.find((p) => p.type && p.type !== 'Property')?.type ?? 'Property'
        const o: Record<string, unknown> = { type }
        for (const m of methods) {
          o[m] = periods.map((p) => [p[m] ?? null, ...periodBounds(p, render.period, w)])
        }
        return [ds, o]
      }),
    )
  }
  return out
}
