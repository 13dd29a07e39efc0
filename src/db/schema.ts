/** Kysely table types. Keep in step with the SQL in ./migrations. */
import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** A column with a default or NULL: optional on insert. */
type Opt<T> = ColumnType<T, T | undefined, T>

export interface TenantsTable {
  id: string
  name: string
  province: Opt<string | null>
  region: Opt<string | null>
  /** geometry(MultiPolygon, 4326): read and write it through ST_AsGeoJSON / ST_GeomFromGeoJSON. */
  boundary: Opt<unknown>
  population: Opt<number | null>
  timezone: Opt<string>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface UsersTable {
  id: string
  username: string
  display_name: Opt<string | null>
  password_hash: string
  superadmin: Opt<boolean>
  disabled: Opt<boolean>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface UserRolesTable {
  tenant: string
  user_id: string
  role: string
  created_at: Timestamp
}

export interface SessionsTable {
  token_hash: string
  user_id: string
  csrf_token: string
  created_at: Timestamp
  expires_at: Timestamp
  ip: Opt<string | null>
  user_agent: Opt<string | null>
}

export interface ApiKeysTable {
  tenant: string
  id: string
  name: string
  key_hash: string
  role: string
  created_by: Opt<string | null>
  created_at: Timestamp
  expires_at: Opt<Date | string | null>
  revoked_at: Opt<Date | string | null>
  last_used_at: Opt<Date | string | null>
}

export interface LoginFailuresTable {
  at: Timestamp
  username: string
  ip: string
}

export interface AuditLogTable {
  tenant: string
  id: Generated<number>
  at: Timestamp
  actor: string
  action: string
  target: string
  details: ColumnType<Record<string, unknown>, string | undefined, string>
  request_id: Opt<string | null>
}

export interface SchemaMigrationsTable {
  version: number
  name: string
  applied_at: Timestamp
}

export interface NgsiEntitiesTable {
  tenant: string
  id: string
  types: string[]
  scopes: Opt<string[] | null>
  attrs: ColumnType<Record<string, unknown>, string, string>
  /** The index document of attrs (src/modules/ngsi-ld/search-doc.ts). */
  search: ColumnType<Record<string, unknown>, string, string>
  created_at: Timestamp
  modified_at: Timestamp
}

export interface NgsiEntityGeoTable {
  tenant: string
  entity_id: string
  attr: string
  dataset_id: Opt<string>
  geom: unknown
}

export interface NgsiContextsTable {
  url: string
  kind: 'Cached' | 'Hosted'
  body: ColumnType<unknown, string, string>
  bytes: number
  fetched_at: Timestamp
}

export interface DB {
  ngsi_entities: NgsiEntitiesTable
  ngsi_entity_geo: NgsiEntityGeoTable
  ngsi_contexts: NgsiContextsTable
  tenants: TenantsTable
  users: UsersTable
  user_roles: UserRolesTable
  sessions: SessionsTable
  api_keys: ApiKeysTable
  login_failures: LoginFailuresTable
  audit_log: AuditLogTable
  schema_migrations: SchemaMigrationsTable
}
