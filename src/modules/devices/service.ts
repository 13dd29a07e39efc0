/**
 * The device registry of a tenant: service groups (API keys) and devices. Provisioning writes the device rows and
 * creates (or updates) each device's entity through the NGSI-LD batch service, with its location, static attributes
 * and command attributes. Every change is audited. Used by the admin API, the CLI, CSV import and auto-provisioning.
 */
import type { AsyncLocalStorage } from 'node:async_hooks'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { AppError, isAppError } from '../../errors.js'
import type { AuditActor, AuditService } from '../audit/service.js'
import type { BatchService } from '../ngsi-ld/batch.js'
import type { ContextResolver } from '../ngsi-ld/context/index.js'
import { parseEntity } from '../ngsi-ld/format/index.js'
import { bind, defaultEntityId, provisioningEntity } from './binding.js'
import type { Device, DeviceStatus, ServiceGroup } from './model.js'
import * as repo from './repo.js'
import * as v from './validate.js'

export type ExistingMode = 'fail' | 'replace' | 'skip'

export interface ProvisionResult {
  created: string[]
  replaced: string[]
  skipped: string[]
}

export interface RegistryDeps {
  db: Kysely<DB>
  batch: BatchService
  resolver: ContextResolver
  audit: AuditService
  gatewayWrite: AsyncLocalStorage<boolean>
  batchLimit: number
  /** Told of every change, so that caches and the command index follow at once. */
  onChange(change: { tenant: string; apikey?: string; deviceIds?: string[] }): void
  statusOf?(tenant: string, deviceId: string): Promise<DeviceStatus | undefined>
}

type Input = Record<string, unknown>

const obj = (x: unknown, path: string): Input => {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) v.bad(path, 'must be an object')
  return x as Input
}

/** `devices[2].` before a field, `line 7: ` for CSV lines. */
const joint = (path: string) => (path ? (path.startsWith('line ') ? `${path}: ` : `${path}.`) : '')

function withPath<T>(path: string, fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    if (isAppError(e) && e.code === 'BadRequestData' && path) {
      throw new AppError('BadRequestData', `${joint(path)}${e.message}`, { path })
    }
    throw e
  }
}

export function groupFromInput(tenant: string, x: Input, existing?: ServiceGroup): ServiceGroup {
  const has = (k: string) => x[k] !== undefined
  const attributes = has('attributes') ? v.checkAttributes(x.attributes) : (existing?.attributes ?? [])
  const statics = has('static_attributes')
    ? v.checkStaticAttributes(x.static_attributes)
    : (existing?.static_attributes ?? [])
  const commands = has('commands') ? v.checkCommands(x.commands) : (existing?.commands ?? [])
  v.checkNoClash(attributes, statics, commands)
  const now = new Date().toISOString()
  const context = has('context') ? v.checkContext(x.context) : existing?.context
  const description = has('description') ? v.optionalText(x.description, 'description') : existing?.description
  return {
    tenant,
    apikey: existing?.apikey ?? (has('apikey') ? v.checkApikey(x.apikey) : v.newApikey()),
    topic_prefix: has('topic_prefix') ? v.checkTopicPrefix(x.topic_prefix) : (existing?.topic_prefix ?? ''),
    entity_type: has('entity_type') || !existing ? v.checkEntityType(x.entity_type) : existing.entity_type,
    ...(context ? { context } : {}),
    protocol: v.checkProtocol(x.protocol) ?? existing?.protocol ?? 'json',
    autoprovision: has('autoprovision') ? x.autoprovision === true : (existing?.autoprovision ?? false),
    attributes,
    static_attributes: statics,
    commands,
    command_timeout_seconds: v.checkTimeout(x.command_timeout_seconds) ?? existing?.command_timeout_seconds ?? 60,
    ...(description ? { description } : {}),
    created_at: existing?.created_at ?? now,
    updated_at: now,
  }
}

export function deviceFromInput(tenant: string, x: Input, group: ServiceGroup, existing?: Device): Device {
  const has = (k: string) => x[k] !== undefined
  const deviceId = existing?.device_id ?? v.checkDeviceId(x.device_id)
  const entityType = has('entity_type')
    ? v.checkEntityType(x.entity_type)
    : (existing?.entity_type ?? group.entity_type)
  const entityId =
    v.checkEntityId(x.entity_name ?? x.entity_id) ?? existing?.entity_name ?? defaultEntityId(entityType, deviceId)
  const attributes = has('attributes') ? v.checkAttributes(x.attributes) : (existing?.attributes ?? [])
  const statics = has('static_attributes')
    ? v.checkStaticAttributes(x.static_attributes)
    : (existing?.static_attributes ?? [])
  const commands = has('commands') ? v.checkCommands(x.commands) : (existing?.commands ?? [])
  const location = has('location') ? v.checkLocation(x.location) : existing?.location
  const context = has('context') ? v.checkContext(x.context) : existing?.context
  const description = has('description') ? v.optionalText(x.description, 'description') : existing?.description
  const now = new Date().toISOString()
  const device: Device = {
    tenant,
    device_id: deviceId,
    apikey: group.apikey,
    entity_name: entityId,
    entity_type: entityType,
    protocol: v.checkProtocol(x.protocol) ?? existing?.protocol ?? group.protocol,
    transport: has('transport') ? v.checkTransport(x.transport) : (existing?.transport ?? 'mqtt'),
    ...(context ? { context } : {}),
    attributes,
    static_attributes: statics,
    commands,
    ...(location ? { location } : {}),
    ...(description ? { description } : {}),
    autoprovisioned: existing?.autoprovisioned ?? false,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  }
  const b = bind(group, device)
  v.checkNoClash([...b.byObjectId.values()], b.statics, [...b.commands.values()])
  return device
}

export function createDeviceRegistry(deps: RegistryDeps) {
  const { db, audit } = deps

  async function groupsOf(tenant: string): Promise<Map<string, ServiceGroup>> {
    return new Map((await repo.listGroups(db, tenant)).map((g) => [g.apikey, g]))
  }

  function pickGroup(groups: Map<string, ServiceGroup>, x: Input, path: string): ServiceGroup {
    if (x.apikey !== undefined) {
      const g = groups.get(String(x.apikey))
      if (!g) v.bad(`${path}apikey`, `no service group of this Comune has the key "${String(x.apikey)}"`)
      return g
    }
    if (groups.size === 1) return [...groups.values()][0]!
    v.bad(`${path}apikey`, groups.size ? 'name the service group (apikey)' : 'create a service group first')
  }

  /** The entity of each device, checked (upserted later: created, or given the static and command attributes). */
  async function entityItems(devices: Device[], groups: Map<string, ServiceGroup>) {
    const now = new Date().toISOString()
    const items = []
    for (const d of devices) {
      const g = groups.get(d.apikey)!
      const b = bind(g, d)
      const body = provisioningEntity(b)
      const ctx = b.context ? await deps.resolver.resolve(b.context) : deps.resolver.core
      withPath(`device ${d.device_id} entity`, () => parseEntity(body, ctx, { now }))
      items.push({ body, ctx })
    }
    return items
  }

  /** Checks and normalizes every input; with `collect`, returns all problems instead of throwing the first. */
  async function prepare(tenant: string, inputs: unknown[], paths: string[] | undefined, collect: boolean) {
    const groups = await groupsOf(tenant)
    const devices: Device[] = []
    const items: Awaited<ReturnType<typeof entityItems>> = []
    const errors: string[] = []
    const seen = new Set<string>()
    for (const [i, raw] of inputs.entries()) {
      const path = paths?.[i] ?? `devices[${i}]`
      try {
        const x = withPath(path, () => obj(raw, ''))
        const g = pickGroup(groups, x, joint(path))
        const d = withPath(path, () => deviceFromInput(tenant, x, g))
        if (seen.has(d.device_id)) v.bad(`${joint(path)}device_id`, `device ${d.device_id} appears twice`)
        seen.add(d.device_id)
        const [item] = await entityItems([d], groups)
        devices.push(d)
        items.push(item!)
      } catch (e) {
        if (!collect || !isAppError(e)) throw e
        errors.push(e.message)
      }
    }
    return { devices, items, errors }
  }

  async function provision(
    tenant: string,
    inputs: unknown[],
    opts: { existing?: ExistingMode; actor: AuditActor; autoprovisioned?: boolean; paths?: string[] },
  ): Promise<ProvisionResult> {
    const mode = opts.existing ?? 'fail'
    const { devices, items } = await prepare(tenant, inputs, opts.paths, false)
    if (opts.autoprovisioned) for (const d of devices) d.autoprovisioned = true
    const existing = await repo.existingDeviceIds(
      db,
      tenant,
      devices.map((d) => d.device_id),
    )
    if (mode === 'fail' && existing.size) {
      throw new AppError('AlreadyExists', `Devices already provisioned: ${[...existing].slice(0, 20).join(', ')}`, {
        existing: [...existing],
      })
    }
    const toWrite = mode === 'skip' ? devices.filter((d) => !existing.has(d.device_id)) : devices
    const written = await repo.writeDevices(db, toWrite, mode === 'replace')
    const toUpsert = items.filter((_, i) => written.has(devices[i]!.device_id))
    for (let i = 0; i < toUpsert.length; i += deps.batchLimit) {
      const chunk = toUpsert.slice(i, i + deps.batchLimit)
      const r = await deps.gatewayWrite.run(true, () => deps.batch.upsert(tenant, chunk, 'update'))
      if (r.errors.length) {
        throw new AppError('BadRequestData', `entity ${r.errors[0]!.entityId}: ${r.errors[0]!.error.detail}`)
      }
    }
    const result: ProvisionResult = {
      created: devices.filter((d) => written.has(d.device_id) && !existing.has(d.device_id)).map((d) => d.device_id),
      replaced: devices.filter((d) => written.has(d.device_id) && existing.has(d.device_id)).map((d) => d.device_id),
      skipped: devices.filter((d) => !written.has(d.device_id)).map((d) => d.device_id),
    }
    if (written.size) {
      await audit.record(opts.actor, tenant, 'iot.devices.provision', `${written.size} devices`, {
        created: result.created.slice(0, 100),
        replaced: result.replaced.slice(0, 100),
        ...(opts.autoprovisioned ? { autoprovisioned: true } : {}),
      })
      deps.onChange({ tenant, deviceIds: [...written] })
    }
    return result
  }

  return {
    listGroups: (tenant: string) => repo.listGroups(db, tenant),

    async getGroup(tenant: string, apikey: string): Promise<ServiceGroup> {
      const g = await repo.getGroup(db, tenant, apikey)
      if (!g) throw new AppError('ResourceNotFound', `No service group with this key in tenant ${tenant}`)
      return g
    },

    async createGroups(tenant: string, inputs: unknown[], actor: AuditActor): Promise<ServiceGroup[]> {
      const groups = inputs.map((x, i) => withPath(`services[${i}]`, () => groupFromInput(tenant, obj(x, ''))))
      const out: ServiceGroup[] = []
      for (const g of groups) {
        if (!(await repo.insertGroup(db, g))) {
          throw new AppError('AlreadyExists', `The API key ${g.apikey.slice(0, 4)}... is already in use`)
        }
        await audit.record(actor, tenant, 'iot.group.create', `group ${g.apikey.slice(0, 4)}...`, {
          entityType: g.entity_type,
          topicPrefix: g.topic_prefix,
        })
        deps.onChange({ tenant, apikey: g.apikey })
        out.push((await repo.getGroup(db, tenant, g.apikey))!)
      }
      return out
    },

    async updateGroup(tenant: string, apikey: string, patch: unknown, actor: AuditActor): Promise<ServiceGroup> {
      const cur = await this.getGroup(tenant, apikey)
      const next = groupFromInput(tenant, obj(patch, ''), cur)
      await repo.updateGroup(db, next)
      await audit.record(actor, tenant, 'iot.group.update', `group ${apikey.slice(0, 4)}...`, {
        fields: Object.keys(obj(patch, '')),
      })
      deps.onChange({ tenant, apikey })
      return (await repo.getGroup(db, tenant, apikey))!
    },

    async deleteGroup(tenant: string, apikey: string, actor: AuditActor): Promise<void> {
      if (!(await repo.deleteGroup(db, tenant, apikey))) {
        throw new AppError('ResourceNotFound', `No service group with this key in tenant ${tenant}`)
      }
      await audit.record(actor, tenant, 'iot.group.delete', `group ${apikey.slice(0, 4)}...`)
      deps.onChange({ tenant, apikey })
    },

    provision,

    /** Every problem of these inputs (CSV import reports them all, by line), or none. */
    async validate(tenant: string, inputs: unknown[], paths: string[]): Promise<string[]> {
      return (await prepare(tenant, inputs, paths, true)).errors
    },

    listDevices: (tenant: string, opts: { apikey?: string | undefined; limit: number; offset: number }) =>
      repo.listDevices(db, tenant, opts),

    async getDevice(tenant: string, deviceId: string): Promise<Device & { status?: DeviceStatus }> {
      const d = await repo.getDevice(db, tenant, deviceId)
      if (!d) throw new AppError('ResourceNotFound', `Device ${deviceId} does not exist in tenant ${tenant}`)
      const status = await deps.statusOf?.(tenant, deviceId)
      return status ? { ...d, status } : d
    },

    async updateDevice(tenant: string, deviceId: string, patch: unknown, actor: AuditActor): Promise<Device> {
      const cur = await repo.getDevice(db, tenant, deviceId)
      if (!cur) throw new AppError('ResourceNotFound', `Device ${deviceId} does not exist in tenant ${tenant}`)
      const p = obj(patch, '')
      const groups = await groupsOf(tenant)
      const g = p.apikey !== undefined ? pickGroup(groups, p, '') : groups.get(cur.apikey)!
      const next = deviceFromInput(tenant, p, g, cur)
      const items = await entityItems([next], groups)
      await repo.writeDevices(db, [next], true)
      await deps.gatewayWrite.run(true, () => deps.batch.upsert(tenant, items, 'update'))
      await audit.record(actor, tenant, 'iot.device.update', deviceId, { fields: Object.keys(p) })
      deps.onChange({ tenant, deviceIds: [deviceId] })
      return (await repo.getDevice(db, tenant, deviceId))!
    },

    async deleteDevice(tenant: string, deviceId: string, actor: AuditActor, opts: { deleteEntity?: boolean } = {}) {
      const d = await repo.deleteDevice(db, tenant, deviceId)
      if (!d) throw new AppError('ResourceNotFound', `Device ${deviceId} does not exist in tenant ${tenant}`)
      if (opts.deleteEntity) {
        await deps.gatewayWrite.run(true, () => deps.batch.delete(tenant, [d.entity_name]))
      }
      await audit.record(actor, tenant, 'iot.device.delete', deviceId, { entityDeleted: !!opts.deleteEntity })
      deps.onChange({ tenant, deviceIds: [deviceId] })
    },
  }
}

export type DeviceRegistry = ReturnType<typeof createDeviceRegistry>
