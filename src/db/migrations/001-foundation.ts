/** Tenants (Comuni), users, roles, sessions, API keys, login rate limiting, audit log. */
export default `
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE tenants (
  id text PRIMARY KEY,
  name text NOT NULL,
  province text,
  region text,
  boundary geometry(MultiPolygon, 4326),
  population integer CHECK (population IS NULL OR population >= 0),
  timezone text NOT NULL DEFAULT 'Europe/Rome',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenants_boundary_gix ON tenants USING gist (boundary);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text,
  password_hash text NOT NULL,
  superadmin boolean NOT NULL DEFAULT false,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_roles (
  tenant text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, user_id)
);
CREATE INDEX user_roles_user_idx ON user_roles (user_id);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

CREATE TABLE api_keys (
  tenant text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id text NOT NULL,
  name text NOT NULL,
  key_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz,
  PRIMARY KEY (tenant, id)
);
CREATE UNIQUE INDEX api_keys_id_uix ON api_keys (id);

CREATE TABLE login_failures (
  at timestamptz NOT NULL DEFAULT now(),
  username text NOT NULL,
  ip text NOT NULL
);
CREATE INDEX login_failures_user_idx ON login_failures (username, at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);

CREATE TABLE audit_log (
  tenant text NOT NULL,
  id bigserial,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  request_id text,
  PRIMARY KEY (tenant, id)
);
CREATE INDEX audit_log_at_idx ON audit_log (tenant, at DESC);
`
