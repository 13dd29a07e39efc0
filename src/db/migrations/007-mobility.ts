/**
 * Mobility and tourism analytics (docs/mobility.md): zones, presence counts as one row per (zone, local day, class,
 * origin) with the 24 hourly values, their roll-up over the Comune per day, origin-destination flows and their
 * monthly roll-up, imports, and per-tenant settings. `hidden` is a 24-bit mask of the hours a cell is suppressed
 * (primary or complementary suppression against the tenant's k), computed when the day is written.
 * Class codes: 0 resident, 1 commuter, 2 italian_visitor, 3 foreign_visitor, 4 activity, 9 all people classes.
 */
export default `
CREATE TABLE mob_settings (
  tenant text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  k integer NOT NULL DEFAULT 30 CHECK (k BETWEEN 1 AND 10000),
  mapping jsonb NOT NULL DEFAULT '{}'::jsonb,
  synthetic boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE mob_zone (
  tenant text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  zone text NOT NULL,
  layer text NOT NULL,
  name text,
  geom geometry(Geometry, 4326) NOT NULL,
  PRIMARY KEY (tenant, zone)
);
CREATE INDEX mob_zone_geom_gix ON mob_zone USING gist (geom);

CREATE TABLE mob_presence (
  tenant text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  zone text NOT NULL,
  day date NOT NULL,
  class smallint NOT NULL,
  origin text NOT NULL DEFAULT '',
  counts real[] NOT NULL,
  dwell real[],
  hidden integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, zone, day, class, origin)
);
CREATE INDEX mob_presence_day ON mob_presence (tenant, day, class);

CREATE TABLE mob_day (
  tenant text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  day date NOT NULL,
  class smallint NOT NULL,
  origin text NOT NULL DEFAULT '',
  counts real[] NOT NULL,
  hidden integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, day, class, origin)
);

CREATE TABLE mob_flow (
  tenant text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  day date NOT NULL,
  origin text NOT NULL,
  destination text NOT NULL,
  band smallint NOT NULL,
  band_end smallint NOT NULL,
  class smallint NOT NULL,
  count real NOT NULL,
  PRIMARY KEY (tenant, day, origin, destination, band, class)
);

CREATE TABLE mob_flow_month (
  tenant text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  month date NOT NULL,
  class smallint NOT NULL,
  origin text NOT NULL,
  destination text NOT NULL,
  count real NOT NULL,
  PRIMARY KEY (tenant, month, class, origin, destination)
);
CREATE INDEX mob_flow_month_top ON mob_flow_month (tenant, month, count DESC);

CREATE TABLE mob_import (
  id bigserial PRIMARY KEY,
  tenant text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  kind text NOT NULL,
  format text NOT NULL,
  filename text,
  actor text,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  status text NOT NULL DEFAULT 'running',
  rows bigint NOT NULL DEFAULT 0,
  imported bigint NOT NULL DEFAULT 0,
  rejected bigint NOT NULL DEFAULT 0,
  first_day date,
  last_day date,
  problems jsonb NOT NULL DEFAULT '[]'::jsonb
);
CREATE INDEX mob_import_tenant ON mob_import (tenant, id DESC);
`
