/**
 * Admin API of the device registry, per Comune: `/api/tenants/{istat}/iot/services` (service groups = API keys) and
 * `/iot/devices` (provisioning, CSV import, status), `/iot/commands` (recent commands). Payloads use the field names
 * of the FIWARE IoT Agent provisioning API. Operators of the Comune manage it; viewers may list commands.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../../errors.js'
import { pageQuery, tenantParams } from '../../http/schemas.js'
import type { Services } from '../../services.js'
import { requireRole } from '../auth/principal.js'
import { existingTenant } from '../tenants/routes.js'
import { listCommands } from './commands/repo.js'
import { devicesFromCsv } from './csv.js'
import type { StatusTracker } from './device-status.js'
import type { ServiceGroup } from './model.js'
import * as s from './schemas.js'
import type { DeviceRegistry, ExistingMode } from './service.js'

export interface DeviceRouteDeps {
  services: Services
  registry: DeviceRegistry
  status: StatusTracker
  db: Parameters<typeof listCommands>[0]
}

type TReq = FastifyRequest<{ Params: { tenant: string } }>
type IdReq = FastifyRequest<{ Params: { tenant: string; id: string } }>

/** `{"services": [...]}` / `{"devices": [...]}` (FIWARE) or a single object. */
function listOf(body: unknown, key: string): unknown[] {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const v = (body as Record<string, unknown>)[key]
    if (Array.isArray(v)) return v
    return [body]
  }
  if (Array.isArray(body)) return body
  throw new AppError('BadRequestData', `The body is {"${key}": [...]} or one object`)
}

export function deviceRoutes(app: FastifyInstance, deps: DeviceRouteDeps): void {
  const { services, registry } = deps
  const base = '/api/tenants/:tenant/iot'
  const errors = { 400: { $ref: 'problem#' }, 403: { $ref: 'problem#' }, 404: { $ref: 'problem#' } }

  async function tenantFor(request: TReq, min: 'viewer' | 'operator' = 'operator') {
    requireRole(request, request.params.tenant, min)
    return existingTenant(services, request)
  }

  const withUnknown = (g: ServiceGroup) => ({ ...g, unknown_devices: deps.status.unknownDevices(g.apikey) })

  app.get(
    `${base}/services`,
    {
      schema: {
        tags: s.tags,
        summary: 'Service groups (API keys) of this Comune',
        params: tenantParams,
        response: {
          200: {
            type: 'object',
            properties: { count: { type: 'integer' }, services: { type: 'array', items: s.group } },
          },
          ...errors,
        },
      },
    },
    async (request: TReq) => {
      const list = await registry.listGroups(await tenantFor(request))
      return { count: list.length, services: list.map(withUnknown) }
    },
  )

  app.post(
    `${base}/services`,
    {
      schema: {
        tags: s.tags,
        summary: 'Create service groups: an API key for devices, their topic prefix and defaults',
        params: tenantParams,
        body: s.groupsBody,
        response: { 201: { type: 'object', properties: { services: { type: 'array', items: s.group } } }, ...errors },
      },
    },
    async (request: TReq, reply) => {
      const tenant = await tenantFor(request)
      const created = await registry.createGroups(tenant, listOf(request.body, 'services'), request.actor())
      return reply.code(201).send({ services: created })
    },
  )

  app.get(
    `${base}/services/:id`,
    {
      schema: {
        tags: s.tags,
        summary: 'A service group, with the unknown device ids recently seen with its key',
        params: s.idParams,
        response: { 200: s.group, ...errors },
      },
    },
    async (request: IdReq) => withUnknown(await registry.getGroup(await tenantFor(request), request.params.id)),
  )

  app.patch(
    `${base}/services/:id`,
    {
      schema: {
        tags: s.tags,
        summary: 'Change a service group (not its key)',
        params: s.idParams,
        body: s.groupInput,
        response: { 200: s.group, ...errors },
      },
    },
    async (request: IdReq) =>
      registry.updateGroup(await tenantFor(request), request.params.id, request.body ?? {}, request.actor()),
  )

  app.delete(
    `${base}/services/:id`,
    {
      schema: {
        tags: s.tags,
        summary: 'Delete a service group and its devices (not their entities)',
        params: s.idParams,
      },
    },
    async (request: IdReq, reply) => {
      await registry.deleteGroup(await tenantFor(request), request.params.id, request.actor())
      return reply.code(204).send()
    },
  )

  app.get(
    `${base}/devices`,
    {
      schema: {
        tags: s.tags,
        summary: 'Devices of this Comune',
        params: tenantParams,
        querystring: {
          type: 'object',
          properties: { ...pageQuery.properties, apikey: { type: 'string', description: 'only this group' } },
        },
        response: {
          200: {
            type: 'object',
            properties: { count: { type: 'integer' }, devices: { type: 'array', items: s.device } },
          },
          ...errors,
        },
      },
    },
    async (
      request: FastifyRequest<{
        Params: { tenant: string }
        Querystring: { limit: number; offset: number; apikey?: string }
      }>,
    ) => {
      const tenant = await tenantFor(request)
      const { devices, count } = await registry.listDevices(tenant, request.query)
      return { count, devices }
    },
  )

  app.post(
    `${base}/devices`,
    {
      schema: {
        tags: s.tags,
        summary: 'Provision devices (and create their entities)',
        params: tenantParams,
        querystring: s.existingQuery,
        body: s.devicesBody,
        response: { 201: s.provisionResult, 409: { $ref: 'problem#' }, ...errors },
      },
    },
    async (request: FastifyRequest<{ Params: { tenant: string }; Querystring: { existing: ExistingMode } }>, reply) => {
      const tenant = await tenantFor(request)
      const r = await registry.provision(tenant, listOf(request.body, 'devices'), {
        existing: request.query.existing,
        actor: request.actor(),
      })
      return reply.code(201).send(r)
    },
  )

  app.post(
    `${base}/devices/import`,
    {
      schema: {
        tags: s.tags,
        summary: 'Provision devices from CSV (text/csv): every problem is reported with its line; all or nothing',
        params: tenantParams,
        querystring: s.existingQuery,
        response: { 201: s.provisionResult, 409: { $ref: 'problem#' }, ...errors },
      },
    },
    async (request: FastifyRequest<{ Params: { tenant: string }; Querystring: { existing: ExistingMode } }>, reply) => {
      const tenant = await tenantFor(request)
      if (typeof request.body !== 'string') {
        throw new AppError('UnsupportedMediaType', 'Send the CSV file as text/csv')
      }
      const csv = devicesFromCsv(request.body)
      const problems = [...csv.errors, ...(await registry.validate(tenant, csv.inputs, csv.paths))]
      if (problems.length) {
        const sorted = problems.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]))
        throw new AppError('BadRequestData', `${sorted.length} line(s) with problems; nothing imported`, {
          errors: sorted.slice(0, 1000),
        })
      }
      if (csv.inputs.length === 0) throw new AppError('BadRequestData', 'the CSV file has no device line')
      const r = await registry.provision(tenant, csv.inputs, {
        existing: request.query.existing,
        actor: request.actor(),
        paths: csv.paths,
      })
      return reply.code(201).send(r)
    },
  )

  app.get(
    `${base}/devices/:id`,
    {
      schema: {
        tags: s.tags,
        summary: 'A device, with its status (last seen, messages, errors, last error)',
        params: s.idParams,
        response: { 200: s.device, ...errors },
      },
    },
    async (request: IdReq) => registry.getDevice(await tenantFor(request), request.params.id),
  )

  app.patch(
    `${base}/devices/:id`,
    {
      schema: {
        tags: s.tags,
        summary: 'Change a device (its entity gets the new static and command attributes)',
        params: s.idParams,
        body: s.deviceInput,
        response: { 200: s.device, ...errors },
      },
    },
    async (request: IdReq) =>
      registry.updateDevice(await tenantFor(request), request.params.id, request.body ?? {}, request.actor()),
  )

  app.delete(
    `${base}/devices/:id`,
    {
      schema: {
        tags: s.tags,
        summary: 'Remove a device; deleteEntity=true also deletes its entity',
        params: s.idParams,
        querystring: { type: 'object', properties: { deleteEntity: { type: 'boolean', default: false } } },
      },
    },
    async (
      request: FastifyRequest<{ Params: { tenant: string; id: string }; Querystring: { deleteEntity: boolean } }>,
      reply,
    ) => {
      const tenant = await tenantFor(request)
      await registry.deleteDevice(tenant, request.params.id, request.actor(), {
        deleteEntity: request.query.deleteEntity,
      })
      return reply.code(204).send()
    },
  )

  app.get(
    `${base}/commands`,
    {
      schema: {
        tags: s.tags,
        summary: 'Recent device commands and their state (newest first)',
        params: tenantParams,
        querystring: {
          type: 'object',
          properties: { ...pageQuery.properties, device: { type: 'string', description: 'only this device' } },
        },
        response: { 200: { type: 'array', items: s.commandRecord }, ...errors },
      },
    },
    async (
      request: FastifyRequest<{
        Params: { tenant: string }
        Querystring: { limit: number; offset: number; device?: string }
      }>,
    ) => {
      const tenant = await tenantFor(request, 'viewer')
      return listCommands(deps.db, tenant, { deviceId: request.query.device, ...request.query })
    },
  )
}
