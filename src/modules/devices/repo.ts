/** SQL of the device registry: service groups and devices (raw `sql`, tables of migration 005). */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { Device, ServiceGroup } from './model.js'

type Db = Kysely<DB>

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : new Date(String(d)).toISOString())
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T))

export function rowToGroup(r: Record<string, unknown>): ServiceGroup {
  return {
    tenant: r.tenant as string,
    apikey: r.apikey as string,
    topic_prefix: r.topic_prefix as string,
    entity_type: r.entity_type as string,
    ...(r.context ? { context: r.context as string } : {}),
    protocol: r.protocol as ServiceGroup['protocol'],
    autoprovision: r.autoprovision as boolean,
    attributes: json(r.attributes),
    static_attributes: json(r.static_attributes),
    commands: json(r.commands),
    command_timeout_seconds: Number(r.command_timeout_seconds),
    ...(r.description ? { description: r.description as string } : {}),
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  }
}

export function rowToDevice(r: Record<string, unknown>): Device {
  return {
    tenant: r.tenant as string,
    device_id: r.device_id as string,
    apikey: r.apikey as string,
    entity_name: r.entity_id as string,
    entity_type: r.entity_type as string,
    protocol: r.protocol as Device['protocol'],
    transport: r.transport as Device['transport'],
    ...(r.context ? { context: r.context as string } : {}),
    attributes: json(r.attributes),
    static_attributes: json(r.static_attributes),
    commands: json(r.commands),
    ...(r.location ? { location: json(r.location) } : {}),
    ...(r.description ? { description: r.description as string } : {}),
    autoprovisioned: r.autoprovisioned as boolean,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  }
}

const j = (v: unknown) => JSON.stringify(v ?? [])

// ---- service groups

export async function insertGroup(db: Db, g: Omit<ServiceGroup, 'created_at' | 'updated_at'>): Promise<boolean> {
  const r = await sql`INSERT INTO iot_service_groups (tenant, apikey, topic_prefix, entity_type, context, protocol,
      autoprovision, attributes, static_attributes, commands, command_timeout_seconds, description)
    VALUES (${g.tenant}, ${g.apikey}, ${g.topic_prefix}, ${g.entity_type}, ${g.context ?? null}, ${g.protocol},
      ${g.autoprovision}, ${j(g.attributes)}::jsonb, ${j(g.static_attributes)}::jsonb, ${j(g.commands)}::jsonb,
      ${g.command_timeout_seconds}, ${g.description ?? null})
    ON CONFLICT DO NOTHING`.execute(db)
  return Number(r.numAffectedRows ?? 0) > 0
}

export async function updateGroup(db: Db, g: ServiceGroup): Promise<void> {
  await sql`UPDATE iot_service_groups SET topic_prefix = ${g.topic_prefix}, entity_type = ${g.entity_type},
      context = ${g.context ?? null}, protocol = ${g.protocol}, autoprovision = ${g.autoprovision},
      attributes = ${j(g.attributes)}::jsonb, static_attributes = ${j(g.static_attributes)}::jsonb,
      commands = ${j(g.commands)}::jsonb, command_timeout_seconds = ${g.command_timeout_seconds},
      description = ${g.description ?? null}, updated_at = now()
    WHERE tenant = ${g.tenant} AND apikey = ${g.apikey}`.execute(db)
}

export async function getGroup(db: Db, tenant: string, apikey: string): Promise<ServiceGroup | undefined> {
  const r = await sql<Record<string, unknown>>`SELECT * FROM iot_service_groups
    WHERE tenant = ${tenant} AND apikey = ${apikey}`.execute(db)
  return r.rows[0] ? rowToGroup(r.rows[0]) : undefined
}

/** A group by its key alone (MQTT topics and HTTP `?k=` carry no tenant). */
export async function groupByApikey(db: Db, apikey: string): Promise<ServiceGroup | undefined> {
  const r = await sql<Record<string, unknown>>`SELECT * FROM iot_service_groups WHERE apikey = ${apikey}`.execute(db)
  return r.rows[0] ? rowToGroup(r.rows[0]) : undefined
}

export async function listGroups(db: Db, tenant: string): Promise<ServiceGroup[]> {
  const r = await sql<Record<string, unknown>>`SELECT * FROM iot_service_groups WHERE tenant = ${tenant}
    ORDER BY created_at, apikey`.execute(db)
  return r.rows.map(rowToGroup)
}

export async function deleteGroup(db: Db, tenant: string, apikey: string): Promise<boolean> {
  const r = await sql`DELETE FROM iot_service_groups WHERE tenant = ${tenant} AND apikey = ${apikey}`.execute(db)
  return Number(r.numAffectedRows ?? 0) > 0
}

export async function topicPrefixes(db: Db): Promise<string[]> {
  const r = await sql<{ p: string }>`SELECT DISTINCT topic_prefix AS p FROM iot_service_groups ORDER BY 1`.execute(db)
  return r.rows.map((x) => x.p)
}

// ---- devices

/** Writes devices (one statement); `replace` overwrites existing ones, otherwise they are left alone. */
export async function writeDevices(db: Db, devices: readonly Device[], replace: boolean): Promise<Set<string>> {
  if (devices.length === 0) return new Set()
  const tenant = devices[0]!.tenant
  const col = <K extends keyof Device>(k: K) => devices.map((d) => d[k])
  const jcol = (k: 'attributes' | 'static_attributes' | 'commands' | 'location') =>
    devices.map((d) => (d[k] === undefined ? null : JSON.stringify(d[k])))
  const conflict = replace
    ? sql`ON CONFLICT (tenant, device_id) DO UPDATE SET apikey = EXCLUDED.apikey, entity_id = EXCLUDED.entity_id,
        entity_type = EXCLUDED.entity_type, protocol = EXCLUDED.protocol, transport = EXCLUDED.transport,
        context = EXCLUDED.context, attributes = EXCLUDED.attributes, static_attributes = EXCLUDED.static_attributes,
        commands = EXCLUDED.commands, location = EXCLUDED.location, description = EXCLUDED.description,
        autoprovisioned = EXCLUDED.autoprovisioned, updated_at = now()`
    : sql`ON CONFLICT (tenant, device_id) DO NOTHING`
  const r = await sql<{ device_id: string }>`INSERT INTO iot_devices (tenant, device_id, apikey, entity_id, entity_type,
      protocol, transport, context, attributes, static_attributes, commands, location, description, autoprovisioned)
    SELECT ${tenant}, u.id, u.k, u.e, u.t, u.p, u.tr, u.c, u.a::jsonb, u.s::jsonb, u.cm::jsonb, u.l::jsonb, u.d,
      u.ap::boolean
    FROM unnest(${col('device_id')}::text[], ${col('apikey')}::text[], ${col('entity_name')}::text[],
      ${col('entity_type')}::text[], ${col('protocol')}::text[], ${col('transport')}::text[],
      ${devices.map((d) => d.context ?? null)}::text[], ${jcol('attributes')}::text[],
      ${jcol('static_attributes')}::text[], ${jcol('commands')}::text[], ${jcol('location')}::text[],
      ${devices.map((d) => d.description ?? null)}::text[], ${devices.map((d) => (d.autoprovisioned ? 't' : 'f'))}::text[])
      AS u(id, k, e, t, p, tr, c, a, s, cm, l, d, ap)
    ${conflict} RETURNING device_id`.execute(db)
  return new Set(r.rows.map((x) => x.device_id))
}

export async function existingDeviceIds(db: Db, tenant: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const r = await sql<{ device_id: string }>`SELECT device_id FROM iot_devices
    WHERE tenant = ${tenant} AND device_id = ANY(${[...ids]}::text[])`.execute(db)
  return new Set(r.rows.map((x) => x.device_id))
}

export async function getDevice(db: Db, tenant: string, deviceId: string): Promise<Device | undefined> {
  const r = await sql<Record<string, unknown>>`SELECT * FROM iot_devices
    WHERE tenant = ${tenant} AND device_id = ${deviceId}`.execute(db)
  return r.rows[0] ? rowToDevice(r.rows[0]) : undefined
}

/** A device by (key, id), as the transports name it, with its group. */
export async function deviceByKey(
  db: Db,
  apikey: string,
  deviceId: string,
): Promise<{ group: ServiceGroup; device: Device | undefined } | undefined> {
  const g = await groupByApikey(db, apikey)
  if (!g) return undefined
  const r = await sql<Record<string, unknown>>`SELECT * FROM iot_devices
    WHERE tenant = ${g.tenant} AND device_id = ${deviceId} AND apikey = ${apikey}`.execute(db)
  return { group: g, device: r.rows[0] ? rowToDevice(r.rows[0]) : undefined }
}

export async function listDevices(
  db: Db,
  tenant: string,
  opts: { apikey?: string | undefined; limit: number; offset: number },
): Promise<{ devices: Device[]; count: number }> {
  const byKey = opts.apikey ? sql`AND apikey = ${opts.apikey}` : sql``
  const [rows, count] = await Promise.all([
    sql<Record<string, unknown>>`SELECT * FROM iot_devices WHERE tenant = ${tenant} ${byKey}
      ORDER BY device_id LIMIT ${opts.limit} OFFSET ${opts.offset}`.execute(db),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM iot_devices WHERE tenant = ${tenant} ${byKey}`.execute(db),
  ])
  return { devices: rows.rows.map(rowToDevice), count: Number(count.rows[0]?.n ?? 0) }
}

export async function deleteDevice(db: Db, tenant: string, deviceId: string): Promise<Device | undefined> {
  const r = await sql<Record<string, unknown>>`DELETE FROM iot_devices
    WHERE tenant = ${tenant} AND device_id = ${deviceId} RETURNING *`.execute(db)
  return r.rows[0] ? rowToDevice(r.rows[0]) : undefined
}

/** The commands declared per tenant and @context, for the command index. */
export async function commandDevices(db: Db): Promise<{ tenant: string; context: string | null; commands: unknown }[]> {
  const r = await sql<{ tenant: string; context: string | null; commands: unknown }>`SELECT DISTINCT d.tenant,
      COALESCE(d.context, g.context) AS context, d.commands || g.commands AS commands
    FROM iot_devices d JOIN iot_service_groups g ON g.tenant = d.tenant AND g.apikey = d.apikey
    WHERE jsonb_array_length(d.commands) > 0 OR jsonb_array_length(g.commands) > 0`.execute(db)
  return r.rows
}

export async function getStatus(
  db: Db,
  tenant: string,
  deviceId: string,
): Promise<import('./model.js').DeviceStatus | undefined> {
  const r = await sql<Record<string, unknown>>`SELECT * FROM iot_device_status
    WHERE tenant = ${tenant} AND device_id = ${deviceId}`.execute(db)
  const x = r.rows[0]
  if (!x) return undefined
  const t = (v: unknown) => (v ? iso(v) : null)
  return {
    last_seen_at: t(x.last_seen_at),
    messages: Number(x.messages),
    measurements: Number(x.measurements),
    error_count: Number(x.error_count),
    last_error: (x.last_error as string | null) ?? null,
    last_error_at: t(x.last_error_at),
  }
}

/** All devices of a group, when there are at most `limit` (the cache loads a group at once); else undefined. */
export async function groupDevices(
  db: Db,
  tenant: string,
  apikey: string,
  limit: number,
): Promise<Device[] | undefined> {
  const r = await sql<Record<string, unknown>>`SELECT * FROM iot_devices WHERE tenant = ${tenant} AND apikey = ${apikey}
    LIMIT ${limit + 1}`.execute(db)
  return r.rows.length > limit ? undefined : r.rows.map(rowToDevice)
}
