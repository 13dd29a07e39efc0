/** `urbe device ...`: the device registry from the command line, on the database, through the same services as the API. */
import fs from 'node:fs'
import os from 'node:os'
import pino from 'pino'
import type { Config } from '../config.js'
import { openDatabase } from '../db/database.js'
import { migrate } from '../db/migrate.js'
import { AppError } from '../errors.js'
import { createMetrics } from '../http/metrics.js'
import { devicesFromCsv } from '../modules/devices/csv.js'
import { createDeviceHooks, createDevices, type Devices } from '../modules/devices/plugin.js'
import { createNgsiLd } from '../modules/ngsi-ld/plugin.js'
import { createServices } from '../services.js'
import { parse, table, UsageError } from './args.js'
import type { Io } from './commands.js'

export const DEVICE_HELP = `urbe device group add --tenant ISTAT --entity-type TYPE [--apikey KEY] [--prefix TOPIC/PREFIX]
                      [--protocol json|ul] [--context URL] [--autoprovision] [--timeout SECONDS]
                      [--description TEXT]
urbe device group list --tenant ISTAT
urbe device group remove --tenant ISTAT <apikey>
urbe device add --tenant ISTAT <device-id> [--group APIKEY] [--entity-type TYPE] [--entity-id URN]
                [--protocol json|ul] [--transport mqtt|http] [--context URL] [--lat N --lon N]
                [--attr [objectId=]name[:Type[:unitCode]]]... [--static name=value]... [--command name[=initial]]...
urbe device list --tenant ISTAT [--group APIKEY]
urbe device show --tenant ISTAT <device-id>
urbe device import --tenant ISTAT [--existing fail|replace|skip] FILE.csv
urbe device remove --tenant ISTAT <device-id> [--delete-entity]
  Service groups hold the API key devices use (MQTT topics /{apikey}/{device-id}/attrs, HTTP ?k=&i=); devices map
  their measures to the attributes of their NGSI-LD entity. CSV columns: see docs/devices.md.`

const actor = () => ({ name: `cli:${os.userInfo().username}` })

async function withDevices<T>(config: Config, fn: (d: Devices) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 })
  try {
    await migrate(database)
    const services = createServices(database, config)
    const hooks = createDeviceHooks()
    const ngsi = createNgsiLd({ db: database.db, config, services }, [hooks.listener])
    const devices = createDevices({
      database,
      config,
      services,
      metrics: createMetrics(database),
      log: pino({ level: 'silent' }),
      ngsi,
      hooks,
    })
    try {
      return await fn(devices)
    } finally {
      await devices.stop()
    }
  } finally {
    await database.close()
  }
}

const scalar = (v: string): unknown => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v)

function attrs(list: string[] | undefined) {
  return (list ?? []).map((it) => {
    const eq = it.indexOf('=')
    const [name, type, unitCode] = (eq > 0 ? it.slice(eq + 1) : it).split(':')
    return {
      ...(eq > 0 ? { object_id: it.slice(0, eq) } : {}),
      name,
      ...(type ? { type } : {}),
      ...(unitCode ? { unitCode } : {}),
    }
  })
}

function pairs(list: string[] | undefined, what: string) {
  return (list ?? []).map((it) => {
    const eq = it.indexOf('=')
    if (eq <= 0) throw new UsageError(`--${what} is name=value, got "${it}"`)
    return { name: it.slice(0, eq), type: 'Property', value: scalar(it.slice(eq + 1)) }
  })
}

export async function deviceCmd(args: string[], config: Config, io: Io): Promise<void> {
  const { values, positionals } = parse(args, {
    tenant: { type: 'string' },
    'entity-type': { type: 'string' },
    'entity-id': { type: 'string' },
    apikey: { type: 'string' },
    group: { type: 'string' },
    prefix: { type: 'string' },
    protocol: { type: 'string' },
    transport: { type: 'string' },
    context: { type: 'string' },
    autoprovision: { type: 'boolean' },
    timeout: { type: 'string' },
    description: { type: 'string' },
    lat: { type: 'string' },
    lon: { type: 'string' },
    attr: { type: 'string', multiple: true },
    static: { type: 'string', multiple: true },
    command: { type: 'string', multiple: true },
    existing: { type: 'string' },
    'delete-entity': { type: 'boolean' },
  })
  const [sub, ...rest] = positionals
  if (values.help || !sub) return io.out(DEVICE_HELP)
  const tenant = values.tenant
  if (!tenant) throw new UsageError(`--tenant is required\n\n${DEVICE_HELP}`)
  const opt = (k: string, v: unknown) => (v === undefined ? {} : { [k]: v })

  await withDevices(config, async (d) => {
    const reg = d.registry
    if (sub === 'group') {
      const [op, key] = rest
      if (op === 'list') {
        const groups = await reg.listGroups(tenant)
        const rows = groups.map((g) => ({ ...g, devices: undefined, commands: g.commands.length }))
        return io.out(
          table(rows, ['apikey', 'entity_type', 'protocol', 'topic_prefix', 'autoprovision', 'description']),
        )
      }
      if (op === 'add') {
        const [g] = await reg.createGroups(
          tenant,
          [
            {
              ...opt('apikey', values.apikey),
              ...opt('entity_type', values['entity-type']),
              ...opt('topic_prefix', values.prefix),
              ...opt('protocol', values.protocol),
              ...opt('context', values.context),
              ...opt('command_timeout_seconds', values.timeout),
              ...opt('description', values.description),
              autoprovision: !!values.autoprovision,
            },
          ],
          actor(),
        )
        return io.out(`created service group; devices use the API key:\n${g!.apikey}`)
      }
      if (op === 'remove' && key) {
        await reg.deleteGroup(tenant, key, actor())
        return io.out(`removed service group ${key.slice(0, 4)}... and its devices`)
      }
      throw new UsageError(`device group add|list|remove\n\n${DEVICE_HELP}`)
    }
    if (sub === 'list') {
      const { devices, count } = await reg.listDevices(tenant, { apikey: values.group, limit: 1000, offset: 0 })
      io.out(
        table(devices as unknown as Record<string, unknown>[], ['device_id', 'entity_name', 'protocol', 'transport']),
      )
      return io.out(`${count} device(s)`)
    }
    if (sub === 'show') {
      if (!rest[0]) throw new UsageError('device show needs a device id')
      return io.out(JSON.stringify(await reg.getDevice(tenant, rest[0]), null, 2))
    }
    if (sub === 'add') {
      const id = rest[0]
      if (!id) throw new UsageError('device add needs a device id')
      if ((values.lat === undefined) !== (values.lon === undefined)) throw new UsageError('--lat and --lon go together')
      const r = await reg.provision(
        tenant,
        [
          {
            device_id: id,
            ...opt('apikey', values.group),
            ...opt('entity_type', values['entity-type']),
            ...opt('entity_name', values['entity-id']),
            ...opt('protocol', values.protocol),
            ...opt('transport', values.transport),
            ...opt('context', values.context),
            ...opt('description', values.description),
            ...(values.attr ? { attributes: attrs(values.attr) } : {}),
            ...(values.static ? { static_attributes: pairs(values.static, 'static') } : {}),
            ...(values.command
              ? {
                  commands: (values.command as string[]).map((c) => {
                    const eq = c.indexOf('=')
                    return eq > 0 ? { name: c.slice(0, eq), initial: scalar(c.slice(eq + 1)) } : { name: c }
                  }),
                }
              : {}),
            ...(values.lat !== undefined
              ? { location: { type: 'Point', coordinates: [Number(values.lon), Number(values.lat)] } }
              : {}),
          },
        ],
        { actor: actor() },
      )
      const dev = await reg.getDevice(tenant, id)
      return io.out(`provisioned ${r.created.join(', ')} as ${dev.entity_name}`)
    }
    if (sub === 'import') {
      const file = rest[0]
      if (!file) throw new UsageError('device import needs a CSV file')
      let text: string
      try {
        text = fs.readFileSync(file, 'utf8')
      } catch (e) {
        throw new UsageError(`cannot read ${file}: ${(e as Error).message}`)
      }
      const csv = devicesFromCsv(text)
      const problems = [...csv.errors, ...(await reg.validate(tenant, csv.inputs, csv.paths))]
      if (problems.length) {
        throw new AppError('BadRequestData', `${file}: nothing imported\n${problems.map((p) => `  ${p}`).join('\n')}`)
      }
      const existing = (values.existing ?? 'fail') as 'fail' | 'replace' | 'skip'
      if (!['fail', 'replace', 'skip'].includes(existing)) throw new UsageError('--existing is fail, replace or skip')
      const r = await reg.provision(tenant, csv.inputs, { existing, actor: actor(), paths: csv.paths })
      return io.out(
        `imported ${file}: ${r.created.length} created, ${r.replaced.length} replaced, ${r.skipped.length} skipped`,
      )
    }
    if (sub === 'remove') {
      if (!rest[0]) throw new UsageError('device remove needs a device id')
      await reg.deleteDevice(tenant, rest[0], actor(), { deleteEntity: !!values['delete-entity'] })
      return io.out(`removed device ${rest[0]}`)
    }
    throw new UsageError(`unknown subcommand "device ${sub}"\n\n${DEVICE_HELP}`)
  })
}
