/**
 * A stored subscription as the API shows it (clause 5.2.12): its members as written, names compacted with the
 * request's @context where they were expanded, and the status members (status, notification.status, timesSent,
 * timesFailed, lastNotification, lastSuccess, lastFailure).
 */
import type { ActiveContext } from '../context/index.js'
import { statusOf } from './model.js'
import type { SubscriptionRow } from './repo.js'

export function renderSubscription(
  row: SubscriptionRow,
  ctx: ActiveContext,
  opts: { sysAttrs?: boolean; now?: number } = {},
): Record<string, unknown> {
  const { def, view, delivery } = row
  const out: Record<string, unknown> = { id: row.id, type: 'Subscription' }
  for (const [k, v] of Object.entries(view)) if (k !== 'type' && k !== 'id') out[k] = v
  if (def.entities && Array.isArray(view.entities)) {
    out.entities = def.entities.map((sel, i) => {
      const given = { ...((view.entities as Record<string, unknown>[])[i] ?? {}) }
      const iri = sel.type !== undefined ? sel.typeIris?.[sel.type] : undefined
      if (iri) given.type = ctx.compact(iri)
      return given
    })
  }
  if (def.watched) out.watchedAttributes = def.watched.map((a) => ctx.compact(a))
  if (def.geoQ && view.geoQ) out.geoQ = { ...(view.geoQ as object), geoproperty: ctx.compact(def.geoQ.geoproperty) }
  out.notificationTrigger = def.triggers
  out.isActive = def.isActive
  out.status = statusOf(def, delivery, opts.now)
  const n: Record<string, unknown> = { ...((view.notification as Record<string, unknown>) ?? {}) }
  if (def.notification.attributes) n.attributes = def.notification.attributes.map((a) => ctx.compact(a))
  if (delivery.lastNotification) n.status = delivery.failures > 0 ? 'failed' : 'ok'
  n.timesSent = delivery.timesSent
  n.timesFailed = delivery.timesFailed
  for (const k of ['lastNotification', 'lastSuccess', 'lastFailure'] as const) if (delivery[k]) n[k] = delivery[k]
  out.notification = n
  if (opts.sysAttrs) {
    out.createdAt = row.createdAt
    out.modifiedAt = row.modifiedAt
  }
  return out
}
