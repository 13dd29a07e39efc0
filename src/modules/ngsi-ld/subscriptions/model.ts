/**
 * NGSI-LD subscriptions (ETSI GS CIM 009 v1.8.1 clause 5.2.12 Subscription, 5.2.14 NotificationParams, 5.2.15
 * Endpoint): the stored definition, with every name expanded to its IRI so that matching never needs the @context
 * (it runs inside write transactions), and the expansions the `q` / type compilers asked for recorded once.
 */
import type { EntityFormat } from '../format/index.js'
import type { GeoQuery } from '../query/index.js'

export const TRIGGERS = [
  'entityCreated',
  'entityUpdated',
  'entityDeleted',
  'attributeCreated',
  'attributeUpdated',
  'attributeDeleted',
] as const
export type Trigger = (typeof TRIGGERS)[number]

/** Clause 5.2.12: when notificationTrigger is absent. */
export const DEFAULT_TRIGGERS: readonly Trigger[] = ['attributeCreated', 'attributeUpdated']

export const ACCEPTS = ['application/json', 'application/ld+json', 'application/geo+json'] as const
export type Accept = (typeof ACCEPTS)[number]

export interface KeyValue {
  key: string
  value: string
}

export interface EndpointDef {
  uri: string
  accept: Accept
  /** Milliseconds (Endpoint.timeout). */
  timeout?: number
  cooldown?: number
  receiverInfo?: KeyValue[]
  notifierInfo?: KeyValue[]
}

export interface SelectorDef {
  id?: string
  idPattern?: string
  /** The type (or type expression) as written, with the expansion of each of its names. */
  type?: string
  typeIris?: Record<string, string>
}

export interface NotificationDef {
  /** Expanded attribute IRIs to include (all when absent). */
  attributes?: string[]
  format: EntityFormat
  sysAttrs: boolean
  showChanges: boolean
  endpoint: EndpointDef
}

/** What matching and delivery need, in the stored (`def` column) form. */
export interface SubscriptionDef {
  entities?: SelectorDef[]
  /** Expanded attribute IRIs. */
  watched?: string[]
  triggers: Trigger[]
  q?: string
  /** term -> IRI for every name of `q` (recorded when the subscription was written, with its @context). */
  qTerms?: Record<string, string>
  qVocab?: Record<string, string>
  scopeQ?: string
  geoQ?: GeoQuery
  /** Seconds: periodic notifications (clause 5.8.1), instead of notifications on change. */
  timeInterval?: number
  /** Seconds: at most one notification per period. */
  throttling?: number
  expiresAt?: string
  isActive: boolean
  lang?: string
  notification: NotificationDef
  /** `jsonldContext`: the @context notifications are compacted with (else the subscription's own). */
  contextUrl?: string
}

export type SubscriptionStatus = 'active' | 'paused' | 'expired' | 'failed'

/** The delivery state of a subscription (table ngsi_subscription_delivery). */
export interface DeliveryState {
  failures: number
  timesSent: number
  timesFailed: number
  lastNotification?: string
  lastSuccess?: string
  lastFailure?: string
  lastError?: string
}

export function isExpired(def: SubscriptionDef, now = Date.now()): boolean {
  return def.expiresAt !== undefined && Date.parse(def.expiresAt) <= now
}

export function statusOf(def: SubscriptionDef, delivery: DeliveryState | undefined, now = Date.now()) {
  if (!def.isActive) return 'paused'
  if (isExpired(def, now)) return 'expired'
  if (delivery && delivery.failures > 0) return 'failed'
  return 'active'
}

/** The endpoint key for per-endpoint limits: scheme, host and port. */
export function endpointKey(uri: string): string {
  const u = new URL(uri)
  const port = u.port || { 'http:': '80', 'https:': '443', 'mqtt:': '1883', 'mqtts:': '8883' }[u.protocol] || ''
  return `${u.protocol}//${u.hostname}:${port}`
}
