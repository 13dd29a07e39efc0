/** SQL of the command outbox (`iot_commands`). */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../../../db/schema.js'
import type { CommandRecord, CommandStatus, PayloadFormat } from '../model.js'

type Db = Kysely<DB>

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null)

/** jsonb columns arrive parsed on both engines (a JSON string value is a JS string: never parse it again). */
function toRecord(r: Record<string, unknown>): CommandRecord {
  return {
    id: Number(r.id),
    device_id: r.device_id as string,
    entity_id: r.entity_id as string,
    command: r.command as string,
    value: r.value ?? null,
    status: r.status as CommandStatus,
    info: r.info ?? null,
    created_at: iso(r.created_at)!,
    sent_at: iso(r.sent_at),
    answered_at: iso(r.answered_at),
    expires_at: iso(r.expires_at)!,
  }
}

export interface CommandCandidate {
  entityId: string
  command: string
  value: unknown
}

/**
 * Records commands for the devices of these entities that declare them (inside the transaction that changed the
 * attribute); an older command of the same name still open is closed as EXPIRED (superseded). Returns how many.
 */
export async function recordCommands(trx: Db, tenant: string, c: readonly CommandCandidate[]): Promise<number> {
  const entities = c.map((x) => x.entityId)
  const names = c.map((x) => x.command)
  const values = c.map((x) => JSON.stringify(x.value ?? null))
  const matched = sql`SELECT d.device_id, d.entity_id, u.cmd, u.val, g.command_timeout_seconds AS timeout
    FROM unnest(${entities}::text[], ${names}::text[], ${values}::text[]) AS u(entity, cmd, val)
    JOIN iot_devices d ON d.tenant = ${tenant} AND d.entity_id = u.entity
    JOIN iot_service_groups g ON g.tenant = d.tenant AND g.apikey = d.apikey
    WHERE (d.commands || g.commands) @> jsonb_build_array(jsonb_build_object('name', u.cmd))`
  await sql`UPDATE iot_commands c SET status = 'EXPIRED', info = '"superseded"', answered_at = now()
    FROM (${matched}) m WHERE c.tenant = ${tenant} AND c.status = 'PENDING' AND c.device_id = m.device_id
      AND c.command = m.cmd`.execute(trx)
  const r = await sql`INSERT INTO iot_commands (tenant, device_id, entity_id, command, value, expires_at)
    SELECT ${tenant}, m.device_id, m.entity_id, m.cmd, m.val::jsonb, now() + make_interval(secs => m.timeout)
    FROM (${matched}) m`.execute(trx)
  return Number(r.numAffectedRows ?? 0)
}

export interface UnsentCommand {
  tenant: string
  id: number
  device_id: string
  entity_id: string
  entity_type: string
  command: string
  value: unknown
  apikey: string
  topic_prefix: string
  protocol: PayloadFormat
  context: string | null
}

/** The @contexts of the devices with unsent commands (resolved before the claiming transaction). */
export async function unsentContexts(db: Db): Promise<string[]> {
  const r = await sql<{ c: string }>`SELECT DISTINCT COALESCE(d.context, g.context) AS c
    FROM iot_commands c
    JOIN iot_devices d ON d.tenant = c.tenant AND d.device_id = c.device_id
    JOIN iot_service_groups g ON g.tenant = d.tenant AND g.apikey = d.apikey
    WHERE c.status = 'PENDING' AND c.sent_at IS NULL AND COALESCE(d.context, g.context) IS NOT NULL`.execute(db)
  return r.rows.map((x) => x.c)
}

/**
 * Commands to send, locked for this transaction (other servers skip them): those of MQTT devices (published by the
 * worker), or those of one HTTP device that polls for them.
 */
export async function claimUnsent(
  trx: Db,
  limit: number,
  polling?: { tenant: string; deviceId: string },
): Promise<UnsentCommand[]> {
  const which = polling
    ? sql`c.tenant = ${polling.tenant} AND c.device_id = ${polling.deviceId} AND d.transport = 'http'`
    : sql`d.transport = 'mqtt'`
  const r = await sql<
    Record<string, unknown>
  >`SELECT c.tenant, c.id, c.device_id, c.entity_id, d.entity_type, c.command,
      c.value, d.apikey, g.topic_prefix, d.protocol, COALESCE(d.context, g.context) AS context
    FROM iot_commands c
    JOIN iot_devices d ON d.tenant = c.tenant AND d.device_id = c.device_id
    JOIN iot_service_groups g ON g.tenant = d.tenant AND g.apikey = d.apikey
    WHERE c.status = 'PENDING' AND c.sent_at IS NULL AND ${which}
    ORDER BY c.id LIMIT ${limit} FOR UPDATE OF c SKIP LOCKED`.execute(trx)
  return r.rows.map((x) => ({ ...(x as unknown as UnsentCommand), id: Number(x.id) }))
}

export async function markSent(trx: Db, cmds: readonly UnsentCommand[]): Promise<void> {
  if (cmds.length === 0) return
  await sql`UPDATE iot_commands c SET sent_at = now()
    FROM unnest(${cmds.map((c) => c.tenant)}::text[], ${cmds.map((c) => String(c.id))}::text[]) AS u(t, id)
    WHERE c.tenant = u.t AND c.id = u.id::bigint`.execute(trx)
}

/** Closes the newest open command of that name with the device's answer. */
export async function answer(
  db: Db,
  tenant: string,
  deviceId: string,
  command: string,
  status: CommandStatus,
  info: unknown,
): Promise<CommandRecord | undefined> {
  const r = await sql<Record<string, unknown>>`UPDATE iot_commands SET status = ${status},
      info = ${JSON.stringify(info ?? null)}::jsonb, answered_at = now()
    WHERE tenant = ${tenant} AND id = (SELECT id FROM iot_commands WHERE tenant = ${tenant} AND device_id = ${deviceId}
      AND command = ${command} AND status = 'PENDING' ORDER BY id DESC LIMIT 1)
    RETURNING *`.execute(db)
  return r.rows[0] ? toRecord(r.rows[0]) : undefined
}

export interface ExpiredCommand {
  tenant: string
  device_id: string
  entity_id: string
  entity_type: string
  command: string
  context: string | null
}

/** Open commands past their deadline become EXPIRED. */
export async function expireDue(db: Db, limit = 500): Promise<ExpiredCommand[]> {
  const r = await sql<ExpiredCommand>`UPDATE iot_commands c SET status = 'EXPIRED', answered_at = now()
    FROM iot_devices d JOIN iot_service_groups g ON g.tenant = d.tenant AND g.apikey = d.apikey
    WHERE d.tenant = c.tenant AND d.device_id = c.device_id
      AND (c.tenant, c.id) IN (SELECT tenant, id FROM iot_commands WHERE status = 'PENDING' AND expires_at < now()
        ORDER BY expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING c.tenant, c.device_id, c.entity_id, d.entity_type, c.command,
      COALESCE(d.context, g.context) AS context`.execute(db)
  return r.rows
}

export async function listCommands(
  db: Db,
  tenant: string,
  opts: { deviceId?: string | undefined; limit: number; offset: number },
): Promise<CommandRecord[]> {
  const byDevice = opts.deviceId ? sql`AND device_id = ${opts.deviceId}` : sql``
  const r = await sql<Record<string, unknown>>`SELECT * FROM iot_commands WHERE tenant = ${tenant} ${byDevice}
    ORDER BY id DESC LIMIT ${opts.limit} OFFSET ${opts.offset}`.execute(db)
  return r.rows.map(toRecord)
}
