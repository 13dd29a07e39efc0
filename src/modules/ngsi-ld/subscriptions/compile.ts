/**
 * A stored subscription definition compiled for matching: the exact condition as SQL over `ngsi_entities e`
 * (entity selectors, q, scopeQ, geoQ: the same compilers as queries), plus cheap checks done in memory first
 * (trigger kinds, watched attributes, plain types and ids) so that most writes that concern no subscription never
 * reach SQL. Also decides which notification trigger a change fires, if any (clause 5.11, notificationTrigger).
 */
import { type RawBuilder, sql } from 'kysely'
import type { AttrChange } from '../format/index.js'
import { compileGeoQuery, compileQ, compileScopeQ, parseQ, parseScopeQ, toPgRegex } from '../query/index.js'
import type { EntityChange } from '../service.js'
import { compileTypeExpression, parseTypeExpression } from '../type-query.js'
import { isExpired, type SelectorDef, type SubscriptionDef, type Trigger } from './model.js'

export interface CompiledSubscription {
  id: string
  def: SubscriptionDef
  /** Exact condition over `ngsi_entities e`; undefined when the in-memory checks are exact. */
  where?: RawBuilder<boolean>
  /** The whole condition (for periodic queries); undefined = every entity. */
  fullWhere?: RawBuilder<boolean>
  hasGeo: boolean
  triggers: ReadonlySet<Trigger>
  watched?: ReadonlySet<string>
  /** In-memory pre-check of the selectors; false = surely not matching. */
  mayMatch(id: string, types: readonly string[]): boolean
}

const and = (parts: RawBuilder<boolean>[]) =>
  parts.length === 1 ? parts[0]! : sql<boolean>`(${sql.join(parts, sql` AND `)})`

function selectorWhere(s: SelectorDef): RawBuilder<boolean> | undefined {
  const parts: RawBuilder<boolean>[] = []
  if (s.id !== undefined) parts.push(sql<boolean>`e.id = ${s.id}`)
  else if (s.idPattern !== undefined) {
    const re = toPgRegex(s.idPattern)
    parts.push(re.caseInsensitive ? sql<boolean>`e.id ~* ${re.source}` : sql<boolean>`e.id ~ ${re.source}`)
  }
  if (s.type !== undefined) {
    const iris = s.typeIris ?? {}
    parts.push(compileTypeExpression(parseTypeExpression(s.type), (t) => iris[t] ?? t))
  }
  return parts.length ? and(parts) : undefined
}

/** In-memory check of one selector: false when it surely does not match, true when it may. */
function selectorMay(s: SelectorDef): (id: string, types: readonly string[]) => boolean {
  const plainTypes =
    s.type !== undefined && /^[^;()]+$/.test(s.type)
      ? s.type.split(/[,|]/).map((t) => s.typeIris?.[t.trim()] ?? t.trim())
      : undefined
  return (id, types) => {
    if (s.id !== undefined && s.id !== id) return false
    if (plainTypes && !plainTypes.some((t) => types.includes(t))) return false
    return true
  }
}

export function compileSubscription(id: string, def: SubscriptionDef): CompiledSubscription {
  const where: RawBuilder<boolean>[] = []
  const selectors = def.entities ?? []
  let exactInMemory = true
  if (selectors.length) {
    const alts = selectors.map(selectorWhere)
    if (!alts.some((a) => a === undefined)) {
      where.push(alts.length === 1 ? alts[0]! : sql<boolean>`(${sql.join(alts as RawBuilder<boolean>[], sql` OR `)})`)
    }
    exactInMemory = selectors.every(
      (s) => s.idPattern === undefined && (s.type === undefined || /^[^;()]+$/.test(s.type)),
    )
  }
  if (def.q) {
    const terms = def.qTerms ?? {}
    const vocab = def.qVocab ?? {}
    // No containment pre-filter: the condition is checked on a few changed entities by id (and, for a deleted
    // entity, on its last state given as parameters, which has no index document).
    where.push(
      compileQ(parseQ(def.q), {
        expand: (t) => terms[t] ?? t,
        expandVocab: (v) => vocab[v] ?? v,
        containment: false,
      }),
    )
  }
  if (def.scopeQ) where.push(compileScopeQ(parseScopeQ(def.scopeQ)))
  if (def.geoQ) where.push(compileGeoQuery(def.geoQ))
  const checks = selectors.map(selectorMay)
  const exact = exactInMemory && where.length === (selectors.length ? 1 : 0)
  return {
    id,
    def,
    ...(where.length && !exact ? { where: and(where) } : {}),
    ...(where.length ? { fullWhere: and(where) } : {}),
    hasGeo: def.geoQ !== undefined,
    triggers: new Set(def.triggers),
    ...(def.watched ? { watched: new Set(def.watched) } : {}),
    mayMatch: (eid, types) => checks.length === 0 || checks.some((c) => c(eid, types)),
  }
}

/** Whether the subscription takes change notifications now (active, not expired, not periodic). */
export function takesChanges(c: CompiledSubscription, now: number): boolean {
  return c.def.isActive && c.def.timeInterval === undefined && !isExpired(c.def, now)
}

export interface Fired {
  trigger: Trigger
  /** The attribute changes the notification reports (watched ones, when watchedAttributes is set). */
  changes: AttrChange[]
}

const ATTR_TRIGGER: Record<AttrChange['kind'], Trigger> = {
  created: 'attributeCreated',
  updated: 'attributeUpdated',
  deleted: 'attributeDeleted',
}

/**
 * Which trigger a change fires for this subscription, if any. Creating an entity also creates its attributes, so
 * `attributeCreated` (in the default triggers) notifies new entities; deleting one fires only `entityDeleted`.
 * With watchedAttributes, only changes of those attributes count (and an entity must have one of them).
 */
export function firedBy(c: CompiledSubscription, ch: EntityChange): Fired | undefined {
  const w = c.watched
  const relevant = w ? ch.changes.filter((x) => w.has(x.attr)) : ch.changes
  const has = (e: EntityChange['current']) => !w || (e !== undefined && Object.keys(e.attrs).some((a) => w.has(a)))
  if (ch.kind === 'deleted') {
    return c.triggers.has('entityDeleted') && has(ch.previous) ? { trigger: 'entityDeleted', changes: [] } : undefined
  }
  if (ch.kind === 'created') {
    if (c.triggers.has('entityCreated') && has(ch.current)) return { trigger: 'entityCreated', changes: relevant }
    if (c.triggers.has('attributeCreated') && relevant.length) return { trigger: 'attributeCreated', changes: relevant }
    return undefined
  }
  if (c.triggers.has('entityUpdated') && (relevant.length || (!w && ch.changes.length === 0))) {
    return { trigger: 'entityUpdated', changes: relevant }
  }
  const hit = relevant.find((x) => c.triggers.has(ATTR_TRIGGER[x.kind]))
  return hit ? { trigger: ATTR_TRIGGER[hit.kind], changes: relevant } : undefined
}
