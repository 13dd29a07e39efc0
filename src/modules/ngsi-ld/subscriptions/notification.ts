/**
 * The Notification (clause 5.3.1) of a group of changes: `{ id, type, subscriptionId, notifiedAt, data }`, each
 * entity in the subscription's format with its attributes filtered and names compacted with the subscription's
 * @context (jsonldContext, else the one it was created with); deleted attributes shown with the NGSI-LD Null and
 * `deletedAt`, deleted entities as `{ id, type, deletedAt }`, previous values with showChanges. Also the headers.
 */
import { VERSION } from '../../../version.js'
import { type ActiveContext, contextLinkHeader, DEFAULT_RESPONSE_CONTEXT } from '../context/index.js'
import { compactTypes, formatEntity, NGSI_LD_NULL, selectGeometry } from '../format/index.js'
import { responseContextUrl } from '../http/respond.js'
import { type AttrType, type StoredEntity, VALUE_MEMBER } from '../model.js'
import type { SubscriptionDef } from './model.js'
import type { OutboxRow } from './outbox.js'

export const NOTIFICATION_ID_HEADER = 'NGSILD-Notification-Id'

const PREVIOUS: Record<AttrType, string> = {
  Property: 'previousValue',
  GeoProperty: 'previousValue',
  Relationship: 'previousObject',
  LanguageProperty: 'previousLanguageMap',
  JsonProperty: 'previousJson',
  ListProperty: 'previousValueList',
  ListRelationship: 'previousObjectList',
  VocabProperty: 'previousVocab',
}

export interface NotificationInput {
  notificationId: string
  subscriptionId: string
  tenant: string
  def: SubscriptionDef
  ctx: ActiveContext
  /** Outbox rows, or entities as they are now (periodic notifications). */
  items: (OutboxRow | StoredEntity)[]
  now: Date
}

export interface BuiltNotification {
  payload: Record<string, unknown>
  /** Content-Type, Link, NGSILD-Tenant, the idempotency headers and the receiverInfo ones. */
  headers: Record<string, string>
}

const isRow = (x: OutboxRow | StoredEntity): x is OutboxRow => 'seq' in x

function toStored(r: OutboxRow): StoredEntity {
  return {
    id: r.entityId,
    types: r.types,
    ...(r.scopes?.length ? { scopes: r.scopes } : {}),
    attrs: (r.attrs ?? {}) as StoredEntity['attrs'],
    createdAt: r.createdAt ?? r.modifiedAt,
    modifiedAt: r.modifiedAt,
  }
}

function previousMember(p: Record<string, unknown>, ctx: ActiveContext): [string, unknown] | undefined {
  const t = p.type as AttrType
  const m = VALUE_MEMBER[t]
  if (!m || p[m] === undefined) return undefined
  const v = p[m]
  if (t === 'VocabProperty') {
    return [PREVIOUS[t], Array.isArray(v) ? v.map((x) => ctx.compactVocab(String(x))) : ctx.compactVocab(String(v))]
  }
  return [PREVIOUS[t], v]
}

/** Adds `extra` members to the formatted instance with this datasetId (wrapping a bare concise value). */
function annotate(out: Record<string, unknown>, name: string, datasetId: string | undefined, extra: [string, unknown]) {
  const cur = out[name]
  const fix = (inst: unknown): unknown => {
    if (inst !== null && typeof inst === 'object' && !Array.isArray(inst)) {
      const o = inst as Record<string, unknown>
      return o.datasetId === datasetId ? { ...o, [extra[0]]: extra[1] } : o
    }
    return datasetId === undefined ? { value: inst, [extra[0]]: extra[1] } : inst
  }
  if (Array.isArray(cur) && cur.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
    out[name] = cur.map(fix)
  } else if (cur !== undefined) out[name] = fix(cur)
}

function renderEntity(item: OutboxRow | StoredEntity, def: SubscriptionDef, ctx: ActiveContext) {
  const n = def.notification
  if (isRow(item) && item.trigger === 'entityDeleted') {
    return { id: item.entityId, type: compactTypes(item.types, ctx), deletedAt: item.modifiedAt }
  }
  const stored = isRow(item) ? toStored(item) : item
  const out = formatEntity(stored, ctx, {
    format: n.format,
    sysAttrs: n.sysAttrs,
    ...(n.attributes ? { attrs: n.attributes } : {}),
    ...(def.lang ? { lang: def.lang } : {}),
  })
  if (!isRow(item) || !item.changes) return out
  for (const c of item.changes) {
    if (n.attributes && !n.attributes.includes(c.a)) continue
    const name = ctx.compact(c.a)
    const prev = n.showChanges && c.p ? previousMember(c.p, ctx) : undefined
    if (c.k === 'deleted') {
      if (n.format === 'keyValues') {
        if (out[name] === undefined) out[name] = NGSI_LD_NULL
        continue
      }
      const type = (c.p?.type as AttrType | undefined) ?? 'Property'
      const inst: Record<string, unknown> = { type, [VALUE_MEMBER[type] ?? 'value']: NGSI_LD_NULL }
      if (c.d !== undefined) inst.datasetId = c.d
      inst.deletedAt = item.modifiedAt
      if (prev) inst[prev[0]] = prev[1]
      const cur = out[name]
      out[name] = cur === undefined ? inst : [...(Array.isArray(cur) ? cur : [cur]), inst]
    } else if (prev && c.k === 'updated' && n.format !== 'keyValues') {
      annotate(out, name, c.d, prev)
    }
  }
  return out
}

function geoFeature(item: OutboxRow | StoredEntity, rendered: Record<string, unknown>, ctx: ActiveContext) {
  const { id, ...properties } = rendered
  const deleted = isRow(item) && item.trigger === 'entityDeleted'
  const stored = isRow(item) ? toStored(item) : item
  return {
    id,
    type: 'Feature',
    geometry: deleted ? null : selectGeometry(stored, ctx.expand('location')),
    properties,
  }
}

export function buildNotification(input: NotificationInput): BuiltNotification {
  const { def, ctx } = input
  const accept = def.notification.endpoint.accept
  const rendered = input.items.map((it) => renderEntity(it, def, ctx))
  const data =
    accept === 'application/geo+json'
      ? { type: 'FeatureCollection', features: input.items.map((it, i) => geoFeature(it, rendered[i]!, ctx)) }
      : rendered
  const id = `urn:ngsi-ld:Notification:${input.notificationId}`
  const payload: Record<string, unknown> = {
    ...(accept === 'application/ld+json'
      ? { '@context': def.contextUrl ?? ctx.value ?? DEFAULT_RESPONSE_CONTEXT }
      : {}),
    id,
    type: 'Notification',
    subscriptionId: input.subscriptionId,
    notifiedAt: input.now.toISOString(),
    data,
  }
  const headers: Record<string, string> = {
    'Content-Type': accept,
    'NGSILD-Tenant': input.tenant,
    [NOTIFICATION_ID_HEADER]: id,
    'Idempotency-Key': id,
    'User-Agent': `urbe/${VERSION}`,
  }
  if (accept !== 'application/ld+json') headers.Link = contextLinkHeader(def.contextUrl ?? responseContextUrl(ctx))
  for (const kv of def.notification.endpoint.receiverInfo ?? []) headers[kv.key] = kv.value
  return { payload, headers }
}
