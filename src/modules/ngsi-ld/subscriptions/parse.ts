/**
 * Subscription payloads (clause 5.2.12) for create (5.8.1) and update (5.8.2): each member is validated on its own
 * (clear 400s), names are expanded with the request's @context, and the expansions `q` and type expressions need
 * are recorded, so that the stored definition can be compiled to SQL without the @context. An update merges the
 * given members into the stored ones (`null` removes an optional member) and the whole is checked again.
 */
import { AppError } from '../../../errors.js'
import type { ActiveContext } from '../context/index.js'
import { isUri, normalizeDateTime } from '../format/index.js'
import { compileQ, compileScopeQ, parseGeoQuery, parseQ, parseScopeQ, toPgRegex } from '../query/index.js'
import { compileTypeExpression, parseTypeExpression } from '../type-query.js'
import { DEFAULT_TRIGGERS, type SelectorDef, type SubscriptionDef, TRIGGERS, type Trigger } from './model.js'
import { bool, isObject, nameList, parseNotification, positiveNumber } from './parse-notification.js'

const bad = (m: string) => new AppError('BadRequestData', m)

export interface StoredSubscription {
  /** The subscription as the API shows it (names as written), without the status members. */
  view: Record<string, unknown>
  def: SubscriptionDef
}

const UNSUPPORTED = ['csf', 'temporalQ', 'join', 'joinLevel', 'datasetId']
const OPTIONAL = [
  'subscriptionName',
  'description',
  'entities',
  'watchedAttributes',
  'q',
  'geoQ',
  'scopeQ',
  'timeInterval',
  'throttling',
  'expiresAt',
  'lang',
  'jsonldContext',
  'notificationTrigger',
] as const

function text(v: unknown, name: string, max: number): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw bad(`${name} must be a string of 1 to ${max}`)
  return v
}

function parseSelector(v: unknown, ctx: ActiveContext): SelectorDef {
  if (!isObject(v)) throw bad('entities: every entity selector must be an object')
  const sel: SelectorDef = {}
  if (v.id !== undefined) {
    if (!isUri(v.id) || v.id.length > 1024) throw bad(`entities: id "${String(v.id).slice(0, 100)}" is not a URI`)
    sel.id = v.id
  }
  if (v.idPattern !== undefined && sel.id === undefined) {
    sel.idPattern = text(v.idPattern, 'entities.idPattern', 600)
    toPgRegex(sel.idPattern)
  }
  if (v.type !== undefined) {
    sel.type = text(v.type, 'entities.type', 1024)
    const iris: Record<string, string> = {}
    compileTypeExpression(parseTypeExpression(sel.type), (t) => {
      iris[t] = ctx.expand(t)
      return iris[t]
    })
    sel.typeIris = iris
  }
  if (sel.id === undefined && sel.idPattern === undefined && sel.type === undefined) {
    throw bad('entities: an entity selector needs a type, an id or an idPattern')
  }
  return sel
}

/** The `q` of a subscription, checked, with every name's expansion recorded. */
export function recordQ(q: string, ctx: ActiveContext): Pick<SubscriptionDef, 'q' | 'qTerms' | 'qVocab'> {
  const qTerms: Record<string, string> = {}
  const qVocab: Record<string, string> = {}
  compileQ(parseQ(q), {
    expand: (t) => {
      qTerms[t] = ctx.expand(t)
      return qTerms[t]
    },
    expandVocab: (v) => {
      qVocab[v] = ctx.expandVocab(v)
      return qVocab[v]
    },
  })
  return { q, qTerms, qVocab }
}

function triggers(v: unknown): Trigger[] {
  if (!Array.isArray(v) || v.length === 0) throw bad(`notificationTrigger must be a non-empty list of ${TRIGGERS}`)
  for (const t of v) {
    if (!TRIGGERS.includes(t as Trigger)) throw bad(`notificationTrigger: unknown trigger "${String(t).slice(0, 60)}"`)
  }
  return [...new Set(v as Trigger[])]
}

/** One optional member: its view value and its part of the definition. */
function member(key: (typeof OPTIONAL)[number], v: unknown, ctx: ActiveContext, now: number) {
  switch (key) {
    case 'subscriptionName':
    case 'description':
      return { view: text(v, key, 10_000), def: {} }
    case 'entities': {
      if (!Array.isArray(v) || v.length === 0 || v.length > 100)
        throw bad('entities must be a list of 1 to 100 selectors')
      return { view: v, def: { entities: v.map((s) => parseSelector(s, ctx)) } }
    }
    case 'watchedAttributes': {
      const l = nameList(v, key, ctx)
      return { view: l.given, def: { watched: l.iris } }
    }
    case 'q':
      return { view: v, def: recordQ(text(v, 'q', 5000), ctx) }
    case 'scopeQ':
      compileScopeQ(parseScopeQ(text(v, 'scopeQ', 3000)))
      return { view: v, def: { scopeQ: v as string } }
    case 'geoQ': {
      if (!isObject(v)) throw bad('geoQ must be an object with georel, geometry and coordinates')
      return { view: v, def: { geoQ: parseGeoQuery(v, (t) => ctx.expand(t)) } }
    }
    case 'timeInterval':
      return { view: v, def: { timeInterval: positiveNumber(v, key, 366 * 86_400) } }
    case 'throttling':
      return { view: v, def: { throttling: positiveNumber(v, key, 366 * 86_400) } }
    case 'expiresAt': {
      const iso = normalizeDateTime(v)
      if (!iso) throw bad('expiresAt must be a DateTime such as 2030-01-01T00:00:00Z')
      if (Date.parse(iso) <= now) throw bad('expiresAt must be in the future')
      return { view: iso, def: { expiresAt: iso } }
    }
    case 'lang':
      return { view: v, def: { lang: text(v, 'lang', 200) } }
    case 'jsonldContext': {
      const url = text(v, key, 2048)
      if (!/^https?:\/\/\S+$/.test(url)) throw bad('jsonldContext must be an http(s) URL')
      return { view: url, def: { contextUrl: url } }
    }
    case 'notificationTrigger': {
      const t = triggers(v)
      return { view: t, def: { triggers: t } }
    }
  }
}

const DEF_KEYS: Record<(typeof OPTIONAL)[number], (keyof SubscriptionDef)[]> = {
  subscriptionName: [],
  description: [],
  entities: ['entities'],
  watchedAttributes: ['watched'],
  q: ['q', 'qTerms', 'qVocab'],
  scopeQ: ['scopeQ'],
  geoQ: ['geoQ'],
  timeInterval: ['timeInterval'],
  throttling: ['throttling'],
  expiresAt: ['expiresAt'],
  lang: ['lang'],
  jsonldContext: ['contextUrl'],
  notificationTrigger: ['triggers'],
}

/** The checks that involve several members (clause 5.2.12 and 5.8.1). */
function checkWhole(def: SubscriptionDef): void {
  if (!def.entities && !def.watched) throw bad('A subscription needs entities or watchedAttributes (or both)')
  if (def.timeInterval !== undefined && def.watched) {
    throw bad('timeInterval (periodic notifications) cannot be combined with watchedAttributes')
  }
  if (def.timeInterval !== undefined && def.throttling !== undefined) {
    throw bad('timeInterval cannot be combined with throttling')
  }
  if (def.timeInterval !== undefined && !def.entities)
    throw bad('A periodic subscription (timeInterval) needs entities')
}

/**
 * Parses a create payload (`stored` undefined) or merges an update fragment into `stored`. Returns the new view and
 * definition; `id` is the id given in the payload, if any.
 */
export function parseSubscription(
  body: unknown,
  ctx: ActiveContext,
  opts: { now?: number; stored?: StoredSubscription } = {},
): StoredSubscription & { id?: string } {
  if (!isObject(body)) throw bad('The payload must be a Subscription object')
  const now = opts.now ?? Date.now()
  const stored = opts.stored
  if (stored ? body.type !== undefined && body.type !== 'Subscription' : body.type !== 'Subscription') {
    throw bad('The payload must have "type": "Subscription"')
  }
  for (const k of UNSUPPORTED) {
    if (body[k] !== undefined) throw new AppError('OperationNotSupported', `${k} is not supported in subscriptions`)
  }
  let id: string | undefined
  if (body.id !== undefined) {
    if (!isUri(body.id) || body.id.length > 1024) throw bad('The subscription id must be a URI')
    id = body.id
  }
  const view: Record<string, unknown> = stored ? { ...stored.view } : { type: 'Subscription' }
  const def: Record<string, unknown> = stored ? { ...stored.def } : {}
  for (const key of OPTIONAL) {
    const v = body[key]
    if (v === undefined) continue
    if (v === null || v === 'urn:ngsi-ld:null') {
      delete view[key]
      for (const d of DEF_KEYS[key]) delete def[d]
      continue
    }
    const m = member(key, v, ctx, now)
    view[key] = m.view
    for (const d of DEF_KEYS[key]) delete def[d]
    Object.assign(def, m.def)
  }
  if (body.isActive !== undefined) view.isActive = def.isActive = bool(body.isActive, 'isActive')
  // showChanges and sysAttrs belong to NotificationParams; accepted at the top level too.
  const top: Record<string, unknown> = {}
  for (const k of ['showChanges', 'sysAttrs'] as const) if (body[k] !== undefined) top[k] = body[k]
  if (body.notification !== undefined || Object.keys(top).length) {
    const given = body.notification === undefined ? {} : body.notification
    if (!isObject(given)) throw bad('notification must be an object with an endpoint')
    const existing = stored
      ? { view: stored.view.notification as Record<string, unknown>, def: stored.def.notification }
      : undefined
    const n = parseNotification({ ...top, ...given }, ctx, existing)
    view.notification = n.view
    def.notification = n.def
  } else if (!stored) {
    throw bad('notification is required')
  }
  def.isActive ??= true
  def.triggers ??= [...DEFAULT_TRIGGERS]
  const full = def as unknown as SubscriptionDef
  checkWhole(full)
  return { ...(id ? { id } : {}), view, def: full }
}
