/**
 * HTTP of the mobility module under /api/mobility/{tenant} (docs/mobility.md): reading needs a role in the tenant,
 * imports `operator`, settings `admin`; the role is checked before anything else (preValidation). Imports stream
 * the request body (never buffered); with `Accept: application/x-ndjson` progress lines come first.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Role } from '../../config.js'
import { AppError } from '../../errors.js'
import type { Services } from '../../services.js'
import { requireRole } from '../auth/principal.js'
import { existingTenant } from '../tenants/routes.js'
import { evaluateDay, listAlerts } from './alerts.js'
import * as csv from './csv-export.js'
import { forecast } from './forecasting.js'
import type { Mapping } from './import/mapping.js'
import type { PresenceValue } from './import/presence.js'
import type { OriginKind } from './model.js'
import { report } from './report.js'
import type { Db } from './repo.js'
import * as s from './schemas.js'
import { classFilter, type ImportSummary, type MobilityService } from './service.js'
import { checkDay, checkPeriod } from './time.js'
import { events, tourism } from './tourism.js'
import { trafficAndParking } from './traffic.js'
import type { NgsiLd } from '../ngsi-ld/plugin.js'

type Req = FastifyRequest<{ Params: { tenant: string }; Querystring: Record<string, string | undefined> }>

const int = (v: unknown, name: string, def: number, min: number, max: number) => {
  if (v === undefined || v === '') return def
  const n = Number(v)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new AppError('BadRequestData', `${name} must be an integer from ${min} to ${max}`)
  return n
}

function parseMapping(raw: string | undefined): Mapping | undefined {
  if (raw === undefined || raw === '') return undefined
  try {
    const m = JSON.parse(raw) as unknown
    return s.checkMapping(m)
  } catch (e) {
    if (e instanceof AppError) throw e
    throw new AppError('BadRequestData', `mapping is not JSON: ${(e as Error).message}`)
  }
}

export function mobilityRoutes(
  app: FastifyInstance,
  deps: { services: Services; svc: MobilityService; db: Db; ngsi: NgsiLd },
) {
  const { services, svc, db, ngsi } = deps
  const base = '/api/mobility/:tenant'
  const guard = (min: Role) => async (request: FastifyRequest<{ Params: { tenant: string } }>) => {
    requireRole(request, request.params.tenant, min)
    await existingTenant(services, request)
  }
  const read = { preValidation: guard('viewer') }
  const tenantOf = (r: Req) => r.params.tenant
  const period = async (r: Req, defDays = 30) => {
    if (r.query.from !== undefined || r.query.to !== undefined) return checkPeriod(r.query.from, r.query.to)
    const last = await svc.lastDay(tenantOf(r))
    if (!last) throw new AppError('ResourceNotFound', 'this Comune has no presence data yet: import some first')
    const from = new Date(Date.parse(last) - (defDays - 1) * 86_400_000).toISOString().slice(0, 10)
    return { from, to: last }
  }
  const tag = { tags: s.TAG }
  /** `?format=csv`: the same published answer as a CSV download. */
  const exportable = async <T>(
    r: Req,
    reply: FastifyReply,
    name: string,
    value: Promise<T>,
    toCsv: (v: T) => string,
  ) => {
    const v = await value
    if (r.query.format === undefined || r.query.format === 'json') return v
    if (r.query.format !== 'csv') throw new AppError('BadRequestData', 'format must be json or csv')
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${tenantOf(r)}-${name}.csv"`)
      .send(toCsv(v))
  }

  app.get(
    `${base}/meta`,
    { ...read, schema: { ...tag, summary: 'What data the Comune has, k, synthetic flag' } },
    (r: Req) => svc.meta(tenantOf(r)),
  )
  app.get(`${base}/zones`, { ...read, schema: { ...tag, summary: 'Zones as GeoJSON' } }, (r: Req) =>
    svc.zones(tenantOf(r), r.query.layer),
  )
  app.get(
    `${base}/heatmap`,
    { ...read, schema: { ...tag, summary: 'Presence of every zone by hour for one day' } },
    async (r: Req, reply: FastifyReply) => {
      const day = r.query.day ?? (await svc.lastDay(tenantOf(r)))
      if (!day) throw new AppError('ResourceNotFound', 'this Comune has no presence data yet')
      const h = svc.heatmap(tenantOf(r), checkDay(day, 'day'), classFilter(r.query.class))
      return exportable(r, reply, `heatmap-${day}`, h, csv.heatmapCsv)
    },
  )
  app.get(
    `${base}/series`,
    { ...read, schema: { ...tag, summary: "A zone's presence per class, hourly or daily" } },
    async (r: Req, reply: FastifyReply) => {
      const p = await period(r, 14)
      const resolution = r.query.resolution ?? 'hour'
      if (resolution !== 'hour' && resolution !== 'day')
        throw new AppError('BadRequestData', 'resolution must be hour or day')
      const v = svc.series(tenantOf(r), s.zoneParam(r.query.zone), p.from, p.to, resolution)
      return exportable(r, reply, `series-${p.from}-${p.to}`, v, csv.seriesCsv)
    },
  )
  app.get(
    `${base}/profiles`,
    { ...read, schema: { ...tag, summary: 'Mean presence by hour per day type' } },
    async (r: Req) => {
      const p = await period(r, 90)
      return svc.profiles(tenantOf(r), s.zoneParam(r.query.zone), classFilter(r.query.class), p.from, p.to)
    },
  )
  app.get(
    `${base}/origins`,
    { ...read, schema: { ...tag, summary: 'Top origins (countries, provinces, municipalities)' } },
    async (r: Req, reply: FastifyReply) => {
      const p = await period(r)
      const kind = (r.query.kind ?? 'country') as OriginKind
      if (!['country', 'province', 'municipality'].includes(kind))
        throw new AppError('BadRequestData', 'kind must be country, province or municipality')
      const v = svc.origins(
        tenantOf(r),
        p.from,
        p.to,
        classFilter(r.query.class),
        kind,
        int(r.query.limit, 'limit', 20, 1, 200),
      )
      return exportable(r, reply, `origins-${kind}-${p.from}-${p.to}`, v, csv.originsCsv)
    },
  )
  app.get(
    `${base}/flows`,
    { ...read, schema: { ...tag, summary: 'Top origin-destination flows' } },
    async (r: Req, reply: FastifyReply) => {
      const p = await period(r)
      const v = svc.flows(
        tenantOf(r),
        p.from,
        p.to,
        classFilter(r.query.class),
        int(r.query.limit, 'limit', 100, 1, 1000),
      )
      return exportable(r, reply, `flows-${p.from}-${p.to}`, v, csv.flowsCsv)
    },
  )
  app.get(
    `${base}/od`,
    { ...read, schema: { ...tag, summary: 'Origin-destination matrix of the busiest zones' } },
    async (r: Req) => {
      const p = await period(r)
      return svc.od(tenantOf(r), p.from, p.to, classFilter(r.query.class), int(r.query.size, 'size', 15, 2, 60))
    },
  )
  app.get(
    `${base}/commuters`,
    { ...read, schema: { ...tag, summary: 'Commuter inflow and outflow by time band' } },
    async (r: Req) => {
      const p = await period(r)
      return svc.commuters(tenantOf(r), p.from, p.to)
    },
  )
  app.get(
    `${base}/dwell`,
    { ...read, schema: { ...tag, summary: 'Mean dwell time per zone and class, where given' } },
    async (r: Req) => {
      const p = await period(r)
      return svc.dwell(tenantOf(r), p.from, p.to)
    },
  )
  app.get(
    `${base}/traffic`,
    { ...read, schema: { ...tag, summary: 'Traffic counters and car parks (broker history) beside presence, hourly' } },
    async (r: Req) => {
      const p = await period(r, 7)
      if ((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000 > 92)
        throw new AppError('BadRequestData', 'at most 93 days')
      return trafficAndParking({ db, ngsi, svc }, tenantOf(r), p.from, p.to)
    },
  )
  app.get(
    `${base}/tourism`,
    { ...read, schema: { ...tag, summary: 'Visitors, foreign share, overnight stays, last year' } },
    async (r: Req, reply: FastifyReply) => {
      const p = await period(r)
      return exportable(r, reply, `tourism-${p.from}-${p.to}`, tourism(svc, tenantOf(r), p.from, p.to), csv.tourismCsv)
    },
  )
  app.get(
    `${base}/events`,
    { ...read, schema: { ...tag, summary: 'Days that stand out against days of their type' } },
    async (r: Req) => {
      const p = await period(r, 90)
      return events(svc, tenantOf(r), s.zoneParam(r.query.zone), p.from, p.to)
    },
  )
  app.get(
    `${base}/forecast`,
    { ...read, schema: { ...tag, summary: 'Next 7 days hourly, with interval and backtested MAPE' } },
    (r: Req) => forecast(svc, tenantOf(r), s.zoneParam(r.query.zone), classFilter(r.query.class)),
  )
  app.get(
    `${base}/alerts`,
    { ...read, schema: { ...tag, summary: 'Presence alerts (NGSI-LD Alert entities)' } },
    (r: Req) => listAlerts({ db, ngsi, svc }, tenantOf(r), int(r.query.limit, 'limit', 50, 1, 500)),
  )
  app.post(
    `${base}/alerts/evaluate`,
    { preValidation: guard('operator'), schema: { ...tag, summary: 'Compare a day with its forecast; write alerts' } },
    async (r: FastifyRequest<{ Params: { tenant: string }; Body: { day?: unknown } | undefined }>) => {
      const day = r.body?.day === undefined ? undefined : checkDay(r.body.day, 'day')
      return evaluateDay({ svc, ngsi }, r.params.tenant, day)
    },
  )
  app.get(
    `${base}/report`,
    { ...read, schema: { ...tag, summary: 'Everything of the printable report of a period' } },
    async (r: Req) => {
      const p = await period(r)
      return report({ svc }, tenantOf(r), p.from, p.to)
    },
  )
  app.get(
    `${base}/imports`,
    { preValidation: guard('operator'), schema: { ...tag, summary: 'The last imports' } },
    async (r: Req) => ({
      items: await svc.imports(tenantOf(r), int(r.query.limit, 'limit', 20, 1, 200)),
    }),
  )
  app.get(
    `${base}/settings`,
    { preValidation: guard('admin'), schema: { ...tag, summary: 'k-threshold and column mapping' } },
    (r: Req) => svc.settings(tenantOf(r)),
  )
  app.put(
    `${base}/settings`,
    {
      preValidation: guard('admin'),
      schema: { ...tag, summary: 'Set k (recomputes the hidden cells) and the mapping', body: s.settingsBody },
    },
    (r: FastifyRequest<{ Params: { tenant: string }; Body: { k?: number; mapping?: unknown } }>) =>
      svc.putSettings(r.params.tenant, {
        ...(r.body.k !== undefined ? { k: r.body.k } : {}),
        ...(r.body.mapping !== undefined ? { mapping: s.checkMapping(r.body.mapping) } : {}),
      }),
  )
  app.put(
    `${base}/zones`,
    {
      preValidation: guard('operator'),
      schema: { ...tag, summary: 'Replace a layer of zones (GeoJSON FeatureCollection)' },
    },
    async (
      r: FastifyRequest<{ Params: { tenant: string }; Querystring: Record<string, string | undefined>; Body: unknown }>,
    ) => {
      const layer = s.layerParam(r.query.layer)
      const items = s.zonesFromGeoJson(r.body, r.query.idProperty, r.query.nameProperty)
      try {
        await svc.putZones(r.params.tenant, layer, items)
      } catch (e) {
        if (e instanceof AppError) throw e
        throw new AppError('BadRequestData', `a zone geometry was refused: ${(e as Error).message.slice(0, 200)}`)
      }
      return { layer, zones: items.length }
    },
  )
  app.post(
    `${base}/presence`,
    {
      preValidation: guard('operator'),
      schema: { ...tag, summary: 'Presence as JSON records (at most 10,000)', body: s.recordsBody },
    },
    (r: FastifyRequest<{ Params: { tenant: string }; Body: PresenceValue[] }>) =>
      svc.presenceRecords(r.params.tenant, r.body, r.actor().name),
  )
  app.post(
    `${base}/flows`,
    {
      preValidation: guard('operator'),
      schema: { ...tag, summary: 'Flows as JSON records (at most 10,000)', body: s.recordsBody },
    },
    (r: FastifyRequest<{ Params: { tenant: string }; Body: Record<string, unknown>[] }>) =>
      svc.flowRecords(r.params.tenant, r.body, r.actor().name),
  )

  // Streamed imports: the body reaches the handler as a stream, whatever its content type.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload))
    const upload = (kind: 'presence' | 'flows') => async (r: Req, reply: FastifyReply) => {
      const tenant = tenantOf(r)
      const body = r.body as unknown as AsyncIterable<Uint8Array> | undefined
      if (!body || typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') {
        throw new AppError('BadRequestData', 'send the file as the request body (text/csv)')
      }
      const format = r.query.format ?? 'csv'
      if (format !== 'csv' && format !== 'telecom')
        throw new AppError('BadRequestData', 'format must be csv or telecom')
      if (kind === 'flows' && format !== 'csv') throw new AppError('BadRequestData', 'flows come as csv')
      const mapping = parseMapping(r.query.mapping)
      const filename = r.query.filename?.slice(0, 200) ?? (r.headers['x-filename'] as string | undefined)?.slice(0, 200)
      const opts = { ...(mapping ? { mapping } : {}), ...(filename ? { filename } : {}), actor: r.actor().name }
      const run = (onProgress?: (p: unknown) => void): Promise<ImportSummary> =>
        kind === 'presence'
          ? svc.importPresence(tenant, body, { ...opts, format, ...(onProgress ? { onProgress } : {}) })
          : svc.importFlows(tenant, body, { ...opts, ...(onProgress ? { onProgress } : {}) })
      if (!String(r.headers.accept ?? '').includes('application/x-ndjson')) return run()
      reply.hijack()
      const out = reply.raw
      out.writeHead(200, { 'content-type': 'application/x-ndjson', 'x-request-id': String(r.id) })
      try {
        const summary = await run((p) => out.write(`${JSON.stringify({ progress: p })}\n`))
        out.end(`${JSON.stringify({ summary })}\n`)
      } catch (e) {
        const err =
          e instanceof AppError
            ? { status: e.status, code: e.code, detail: e.message }
            : { status: 500, detail: 'import failed' }
        if (!(e instanceof AppError)) r.log.error({ err: e }, 'mobility import failed')
        out.end(`${JSON.stringify({ error: err })}\n`)
      }
      return reply
    }
    scope.post(
      `${base}/imports/presence`,
      {
        preValidation: guard('operator'),
        schema: { ...tag, summary: 'Import presence (CSV or Telecom Italia TSV, streamed)' },
      },
      upload('presence'),
    )
    scope.post(
      `${base}/imports/flows`,
      {
        preValidation: guard('operator'),
        schema: { ...tag, summary: 'Import origin-destination flows (CSV, streamed)' },
      },
      upload('flows'),
    )
  })
}
