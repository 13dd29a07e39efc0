/** `urbe mobility ...`: imports of presence and flows, zone layers and settings, on the database, with progress. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Config } from '../config.js'
import { openDatabase } from '../db/database.js'
import { migrate } from '../db/migrate.js'
import { AppError } from '../errors.js'
import { checkMapping, layerParam, zonesFromGeoJson } from '../modules/mobility/schemas.js'
import { createMobilityService, type MobilityService } from '../modules/mobility/service.js'
import { parse, table, UsageError } from './args.js'
import type { Io } from './commands.js'

export const MOBILITY_HELP = `urbe mobility import presence --tenant ISTAT [--format csv|telecom] [--mapping FILE.json] FILE...
urbe mobility import flows --tenant ISTAT [--mapping FILE.json] FILE...
urbe mobility zones --tenant ISTAT [--layer NAME] [--id-property P] [--name-property P] FILE.geojson
urbe mobility imports --tenant ISTAT
urbe mobility k --tenant ISTAT N
  Presence CSV: zone,time,class,count[,origin][,dwell] (or mapped names); flows CSV:
  day,origin_zone,destination_zone,band,class,count; telecom = the Telecom Italia Big Data Challenge files.
  Files stream (any size); each bad row is reported with its line. See docs/mobility.md.`

async function withService<T>(config: Config, fn: (s: MobilityService) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 3 })
  try {
    await migrate(database)
    return await fn(createMobilityService({ db: database.db, maxImportBytes: config.mobilityImportLimit }))
  } finally {
    await database.close()
  }
}

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`

export async function mobilityCmd(args: string[], config: Config, io: Io): Promise<void> {
  const { values, positionals } = parse(args, {
    tenant: { type: 'string' },
    format: { type: 'string' },
    mapping: { type: 'string' },
    layer: { type: 'string' },
    'id-property': { type: 'string' },
    'name-property': { type: 'string' },
  })
  const [sub, ...rest] = positionals
  if (values.help || !sub) return io.out(MOBILITY_HELP)
  const tenant = values.tenant as string | undefined
  if (!tenant) throw new UsageError(`--tenant is required\n\n${MOBILITY_HELP}`)
  await withService(config, async (svc) => {
    if (sub === 'import') {
      const [kind, ...files] = rest
      if ((kind !== 'presence' && kind !== 'flows') || files.length === 0) throw new UsageError(MOBILITY_HELP)
      const format = (values.format ?? 'csv') as 'csv' | 'telecom'
      if (format !== 'csv' && format !== 'telecom') throw new UsageError('--format must be csv or telecom')
      const mapping = values.mapping ? checkMapping(JSON.parse(fs.readFileSync(values.mapping, 'utf8'))) : undefined
      for (const file of files) {
        const size = fs.statSync(file).size
        const t0 = Date.now()
        const onProgress = (p: { rows: number; rejected: number; bytes: number }) => {
          const rate = Math.round(p.rows / ((Date.now() - t0) / 1000))
          process.stderr.write(
            `\r${path.basename(file)}: ${mb(p.bytes)} / ${mb(size)} (${Math.round((100 * p.bytes) / Math.max(1, size))} %), ${p.rows} rows, ${p.rejected} rejected, ${rate} rows/s   `,
          )
        }
        const opts = {
          filename: path.basename(file),
          actor: `cli:${os.userInfo().username}`,
          onProgress,
          ...(mapping ? { mapping } : {}),
        }
        const input = fs.createReadStream(file)
        const r =
          kind === 'presence'
            ? await svc.importPresence(tenant, input, { ...opts, format })
            : await svc.importFlows(tenant, input, opts)
        process.stderr.write('\n')
        io.out(
          `${file}: ${r.rows} rows, ${r.imported} imported, ${r.rejected} rejected in ${r.seconds.toFixed(1)} s` +
            `${r.days ? ` (days ${r.days.from} to ${r.days.to})` : ''}`,
        )
        for (const p of r.problems.slice(0, 20)) io.out(`  line ${p.line}: ${p.reason}`)
        if (r.rejected > 20)
          io.out(`  ... and ${r.rejected - 20} more (all counted; the first 100 are kept in the import log)`)
      }
      return
    }
    if (sub === 'zones') {
      const [file] = rest
      if (!file) throw new UsageError(MOBILITY_HELP)
      const items = zonesFromGeoJson(
        JSON.parse(fs.readFileSync(file, 'utf8')),
        values['id-property'],
        values['name-property'],
      )
      const layer = layerParam(values.layer)
      await svc.putZones(tenant, layer, items)
      io.out(`${items.length} zones in layer ${layer}`)
      return
    }
    if (sub === 'imports') {
      const items = await svc.imports(tenant, 20)
      io.out(
        table(items as unknown as Record<string, unknown>[], [
          'id',
          'kind',
          'format',
          'filename',
          'status',
          'rows',
          'imported',
          'rejected',
          'startedAt',
        ]),
      )
      return
    }
    if (sub === 'k') {
      const k = Number(rest[0])
      if (!Number.isInteger(k) || k < 3 || k > 1000)
        throw new AppError('BadRequestData', 'k must be an integer from 3 to 1000')
      const s = await svc.putSettings(tenant, { k })
      io.out(`k = ${s.k}: every stored day's hidden cells recomputed`)
      return
    }
    throw new UsageError(`unknown subcommand "${sub}"\n\n${MOBILITY_HELP}`)
  })
}
