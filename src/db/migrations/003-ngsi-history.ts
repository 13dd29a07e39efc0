/**
 * NGSI-LD history (temporal API, ETSI GS CIM 009 clause 5.8): every attribute instance ever written, append-only.
 *
 * `ngsi_attr_history` is partitioned by LIST (tenant), each tenant's table by RANGE (observed_at) per calendar month
 * (UTC), so that retention drops whole partitions per tenant. Partitions are created on demand by
 * `ngsi_history_partition(tenant, month)` (CREATE TABLE + ATTACH PARTITION: a SHARE UPDATE EXCLUSIVE lock on the parent,
 * which does not block concurrent inserts), serialized per tenant by an advisory lock so that several servers can
 * write at once, and recorded in `ngsi_history_partitions`.
 *
 * `ngsi_temporal_entities` lists the entities that have a temporal representation (type and attribute names), also
 * after the entity itself is deleted; it is filled here from the current entities.
 */
export default `
CREATE TABLE ngsi_attr_history (
  observed_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  modified_at timestamptz NOT NULL,
  num double precision,
  instance_id uuid NOT NULL DEFAULT gen_random_uuid(),
  deleted boolean NOT NULL DEFAULT false,
  tenant text NOT NULL,
  entity_id text NOT NULL,
  attr text NOT NULL,
  dataset_id text NOT NULL DEFAULT '',
  inst jsonb NOT NULL,
  -- the series (entity, attribute) as a 64-bit hash: a short index key; reads also check entity_id and attr
  sid bigint GENERATED ALWAYS AS (hashtextextended(entity_id || ' ' || attr, 0)) STORED
) PARTITION BY LIST (tenant);
-- Range scans of one series (lastN, a time window) and, covering the numbers, index-only aggregations.
CREATE INDEX ngsi_attr_history_series ON ngsi_attr_history (sid, observed_at) INCLUDE (tenant, dataset_id, num, deleted);

CREATE TABLE ngsi_history_partitions (
  tenant text NOT NULL,
  month date NOT NULL,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, month)
);

CREATE TABLE ngsi_temporal_entities (
  tenant text NOT NULL,
  id text NOT NULL,
  types text[] NOT NULL,
  attr_names text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);
CREATE INDEX ngsi_temporal_entities_types_gin ON ngsi_temporal_entities USING gin (types) WITH (fastupdate = off);

INSERT INTO ngsi_temporal_entities (tenant, id, types, attr_names, created_at)
SELECT tenant, id, types, ARRAY(SELECT jsonb_object_keys(attrs)), created_at FROM ngsi_entities;

-- Creates the partition of (tenant, month) for history rows if missing. Returns true when it exists and was committed
-- by another transaction (so a caller may remember it), false when this transaction created it (it may roll back).
CREATE FUNCTION ngsi_history_partition(p_tenant text, p_month date) RETURNS boolean LANGUAGE plpgsql AS $fn$
DECLARE
  base text := 'ngsi_hist_' || left(regexp_replace(lower(p_tenant), '[^a-z0-9]', '_', 'g'), 24) || '_'
    || left(md5(p_tenant), 8);
  leaf text := base || '_' || to_char(p_month, 'YYYYMM');
  m date := date_trunc('month', p_month)::date;
  committed boolean;
BEGIN
  -- created_at < now(): committed by another transaction (rows of this one carry now(), its start time).
  SELECT p.created_at < now() INTO committed FROM ngsi_history_partitions p WHERE p.tenant = p_tenant AND p.month = m;
  IF FOUND THEN
    RETURN committed;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('ngsi_history:' || p_tenant, 7315420003));
  SELECT p.created_at < now() INTO committed FROM ngsi_history_partitions p WHERE p.tenant = p_tenant AND p.month = m;
  IF FOUND THEN
    RETURN committed;
  END IF;
  IF to_regclass(quote_ident(base)) IS NULL THEN
    EXECUTE format('CREATE TABLE %I (LIKE ngsi_attr_history INCLUDING DEFAULTS INCLUDING GENERATED)
      PARTITION BY RANGE (observed_at)', base);
    EXECUTE format('ALTER TABLE ngsi_attr_history ATTACH PARTITION %I FOR VALUES IN (%L)', base, p_tenant);
  END IF;
  -- vacuumed often enough that index-only scans find pages all-visible (autovacuum; PGlite has none)
  EXECUTE format('CREATE TABLE %I (LIKE ngsi_attr_history INCLUDING DEFAULTS INCLUDING GENERATED)
    WITH (autovacuum_vacuum_insert_scale_factor = 0.02)', leaf);
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', base, leaf,
    to_char(m, 'YYYY-MM-DD') || ' 00:00:00+00', to_char((m + interval '1 month')::date, 'YYYY-MM-DD') || ' 00:00:00+00');
  INSERT INTO ngsi_history_partitions (tenant, month, name) VALUES (p_tenant, m, leaf);
  RETURN false;
END
$fn$;
`
