/**
 * The registry as the transports read it, per message: groups by API key and devices by (tenant, id), cached in
 * memory with a time to live (30 s; 5 s for "unknown", so that a flood of unknown ids costs one query per id and 5 s).
 * Changes made in this process are seen at once (`invalidate*`); those of other servers within the TTL.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { ActiveContext, ContextResolver } from '../ngsi-ld/context/index.js'
import { type Binding, bind } from './binding.js'
import type { ServiceGroup } from './model.js'
import * as repo from './repo.js'

export interface BoundDevice extends Binding {
  ctx: ActiveContext
}

interface Entry<T> {
  value: T | undefined
  until: number
}

export interface RegistryCacheOptions {
  ttlMs?: number
  negativeTtlMs?: number
  maxEntries?: number
}

export function createRegistryCache(db: Kysely<DB>, resolver: ContextResolver, opts: RegistryCacheOptions = {}) {
  const ttl = opts.ttlMs ?? 30_000
  const negTtl = opts.negativeTtlMs ?? 5_000
  const max = opts.maxEntries ?? 200_000
  const groups = new Map<string, Entry<ServiceGroup>>()
  const devices = new Map<string, Entry<BoundDevice>>()
  /** Groups whose devices were loaded all at once (within the TTL). */
  const groupLoads = new Map<string, Entry<true>>()
  const pending = new Map<string, Promise<unknown>>()

  const key = (tenant: string, deviceId: string) => `${tenant}\u0000${deviceId}`

  function put<T>(m: Map<string, Entry<T>>, k: string, value: T | undefined) {
    if (m.size >= max) {
      const first = m.keys().next()
      if (!first.done) m.delete(first.value)
    }
    m.set(k, { value, until: Date.now() + (value ? ttl : negTtl) })
  }

  function fresh<T>(m: Map<string, Entry<T>>, k: string): Entry<T> | undefined {
    const e = m.get(k)
    return e && e.until > Date.now() ? e : undefined
  }

  /** One query per key at a time, whatever the number of messages waiting for it. */
  function once<T>(k: string, load: () => Promise<T>): Promise<T> {
    let p = pending.get(k) as Promise<T> | undefined
    if (!p) {
      p = load().finally(() => pending.delete(k))
      pending.set(k, p)
    }
    return p
  }

  async function group(apikey: string): Promise<ServiceGroup | undefined> {
    const hit = fresh(groups, apikey)
    if (hit) return hit.value
    return once(`g:${apikey}`, async () => {
      const g = await repo.groupByApikey(db, apikey)
      put(groups, apikey, g)
      return g
    })
  }

  async function contextOf(url: string | undefined): Promise<ActiveContext> {
    return url ? resolver.resolve(url) : resolver.core
  }

  return {
    group,

    /** The cached device, without waiting (the hot path); undefined when it must be loaded. */
    peek(tenant: string, deviceId: string): BoundDevice | undefined {
      return fresh(devices, key(tenant, deviceId))?.value
    },

    /**
     * The device of this group, or undefined when the group has no such device. A miss loads the whole group at once
     * (up to 50,000 devices), so that a fleet that starts publishing costs one query, not one per device.
     */
    async device(g: ServiceGroup, deviceId: string): Promise<BoundDevice | undefined> {
      const k = key(g.tenant, deviceId)
      const hit = fresh(devices, k)
      if (hit) return hit.value?.apikey === g.apikey ? hit.value : undefined
      const loaded = fresh(groupLoads, g.apikey)
        ? false
        : await once(`G:${g.apikey}`, async () => {
            const all = await repo.groupDevices(db, g.tenant, g.apikey, 50_000)
            put(groupLoads, g.apikey, true)
            if (!all) return false
            const ctxs = new Map<string | undefined, ActiveContext>()
            for (const d of all) {
              const b = bind(g, d)
              let ctx = ctxs.get(b.context)
              if (!ctx) {
                ctx = await contextOf(b.context)
                ctxs.set(b.context, ctx)
              }
              put(devices, key(g.tenant, d.device_id), { ...b, ctx })
            }
            return true
          })
      const after = fresh(devices, k)
      if (after) return after.value?.apikey === g.apikey ? after.value : undefined
      if (loaded) {
        put(devices, k, undefined)
        return undefined
      }
      return once(`d:${k}`, async () => {
        const d = await repo.getDevice(db, g.tenant, deviceId)
        let bound: BoundDevice | undefined
        if (d) {
          const gg = d.apikey === g.apikey ? g : await repo.getGroup(db, d.tenant, d.apikey)
          if (gg) {
            const b = bind(gg, d)
            bound = { ...b, ctx: await contextOf(b.context) }
          }
        }
        put(devices, k, bound)
        return bound?.apikey === g.apikey ? bound : undefined
      })
    },

    invalidateGroup(apikey: string, tenant?: string) {
      groups.delete(apikey)
      groupLoads.delete(apikey)
      if (tenant) for (const [k, e] of devices) if (e.value?.apikey === apikey) devices.delete(k)
    },

    invalidateDevice(tenant: string, deviceId: string) {
      devices.delete(key(tenant, deviceId))
    },

    clear() {
      groups.clear()
      groupLoads.clear()
      devices.clear()
    },
  }
}

export type RegistryCache = ReturnType<typeof createRegistryCache>
