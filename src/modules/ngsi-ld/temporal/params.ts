/**
 * Parameters of the temporal API (clauses 6.18.3.2, 6.19.3.1, 5.2.21 TemporalQuery, 4.5.19 aggregation): the time
 * window (`timerel`, `timeAt`, `endTimeAt`, `timeproperty`), `lastN`, and the representation (`options` /
 * `format` = temporalValues | aggregatedValues, `sysAttrs`, `aggrMethods`, `aggrPeriodDuration`, `attrs`, `lang`,
 * `datasetId`). Every mistake is a 400 naming the parameter.
 */
import { AppError } from '../../../errors.js'
import type { ActiveContext } from '../context/index.js'
import { normalizeDateTime } from '../format/index.js'
import { type Period, parseDuration } from './duration.js'

export const TIMERELS = ['before', 'after', 'between'] as const
export type Timerel = (typeof TIMERELS)[number]
export const TIME_PROPERTIES = ['observedAt', 'createdAt', 'modifiedAt', 'deletedAt'] as const
export type TimeProperty = (typeof TIME_PROPERTIES)[number]
export const AGGR_METHODS = ['totalCount', 'distinctCount', 'sum', 'avg', 'min', 'max', 'stddev', 'sumsq'] as const
export type AggrMethod = (typeof AGGR_METHODS)[number]
export type TemporalFormat = 'normalized' | 'temporalValues' | 'aggregatedValues'

/** The time window. before: t < timeAt; after: t >= timeAt; between: timeAt <= t < endTimeAt. */
export interface TimeWindow {
  timerel?: Timerel
  timeAt?: string
  endTimeAt?: string
  timeproperty: TimeProperty
  /** The last N instances (or periods) of each attribute, returned in ascending order. */
  lastN?: number
}

export interface TemporalRender {
  format: TemporalFormat
  sysAttrs: boolean
  /** Expanded attribute names to return (all when absent). */
  attrs?: string[]
  lang?: string
  /** Dataset ids to return; `@none` is the default instance. */
  datasetId?: string[]
  aggrMethods: AggrMethod[]
  period: Period
}

export interface TemporalParams {
  window: TimeWindow
  render: TemporalRender
}

type Q = Record<string, unknown>

const bad = (m: string) => new AppError('BadRequestData', m)

export function str(v: unknown, name: string, max = 10_000): string | undefined {
  if (v === undefined || v === null || v === '') return undefined
  if (Array.isArray(v)) throw bad(`${name} was given more than once`)
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw bad(`${name} must be a string`)
  const s = String(v)
  if (s.length > max) throw bad(`${name} is longer than ${max} characters`)
  return s
}

export function list(v: unknown, name: string): string[] | undefined {
  if (Array.isArray(v)) return v.flatMap((x) => list(x, name) ?? [])
  const s = str(v, name)
  if (s === undefined) return undefined
  const items = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
  return items.length ? items : undefined
}

function oneOf<T extends string>(v: unknown, name: string, allowed: readonly T[]): T | undefined {
  const s = str(v, name)
  if (s === undefined) return undefined
  if (!(allowed as readonly string[]).includes(s)) throw bad(`${name} must be one of ${allowed.join(', ')}, not "${s}"`)
  return s as T
}

function dateTime(v: unknown, name: string): string | undefined {
  const s = str(v, name, 100)
  if (s === undefined) return undefined
  const iso = normalizeDateTime(s)
  if (!iso) {
    throw bad(
      `${name} "${s}" is not a date-time such as 2026-11-23T08:00:00Z (encode "+" as %2B in a URL: a bare "+" is a space)`,
    )
  }
  return iso
}

/** The temporal query (from the URL, or the `temporalQ` member of a Query payload). */
export function parseTimeWindow(q: Q): TimeWindow {
  const timerel = oneOf(q.timerel, 'timerel', TIMERELS)
  const timeAt = dateTime(q.timeAt, 'timeAt')
  const endTimeAt = dateTime(q.endTimeAt, 'endTimeAt')
  const timeproperty = oneOf(q.timeproperty, 'timeproperty', TIME_PROPERTIES) ?? 'observedAt'
  if (timerel && !timeAt) throw bad(`timerel=${timerel} needs timeAt`)
  if (!timerel && timeAt) throw bad('timeAt needs timerel (before, after or between)')
  if (timerel === 'between' && !endTimeAt) throw bad('timerel=between needs endTimeAt')
  if (timerel !== 'between' && endTimeAt) throw bad('endTimeAt is only allowed with timerel=between')
  if (timerel === 'between' && timeAt && endTimeAt && endTimeAt <= timeAt) {
    throw bad('endTimeAt must be after timeAt')
  }
  const w: TimeWindow = { timeproperty }
  if (timerel) w.timerel = timerel
  if (timeAt) w.timeAt = timeAt
  if (endTimeAt) w.endTimeAt = endTimeAt
  const lastN = str(q.lastN, 'lastN', 20)
  if (lastN !== undefined) {
    if (!/^\d+$/.test(lastN) || Number(lastN) < 1) throw bad(`lastN must be a positive integer, not "${lastN}"`)
    w.lastN = Number(lastN)
  }
  return w
}

const FORMATS: Record<string, TemporalFormat> = {
  normalized: 'normalized',
  temporalValues: 'temporalValues',
  simplified: 'temporalValues',
  keyValues: 'temporalValues',
  aggregatedValues: 'aggregatedValues',
}
const OPTION_FLAGS = new Set(['sysAttrs', 'noOverwrite', 'concise'])

/** `options` and `format`: the temporal representation (4.5.7 normalized, 4.5.9 temporalValues, 4.5.19 aggregated). */
export function parseTemporalFormat(q: Q): { format: TemporalFormat; sysAttrs: boolean } {
  const formats = new Set<TemporalFormat>()
  const options = list(q.options, 'options') ?? []
  for (const o of options) {
    if (o === 'concise')
      throw bad('The concise temporal representation is not supported: use normalized or temporalValues')
    if (FORMATS[o]) formats.add(FORMATS[o]!)
    else if (!OPTION_FLAGS.has(o)) {
      throw bad(`options: "${o}" is not one of temporalValues, aggregatedValues, sysAttrs`)
    }
  }
  const fmt = str(q.format, 'format')
  if (fmt !== undefined) {
    if (!FORMATS[fmt]) throw bad(`format must be normalized, temporalValues or aggregatedValues, not "${fmt}"`)
    formats.add(FORMATS[fmt]!)
  }
  if (formats.size > 1) throw bad(`Conflicting representations requested: ${[...formats].join(' and ')}`)
  return { format: [...formats][0] ?? 'normalized', sysAttrs: options.includes('sysAttrs') }
}

export function parseAggregation(q: Q, format: TemporalFormat): { aggrMethods: AggrMethod[]; period: Period } {
  const methods = list(q.aggrMethods, 'aggrMethods')
  const duration = str(q.aggrPeriodDuration, 'aggrPeriodDuration', 100)
  if (format !== 'aggregatedValues') {
    if (methods || duration) throw bad('aggrMethods and aggrPeriodDuration need options=aggregatedValues')
    return { aggrMethods: [], period: { kind: 'whole' } }
  }
  if (!methods) throw bad(`options=aggregatedValues needs aggrMethods (${AGGR_METHODS.join(', ')})`)
  for (const m of methods) {
    if (!(AGGR_METHODS as readonly string[]).includes(m)) {
      throw bad(`aggrMethods: "${m}" is not one of ${AGGR_METHODS.join(', ')}`)
    }
  }
  return {
    aggrMethods: [...new Set(methods)] as AggrMethod[],
    period: duration === undefined ? { kind: 'whole' } : parseDuration(duration),
  }
}

/** Everything but the entity filters: the window and the representation. */
export function parseTemporalParams(q: Q, ctx: ActiveContext, temporalQ?: Q): TemporalParams {
  const window = parseTimeWindow(temporalQ ?? q)
  const { format, sysAttrs } = parseTemporalFormat(q)
  if (format === 'aggregatedValues' && window.timeproperty === 'deletedAt') {
    throw bad('aggregatedValues cannot be computed over deletions (timeproperty=deletedAt)')
  }
  const attrs = list(q.attrs, 'attrs')
  const lang = str(q.lang, 'lang', 200)
  const datasetId = list(q.datasetId, 'datasetId')
  const render: TemporalRender = {
    format,
    sysAttrs,
    ...parseAggregation(q, format),
    ...(attrs ? { attrs: [...new Set(attrs.map((a) => ctx.expand(a)))] } : {}),
    ...(lang ? { lang } : {}),
    ...(datasetId ? { datasetId } : {}),
  }
  return { window, render }
}
