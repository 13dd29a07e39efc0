/**
 * The ChangeListener that turns a change of a command attribute (e.g. `PATCH .../entities/{streetlight}` with
 * `dimmingLevel`) into a row of the command outbox, in the same transaction as the change: the command exists if and
 * only if the change was committed. The gateway's own writes (measurements, command statuses, provisioning) run
 * inside `gatewayWrite` and are skipped.
 */
import type { AsyncLocalStorage } from 'node:async_hooks'
import type { AttrInstance } from '../../ngsi-ld/model.js'
import { type ChangeListener, changeListener, type EntityChange } from '../../ngsi-ld/service.js'
import type { CommandIndex } from './command-index.js'
import { type CommandCandidate, recordCommands } from './repo.js'

export function instanceValue(i: AttrInstance): unknown {
  return i.value ?? i.object ?? i.json ?? i.valueList ?? i.objectList ?? i.vocab ?? i.languageMap ?? null
}

export function createCommandListener(
  index: CommandIndex,
  gatewayWrite: AsyncLocalStorage<boolean>,
  onRecorded: () => void,
): ChangeListener {
  function candidatesOf(tenant: string, events: EntityChange[]): CommandCandidate[] {
    const candidates: CommandCandidate[] = []
    if (gatewayWrite.getStore()) return candidates
    const commands = index.lookup(tenant)
    if (!commands) return candidates
    for (const ev of events) {
      if (ev.kind === 'deleted') continue
      for (const c of ev.changes) {
        if (c.kind === 'deleted' || !c.current) continue
        const names = commands.get(c.attr)
        if (!names) continue
        for (const command of names) {
          candidates.push({ entityId: ev.entityId, command, value: instanceValue(c.current) })
        }
      }
    }
    return candidates
  }

  return changeListener(
    async (trx, tenant, events) => {
      const candidates = candidatesOf(tenant, events)
      if (candidates.length === 0) return
      if ((await recordCommands(trx, tenant, candidates)) > 0) onRecorded()
    },
    // a command is recorded in a transaction of its own
    async (_db, tenant, events) => (candidatesOf(tenant, events).length > 0 ? 'transaction' : {}),
  )
}
