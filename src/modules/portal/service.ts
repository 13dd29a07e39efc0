/**
 * The public city portal: categories, public entities (current state), their history in buckets (the temporal API's
 * aggregation), and "the city now". Read-only; no HTTP here.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { AppError, isAppError } from '../../errors.js'
import type { ContextResolver } from '../ngsi-ld/context/index.js'
import type { TemporalParams } from '../ngsi-ld/temporal/params.js'
import type { TemporalService } from '../ngsi-ld/temporal/service.js'
import { airIndex } from './air-index.js'
import { CATEGORY_IDS, publicCategories } from './categories.js'
import { type Catalog, type PortalEntity, type ResolvedMember, resolveCatalog, toPortalEntity } from './catalog.js'
import { type NowIris, selectEntities, selectNow } from './repo.js'

export const DEFAULT_LIMIT = 1000
export const MAX_LIMIT = 5000

/** History periods: their length and the bucket of the aggregation. */
export const PERIODS = {
  '24h': { ms: 24 * 3_600_000, bucket: 'PT15M', bucketMs: 15 * 60_000 },
  '7d': { ms: 7 * 24 * 3_600_000, bucket: 'PT2H', bucketMs: 2 * 3_600_000 },
  '30d': { ms: 30 * 24 * 3_600_000, bucket: 'PT6H', bucketMs: 6 * 3_600_000 },
} as const
export type PeriodName = keyof typeof PERIODS

const bad = (m: string) => new AppError('BadRequestData', m)
const round = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10 ** digits) / 10 ** digits
const iso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null)

export interface SeriesPoint {
  t: string
  avg: number | null
  min: number | null
  max: number | null
}

export function createPortalService(deps: { db: Kysely<DB>; resolver: ContextResolver; temporal: TemporalService }) {
  const { db } = deps
  let catalogPromise: Promise<Catalog> | undefined
  const catalog = () => {
    catalogPromise ??= resolveCatalog(deps.resolver).catch((e) => {
      catalogPromise = undefined
      throw e
    })
    return catalogPromise
  }

  async function entities(
    tenant: string,
    members: ResolvedMember[],
    cat: Catalog,
    page: Parameters<typeof selectEntities>[4],
  ) {
    const rows = await selectEntities(db, tenant, cat, members, page)
    const items: PortalEntity[] = []
    for (const r of rows.items) {
      const m = cat.members[r.m]
      if (m) items.push(toPortalEntity(m, r.id, r.attrs ?? {}))
    }
    return { total: rows.total, items }
  }

  async function getOne(tenant: string, id: string): Promise<{ entity: PortalEntity; member: ResolvedMember }> {
    const cat = await catalog()
    const rows = await selectEntities(db, tenant, cat, cat.members, { limit: 1, offset: 0, ids: [id] })
    const r = rows.items[0]
    const member = r ? cat.members[r.m] : undefined
    if (!r || !member) throw new AppError('ResourceNotFound', `No public entity ${id} in this Comune`)
    return { entity: toPortalEntity(member, r.id, r.attrs ?? {}), member }
  }

  return {
    catalog,
    categories: publicCategories,

    async list(tenant: string, q: { category?: string; limit?: number; offset?: number }) {
      const limit = q.limit ?? DEFAULT_LIMIT
      const offset = q.offset ?? 0
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
        throw bad(`limit must be an integer from 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT})`)
      }
      if (!Number.isInteger(offset) || offset < 0) throw bad('offset must be a non-negative integer')
      if (q.category !== undefined && !CATEGORY_IDS.includes(q.category)) {
        throw bad(`category must be one of ${CATEGORY_IDS.join(', ')}`)
      }
      const cat = await catalog()
      return entities(tenant, cat.select(q.category), cat, { limit, offset })
    },

    async get(tenant: string, id: string): Promise<PortalEntity> {
      return (await getOne(tenant, id)).entity
    },

    /** The public ones of these entities (the live feed), in one statement. */
    async byIds(tenant: string, ids: readonly string[]): Promise<PortalEntity[]> {
      if (ids.length === 0) return []
      const cat = await catalog()
      return (await entities(tenant, cat.members, cat, { limit: ids.length, offset: 0, ids })).items
    },

    async series(tenant: string, id: string, attr: string | undefined, period: string | undefined) {
      const p = PERIODS[(period ?? '24h') as PeriodName]
      if (!p || !Object.hasOwn(PERIODS, period ?? '24h'))
        throw bad(`period must be one of ${Object.keys(PERIODS).join(', ')}`)
      const { entity, member } = await getOne(tenant, id)
      const name = attr ?? member.primaryAttr
      const current = entity.values[name]
      if (!member.member.measured.includes(name) || typeof current?.value !== 'number') {
        const numeric = member.member.measured.filter((a) => typeof entity.values[a]?.value === 'number')
        throw bad(`attr must be a numeric measurement of this entity: ${numeric.join(', ') || '(none)'}`)
      }
      const iri = member.ctx.expand(name)
      const now = Date.now()
      // buckets on round times (multiples of the bucket since the epoch), the first one holding now - period
      const start = new Date(Math.floor((now - p.ms) / p.bucketMs) * p.bucketMs).toISOString()
      const params: TemporalParams = {
        window: { timerel: 'after', timeAt: start, timeproperty: 'observedAt' },
        render: {
          format: 'aggregatedValues',
          sysAttrs: false,
          attrs: [iri],
          aggrMethods: ['avg', 'min', 'max'],
          period: { kind: 'fixed', ms: p.bucketMs },
        },
      }
      let points: SeriesPoint[] = []
      try {
        const { entity: te } = await deps.temporal.retrieve(tenant, member.ctx, id, params)
        points = toPoints(te[name])
      } catch (e) {
        if (!(isAppError(e) && e.code === 'ResourceNotFound')) throw e
      }
      return {
        attr: name,
        unitCode: current.unitCode ?? null,
        period: period ?? '24h',
        bucket: p.bucket,
        from: start,
        points,
      }
    },

    async now(tenant: string) {
      const cat = await catalog()
      const pick = (category: string, type: string) =>
        cat.members.filter((m) => m.category.id === category && m.member.type === type)
      const iri = (ms: ResolvedMember[], a: string) => ms[0]!.ctx.expand(a)
      const air = pick('air', 'AirQualityObserved')
      const weather = pick('weather', 'WeatherObserved')
      const traffic = pick('traffic', 'TrafficFlowObserved')
      const parking = pick('parking', 'OffStreetParking')
      const energy = pick('energy', 'ThreePhaseAcMeasurement')
      const k: NowIris = {
        air: { m: air, no2: iri(air, 'no2'), pm10: iri(air, 'pm10'), pm25: iri(air, 'pm25'), o3: iri(air, 'o3') },
        weather: {
          m: weather,
          temperature: iri(weather, 'temperature'),
          relativeHumidity: iri(weather, 'relativeHumidity'),
          precipitation: iri(weather, 'precipitation'),
          windSpeed: iri(weather, 'windSpeed'),
        },
        traffic: {
          m: traffic,
          intensity: iri(traffic, 'intensity'),
          speed: iri(traffic, 'averageVehicleSpeed'),
          congested: iri(traffic, 'congested'),
        },
        parking: { m: parking, free: iri(parking, 'availableSpotNumber'), total: iri(parking, 'totalSpotNumber') },
        energy: { m: energy, power: iri(energy, 'totalActivePower'), energy: iri(energy, 'totalActiveEnergyImport') },
      }
      const r = await selectNow(db, tenant, k)
      const pollutants = {
        no2: round(r.air.no2),
        pm10: round(r.air.pm10),
        pm25: round(r.air.pm25),
        o3: round(r.air.o3),
      }
      const index = airIndex(pollutants)
      return {
        at: new Date().toISOString(),
        air: r.air.n > 0 && index ? { ...index, stations: r.air.n, ...pollutants, observedAt: iso(r.air.at) } : null,
        weather:
          r.weather.n > 0
            ? {
                temperature: round(r.weather.temperature),
                relativeHumidity: round(r.weather.relativeHumidity, 2),
                precipitation: round(r.weather.precipitation),
                windSpeed: round(r.weather.windSpeed),
                stations: r.weather.n,
                observedAt: iso(r.weather.at),
              }
            : null,
        traffic:
          r.traffic.n > 0
            ? {
                intensity: round(r.traffic.intensity, 0),
                averageVehicleSpeed: round(r.traffic.speed),
                congested: r.traffic.congested,
                roads: r.traffic.n,
                observedAt: iso(r.traffic.at),
              }
            : null,
        parking:
          r.parking.n > 0
            ? { free: r.parking.free, total: r.parking.total, carParks: r.parking.n, observedAt: iso(r.parking.at) }
            : null,
        energy:
          r.energy.n > 0
            ? {
                todayKWh: round(r.energy.kwh ?? 0),
                powerKW: round(r.energy.power),
                buildings: r.energy.n,
                observedAt: iso(r.energy.at),
              }
            : null,
      }
    },
  }
}

/** The aggregated temporal representation of one attribute -> points (the default dataset). */
function toPoints(attr: unknown): SeriesPoint[] {
  const series = Array.isArray(attr) ? attr.find((a) => a && !a.datasetId) : attr
  if (!series || typeof series !== 'object') return []
  const s = series as Record<string, [unknown, string, string][] | undefined>
  const n = (v: unknown) => (typeof v === 'number' ? v : null)
  return (s.avg ?? []).map(([v, t], i) => ({ t, avg: n(v), min: n(s.min?.[i]?.[0]), max: n(s.max?.[i]?.[0]) }))
}

export type PortalService = ReturnType<typeof createPortalService>
