/**
 * NGSI-LD subscriptions (clause 5.8) and their notifications (5.11), delivered from an outbox.
 *
 * - `ngsi_subscriptions`: the subscription as shown by the API (`body`) and its definition with names expanded
 *   (`def`), per tenant.
 * - `ngsi_subscription_versions`: one counter per tenant, bumped by every subscription change, so that each server
 *   process knows with one primary-key read whether its cache of a tenant's subscriptions is current.
 * - `ngsi_subscription_delivery`: the delivery lane of a subscription: who holds it (lease), when it may next be
 *   tried (backoff, throttling), the next periodic notification, and the counters the API reports.
 * - `ngsi_notifications`: the outbox. A row per (subscription, changed entity), written in the same transaction as
 *   the change, with the entity as it was then; deleted once delivered.
 * - `inflight` of a lane: the notifications being sent (ids and outbox rows), recorded before they are sent, so that a
 *   retry (or another process, after a crash) repeats the same notifications with the same ids.
 * No foreign keys on the outbox: every write would lock the subscription row; rows of deleted subscriptions are
 * removed with them and by a periodic sweep.
 */
export default `
CREATE TABLE ngsi_subscriptions (
  tenant text NOT NULL,
  id text NOT NULL,
  body jsonb NOT NULL,
  def jsonb NOT NULL,
  context jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);

CREATE TABLE ngsi_subscription_versions (
  tenant text PRIMARY KEY,
  version bigint NOT NULL
);

CREATE TABLE ngsi_subscription_delivery (
  tenant text NOT NULL,
  subscription_id text NOT NULL,
  endpoint text NOT NULL,
  next_at timestamptz NOT NULL DEFAULT now(),
  periodic_at timestamptz,
  lease_until timestamptz,
  lease_owner text,
  inflight jsonb,
  failures integer NOT NULL DEFAULT 0,
  times_sent bigint NOT NULL DEFAULT 0,
  times_failed bigint NOT NULL DEFAULT 0,
  times_dropped bigint NOT NULL DEFAULT 0,
  last_notification timestamptz,
  last_success timestamptz,
  last_failure timestamptz,
  last_error text,
  PRIMARY KEY (tenant, subscription_id),
  FOREIGN KEY (tenant, subscription_id) REFERENCES ngsi_subscriptions (tenant, id) ON DELETE CASCADE
);
CREATE INDEX ngsi_subscription_delivery_next ON ngsi_subscription_delivery (next_at);

CREATE TABLE ngsi_notifications (
  seq bigserial PRIMARY KEY,
  tenant text NOT NULL,
  subscription_id text NOT NULL,
  entity_id text NOT NULL,
  trigger text NOT NULL,
  changes jsonb,
  types text[] NOT NULL,
  scopes text[],
  attrs jsonb,
  created_at timestamptz,
  modified_at timestamptz,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ngsi_notifications_lane ON ngsi_notifications (tenant, subscription_id, seq);
`
