/**
 * NGSI-LD current state. Attributes as JSONB keyed by expanded IRI (see src/modules/ngsi-ld/model.ts); GeoProperties
 * projected to PostGIS geometries for indexed geo-queries; user @contexts cached once fetched.
 */
export default `
CREATE TABLE ngsi_entities (
  tenant text NOT NULL,
  id text NOT NULL,
  types text[] NOT NULL,
  scopes text[],
  attrs jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);
-- fastupdate off: no pending list to scan on each probe (the embedded database has no autovacuum to merge it)
CREATE INDEX ngsi_entities_types_gin ON ngsi_entities USING gin (types) WITH (fastupdate = off);
CREATE INDEX ngsi_entities_attrs_gin ON ngsi_entities USING gin (attrs jsonb_path_ops) WITH (fastupdate = off);
CREATE INDEX ngsi_entities_scopes_gin ON ngsi_entities USING gin (scopes) WITH (fastupdate = off);

CREATE TABLE ngsi_entity_geo (
  tenant text NOT NULL,
  entity_id text NOT NULL,
  attr text NOT NULL,
  dataset_id text NOT NULL DEFAULT '',
  geom geometry(Geometry, 4326) NOT NULL,
  PRIMARY KEY (tenant, entity_id, attr, dataset_id),
  FOREIGN KEY (tenant, entity_id) REFERENCES ngsi_entities (tenant, id) ON DELETE CASCADE
);
CREATE INDEX ngsi_entity_geo_geog ON ngsi_entity_geo USING gist ((geom::geography));
CREATE INDEX ngsi_entity_geo_geom ON ngsi_entity_geo USING gist (geom);

CREATE TABLE ngsi_contexts (
  url text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('Cached', 'Hosted')),
  body jsonb NOT NULL,
  bytes integer NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now()
);
`
