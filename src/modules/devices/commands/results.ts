/**
 * A device's answer on `/cmdexe`: JSON `{"<command>": <result>}` (OK; `{"status": "ERROR", "info": ...}` as result is an
 * error) or UltraLight `<deviceId>@<command>|<result>` (OK; a result starting with ERROR is an error). Closes the
 * newest open command of that name and writes `<command>_status` / `<command>_info` on the entity.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../../db/schema.js'
import type { Outcome } from '../ingest.js'
import type { DeviceMetrics } from '../metrics.js'
import type { CommandStatus, PayloadFormat } from '../model.js'
import { parseJsonCommandResults } from '../payload/json.js'
import { PayloadError } from '../payload/reading.js'
import { parseUltralightCommandResult } from '../payload/ultralight.js'
import type { BoundDevice } from '../registry-cache.js'
import * as repo from './repo.js'
import type { StatusWriter } from './status-writer.js'

export function interpretResult(result: unknown): { status: CommandStatus; info: unknown } {
  if (result && typeof result === 'object' && !Array.isArray(result)) {
    const r = result as Record<string, unknown>
    const s = typeof r.status === 'string' ? r.status.toUpperCase() : undefined
    if (s === 'ERROR' || s === 'OK') return { status: s, info: r.info ?? r.message ?? null }
  }
  if (typeof result === 'string' && /^ERROR\b/i.test(result)) {
    return { status: 'ERROR', info: result.replace(/^ERROR[:\s]*/i, '') || 'ERROR' }
  }
  return { status: 'OK', info: result }
}

export function createResultHandler(deps: {
  db: Kysely<DB>
  writeStatus: StatusWriter
  metrics: DeviceMetrics
  report(device: BoundDevice, message: string): void
}) {
  return async function commandResult(
    device: BoundDevice,
    text: string,
    format: PayloadFormat,
    _receivedAt: number,
  ): Promise<Outcome> {
    let entries: [string, unknown][]
    try {
      if (format === 'ul') {
        const r = parseUltralightCommandResult(text)
        if (r.deviceId !== device.deviceId) throw new PayloadError(`the answer names device ${r.deviceId}`)
        entries = [[r.command, r.result]]
      } else entries = parseJsonCommandResults(text)
    } catch (e) {
      deps.report(device, (e as Error).message)
      return { ok: false, reason: 'malformed', message: (e as Error).message, tenant: device.tenant }
    }
    const errors: string[] = []
    for (const [command, result] of entries) {
      if (!device.commands.has(command)) {
        errors.push(`unknown command "${command.slice(0, 40)}"`)
        continue
      }
      const { status, info } = interpretResult(result)
      const row = await repo.answer(deps.db, device.tenant, device.deviceId, command, status, info)
      if (!row) {
        errors.push(`no pending command "${command}" (answered already, or expired)`)
        continue
      }
      deps.metrics.commands.inc({ tenant: device.tenant, status })
      await deps.writeStatus(
        {
          tenant: device.tenant,
          device_id: device.deviceId,
          entity_id: device.entityId,
          entity_type: device.entityType,
          command,
          context: device.context ?? null,
        },
        status,
        info,
      )
    }
    if (errors.length) {
      deps.report(device, errors.join('; '))
      return { ok: false, reason: 'malformed', message: errors.join('; '), tenant: device.tenant }
    }
    return { ok: true, measurements: 0 }
  }
}
