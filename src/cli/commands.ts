/** The admin commands of `urbe`: they work on the database directly, through the same services as the API. */
import fs from 'node:fs'
import os from 'node:os'
import type { Config } from '../config.js'
import { type Database, openDatabase } from '../db/database.js'
import { migrate } from '../db/migrate.js'
import { AppError } from '../errors.js'
import { checkRole } from '../modules/auth/users-service.js'
import { createServices, type Services } from '../services.js'
import { parse, readStdin, table, UsageError } from './args.js'

export interface Io {
  out(s: string): void
}

const actor = () => ({ name: `cli:${os.userInfo().username}` })

async function withServices<T>(config: Config, fn: (s: Services, d: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 })
  try {
    await migrate(database)
    return await fn(createServices(database, config), database)
  } finally {
    await database.close()
  }
}

async function password(values: Record<string, unknown>): Promise<string> {
  if (typeof values.password === 'string') return values.password
  if (values['password-stdin']) return readStdin()
  if (process.env.URBE_PASSWORD) return process.env.URBE_PASSWORD
  throw new UsageError('give the password with --password-stdin (safest), --password or URBE_PASSWORD')
}

export const HELP: Record<string, string> = {
  migrate: 'urbe migrate\n  Apply the pending database migrations and exit.',
  tenant: `urbe tenant add <istat-code> --name NAME [--province P] [--region R] [--population N]
                  [--timezone Europe/Rome] [--boundary FILE.geojson]
urbe tenant update <istat-code> [--name NAME] [--province P] [--region R] [--population N]
                     [--timezone Europe/Rome] [--boundary FILE.geojson]
urbe tenant list
  Create, update or list Comuni (tenants). The boundary file holds a GeoJSON Polygon or MultiPolygon
  (or a Feature / FeatureCollection of one).`,
  user: `urbe user add <username> [--password-stdin | --password P] [--name "Display Name"]
                [--superadmin] [--tenant ISTAT --role viewer|operator|admin]
urbe user passwd <username> [--password-stdin | --password P]
  Create a local account (optionally with a role in a Comune), or set its password.
  The password may also come from URBE_PASSWORD.`,
  apikey: `urbe apikey create --tenant ISTAT --name NAME --role viewer|operator|admin [--days 365]
urbe apikey list --tenant ISTAT
urbe apikey revoke --tenant ISTAT <key-id>
  API keys are shown once, at creation; send them as "Authorization: Bearer <key>".`,
}

export async function tenantCmd(args: string[], config: Config, io: Io): Promise<void> {
  const { values, positionals: all } = parse(args, {
    name: { type: 'string' },
    province: { type: 'string' },
    region: { type: 'string' },
    population: { type: 'string' },
    timezone: { type: 'string' },
    boundary: { type: 'string' },
  })
  const [sub, ...positionals] = all
  if (values.help || !sub) return io.out(HELP.tenant!)
  if (sub === 'list') {
    return withServices(config, async (s) => {
      const list = await s.tenants.list()
      io.out(
        table(list as unknown as Record<string, unknown>[], [
          'id',
          'name',
          'province',
          'region',
          'population',
          'timezone',
        ]),
      )
    })
  }
  if (sub !== 'add' && sub !== 'update') throw new UsageError(`unknown subcommand "tenant ${sub}"\n\n${HELP.tenant}`)
  const id = positionals[0]
  if (!id) throw new UsageError(`tenant ${sub} needs an ISTAT code\n\n${HELP.tenant}`)
  if (sub === 'add' && !values.name) throw new UsageError(`tenant add needs --name\n\n${HELP.tenant}`)
  let boundary: unknown
  if (values.boundary) {
    try {
      boundary = JSON.parse(fs.readFileSync(values.boundary, 'utf8'))
    } catch (e) {
      throw new UsageError(`cannot read ${values.boundary}: ${(e as Error).message}`)
    }
  }
  const population = values.population === undefined ? undefined : Number(values.population)
  const given = {
    name: values.name,
    province: values.province,
    region: values.region,
    population,
    timezone: values.timezone,
    boundary,
  }
  const input = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined))
  await withServices(config, async (s) => {
    const t =
      sub === 'add' ? await s.tenants.create({ id, ...input }, actor()) : await s.tenants.update(id, input, actor())
    io.out(`${sub === 'add' ? 'created' : 'updated'} tenant ${t.id} (${t.name})`)
  })
}

export async function userCmd(args: string[], config: Config, io: Io): Promise<void> {
  const { values, positionals: all } = parse(args, {
    password: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    name: { type: 'string' },
    superadmin: { type: 'boolean' },
    tenant: { type: 'string' },
    role: { type: 'string' },
  })
  const [sub, ...positionals] = all
  if (values.help || !sub) return io.out(HELP.user!)
  const username = positionals[0]
  if (!username) throw new UsageError(`a user name is needed\n\n${HELP.user}`)
  if (sub === 'add') {
    if ((values.tenant === undefined) !== (values.role === undefined))
      throw new UsageError('--tenant and --role go together')
    const role = values.role === undefined ? undefined : checkRole(values.role)
    const pw = await password(values)
    await withServices(config, async (s) => {
      if (values.tenant && !(await s.tenants.exists(values.tenant))) {
        throw new AppError('NonexistentTenant', `Tenant ${values.tenant} does not exist`)
      }
      const u = await s.users.create(
        { username, password: pw, displayName: values.name, superadmin: !!values.superadmin },
        actor(),
      )
      if (values.tenant && role) await s.users.setRole(values.tenant, u.id, role, actor())
      io.out(
        `created user ${u.username}${u.superadmin ? ' (superadmin)' : ''}${role ? `, ${role} of ${values.tenant}` : ''}`,
      )
    })
    return
  }
  if (sub === 'passwd') {
    const pw = await password(values)
    await withServices(config, async (s) => {
      await s.users.setPassword(username, pw, actor())
      io.out(`password of ${username} changed; its sessions are closed`)
    })
    return
  }
  throw new UsageError(`unknown subcommand "user ${sub}"\n\n${HELP.user}`)
}

export async function apikeyCmd(args: string[], config: Config, io: Io): Promise<void> {
  const { values, positionals: all } = parse(args, {
    tenant: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    days: { type: 'string' },
  })
  const [sub, ...positionals] = all
  if (values.help || !sub) return io.out(HELP.apikey!)
  const tenant = values.tenant
  if (!tenant) throw new UsageError(`--tenant is required\n\n${HELP.apikey}`)
  await withServices(config, async (s) => {
    if (!(await s.tenants.exists(tenant))) throw new AppError('NonexistentTenant', `Tenant ${tenant} does not exist`)
    if (sub === 'create') {
      const days = values.days === undefined ? undefined : Number(values.days)
      const k = await s.apiKeys.create(tenant, { name: values.name, role: values.role, expiresInDays: days }, actor())
      io.out(`API key ${k.id} (${k.role} of ${tenant}, expires ${k.expiresAt}). It is shown only now:\n${k.key}`)
    } else if (sub === 'list') {
      const keys = await s.apiKeys.list(tenant)
      io.out(
        table(keys as unknown as Record<string, unknown>[], [
          'id',
          'name',
          'role',
          'status',
          'createdAt',
          'expiresAt',
          'lastUsedAt',
        ]),
      )
    } else if (sub === 'revoke') {
      const id = positionals[0]
      if (!id) throw new UsageError('apikey revoke needs the key id')
      await s.apiKeys.revoke(tenant, id, actor())
      io.out(`revoked API key ${id}`)
    } else {
      throw new UsageError(`unknown subcommand "apikey ${sub}"\n\n${HELP.apikey}`)
    }
  })
}

export async function migrateCmd(args: string[], config: Config, io: Io): Promise<void> {
  const { values } = parse(args, {})
  if (values.help) return io.out(HELP.migrate!)
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 })
  try {
    const r = await migrate(database, undefined, (m) => io.out(`applying ${m.version} ${m.name}`))
    io.out(
      r.applied.length
        ? `applied ${r.applied.length} migration(s); schema version ${r.current}`
        : `schema is up to date (version ${r.current})`,
    )
  } finally {
    await database.close()
  }
}
