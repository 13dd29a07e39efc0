/**
 * Device gateway (src/modules/devices): service groups (API keys), devices with their attribute mapping, per-device
 * status, the command outbox, and what the demo simulator remembers (its backfill is done once).
 */
export default `
CREATE TABLE iot_service_groups (
  tenant text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  apikey text NOT NULL,
  topic_prefix text NOT NULL DEFAULT '',
  entity_type text NOT NULL,
  context text,
  protocol text NOT NULL DEFAULT 'json' CHECK (protocol IN ('json', 'ul')),
  autoprovision boolean NOT NULL DEFAULT false,
  attributes jsonb NOT NULL DEFAULT '[]',
  static_attributes jsonb NOT NULL DEFAULT '[]',
  commands jsonb NOT NULL DEFAULT '[]',
  command_timeout_seconds integer NOT NULL DEFAULT 60 CHECK (command_timeout_seconds > 0),
  description text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, apikey)
);
-- MQTT topics carry the key without the tenant: a key names one group on the whole platform.
CREATE UNIQUE INDEX iot_service_groups_apikey_uix ON iot_service_groups (apikey);

CREATE TABLE iot_devices (
  tenant text NOT NULL,
  device_id text NOT NULL,
  apikey text NOT NULL,
  entity_id text NOT NULL,
  entity_type text NOT NULL,
  protocol text NOT NULL CHECK (protocol IN ('json', 'ul')),
  transport text NOT NULL DEFAULT 'mqtt' CHECK (transport IN ('mqtt', 'http')),
  context text,
  attributes jsonb NOT NULL DEFAULT '[]',
  static_attributes jsonb NOT NULL DEFAULT '[]',
  commands jsonb NOT NULL DEFAULT '[]',
  location jsonb,
  description text,
  autoprovisioned boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, device_id),
  FOREIGN KEY (tenant, apikey) REFERENCES iot_service_groups (tenant, apikey) ON DELETE CASCADE
);
CREATE INDEX iot_devices_group_idx ON iot_devices (tenant, apikey, device_id);
CREATE INDEX iot_devices_entity_idx ON iot_devices (tenant, entity_id);

-- Kept apart from iot_devices: written every few seconds by the gateway, never by provisioning.
CREATE TABLE iot_device_status (
  tenant text NOT NULL,
  device_id text NOT NULL,
  last_seen_at timestamptz,
  messages bigint NOT NULL DEFAULT 0,
  measurements bigint NOT NULL DEFAULT 0,
  error_count bigint NOT NULL DEFAULT 0,
  last_error text,
  last_error_at timestamptz,
  PRIMARY KEY (tenant, device_id),
  FOREIGN KEY (tenant, device_id) REFERENCES iot_devices (tenant, device_id) ON DELETE CASCADE
);

-- The command outbox: a row is written in the transaction that changed the command attribute; a worker publishes it
-- after commit (claimed with FOR UPDATE SKIP LOCKED) and the device's answer or the timeout closes it.
CREATE TABLE iot_commands (
  tenant text NOT NULL,
  id bigserial,
  device_id text NOT NULL,
  entity_id text NOT NULL,
  command text NOT NULL,
  value jsonb,
  status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'OK', 'ERROR', 'EXPIRED')),
  info jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  answered_at timestamptz,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant, id),
  FOREIGN KEY (tenant, device_id) REFERENCES iot_devices (tenant, device_id) ON DELETE CASCADE
);
CREATE INDEX iot_commands_unsent_idx ON iot_commands (id) WHERE status = 'PENDING' AND sent_at IS NULL;
CREATE INDEX iot_commands_open_idx ON iot_commands (tenant, device_id, command, id) WHERE status = 'PENDING';
CREATE INDEX iot_commands_expiry_idx ON iot_commands (expires_at) WHERE status = 'PENDING';
CREATE INDEX iot_commands_device_idx ON iot_commands (tenant, device_id, id DESC);

CREATE TABLE iot_simulator_state (
  tenant text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name text NOT NULL,
  backfill_from timestamptz,
  backfill_to timestamptz,
  backfill_progress timestamptz,
  backfill_done_at timestamptz,
  PRIMARY KEY (tenant, name)
);
`
