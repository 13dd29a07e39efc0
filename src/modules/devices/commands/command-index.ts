/**
 * Which attributes are device commands, per tenant (expanded attribute IRI -> command names), so that the change
 * listener costs nothing for the writes that touch no command (nearly all). Reloaded every few seconds by the command
 * worker and at once after a local provisioning change; a command declared on another server is seen within that
 * delay.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../../db/schema.js'
import type { ContextResolver } from '../../ngsi-ld/context/index.js'
import { commandDevices } from '../repo.js'

export function createCommandIndex() {
  let byTenant = new Map<string, Map<string, Set<string>>>()
  return {
    /** Command names whose attribute is `iri` in this tenant. */
    lookup(tenant: string): Map<string, Set<string>> | undefined {
      return byTenant.get(tenant)
    },

    async reload(db: Kysely<DB>, resolver: ContextResolver): Promise<void> {
      const rows = await commandDevices(db)
      const next = new Map<string, Map<string, Set<string>>>()
      for (const r of rows) {
        const ctx = r.context ? await resolver.resolve(r.context).catch(() => resolver.core) : resolver.core
        const cmds = (typeof r.commands === 'string' ? JSON.parse(r.commands) : r.commands) as { name: string }[]
        let m = next.get(r.tenant)
        if (!m) {
          m = new Map()
          next.set(r.tenant, m)
        }
        for (const c of cmds) {
          const iri = ctx.expand(c.name)
          let names = m.get(iri)
          if (!names) {
            names = new Set()
            m.set(iri, names)
          }
          names.add(c.name)
        }
      }
      byTenant = next
    },
  }
}

export type CommandIndex = ReturnType<typeof createCommandIndex>
