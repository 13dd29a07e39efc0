/** Writes a command's state on the device entity (`<cmd>_status`, `<cmd>_info`) through the measurement queue. */
import type { ContextResolver } from '../../ngsi-ld/context/index.js'
import { infoAttr, statusAttr } from '../binding.js'
import type { CommandStatus } from '../model.js'
import type { WriteQueue } from '../write-queue.js'

export interface CommandTarget {
  tenant: string
  device_id: string
  entity_id: string
  entity_type: string
  command: string
  context: string | null
}

export function createStatusWriter(queue: WriteQueue, resolver: ContextResolver) {
  return async function writeStatus(t: CommandTarget, status: CommandStatus, info?: unknown): Promise<void> {
    const at = new Date().toISOString()
    const attrs: Record<string, Record<string, unknown>> = {
      [statusAttr(t.command)]: { type: 'Property', value: status, observedAt: at },
    }
    if (info !== undefined && info !== null && info !== '') {
      attrs[infoAttr(t.command)] = { type: 'Property', value: info, observedAt: at }
    }
    const ctx = t.context ? await resolver.resolve(t.context).catch(() => resolver.core) : resolver.core
    const m = {
      tenant: t.tenant,
      entityId: t.entity_id,
      entityType: t.entity_type,
      ctx,
      attrs,
      count: 0,
      deviceId: t.device_id,
      receivedAt: Date.now(),
    }
    queue.push(m, true)
  }
}

export type StatusWriter = ReturnType<typeof createStatusWriter>
