/** Comuni as tenants: ISTAT code as id, name, province, region, boundary (PostGIS), population, time zone. */
import { type Kysely, sql } from 'kysely'
import { TENANT_ID_RE } from '../../config.js'
import type { DB } from '../../db/schema.js'
import { AppError } from '../../errors.js'
import type { AuditActor, AuditService } from '../audit/service.js'
import { PLATFORM } from '../audit/service.js'
import { validateBoundary } from './boundary.js'

export interface Tenant {
  id: string
  name: string
  province: string | null
  region: string | null
  population: number | null
  timezone: string
  /** [lon, lat] of a point inside the boundary, when there is one. */
  center: [number, number] | null
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number] | null
  createdAt: string
  updatedAt: string
  boundary?: unknown
}

export interface TenantInput {
  id?: string
  name?: string
  province?: string | null
  region?: string | null
  boundary?: unknown
  population?: number | null
  timezone?: string
}

function checkTimezone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return tz
  } catch {
    throw new AppError('BadRequestData', `Unknown time zone "${tz}"`)
  }
}

export function checkTenantId(id: unknown): string {
  if (typeof id !== 'string' || !TENANT_ID_RE.test(id)) {
    throw new AppError(
      'BadRequestData',
      'A tenant id is the ISTAT code of the Comune (e.g. 046017): letters, digits, _ and -, at most 64 characters',
    )
  }
  return id
}

const columns = (withBoundary: boolean) =>
  [
    'id',
    'name',
    'province',
    'region',
    'population',
    'timezone',
    'created_at',
    'updated_at',
    sql<string | null>`ST_AsGeoJSON(ST_PointOnSurface(boundary), 6)`.as('center'),
    sql<string | null>`ST_AsGeoJSON(ST_Envelope(boundary), 6)`.as('envelope'),
    ...(withBoundary ? [sql<string | null>`ST_AsGeoJSON(boundary, 6)`.as('boundary_json')] : []),
  ] as const

function toTenant(r: any): Tenant {
  const center = r.center ? (JSON.parse(r.center).coordinates as [number, number]) : null
  let bbox: Tenant['bbox'] = null
  if (r.envelope) {
    const ring = JSON.parse(r.envelope).coordinates[0] as [number, number][]
    const xs = ring.map((p) => p[0])
    const ys = ring.map((p) => p[1])
    bbox = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]
  }
  return {
    id: r.id,
    name: r.name,
    province: r.province,
    region: r.region,
    population: r.population,
    timezone: r.timezone,
    center,
    bbox,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    ...(r.boundary_json !== undefined ? { boundary: r.boundary_json ? JSON.parse(r.boundary_json) : null } : {}),
  }
}

export function createTenantService(db: Kysely<DB>, audit: AuditService) {
  const known = new Set<string>()

  async function get(id: string, withBoundary = false): Promise<Tenant | undefined> {
    const row = await db
      .selectFrom('tenants')
      .select(columns(withBoundary) as any)
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toTenant(row) : undefined
  }

  function validate(input: TenantInput, creating: boolean) {
    if (creating) checkTenantId(input.id)
    if (creating || input.name !== undefined) {
      if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 200) {
        throw new AppError('BadRequestData', 'name must be a non-empty string of at most 200 characters')
      }
    }
    for (const k of ['province', 'region'] as const) {
      const v = input[k]
      if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > 200)) {
        throw new AppError('BadRequestData', `${k} must be a string of at most 200 characters`)
      }
    }
    if (input.population !== undefined && input.population !== null) {
      if (!Number.isInteger(input.population) || input.population < 0) {
        throw new AppError('BadRequestData', 'population must be a non-negative integer')
      }
    }
    if (input.timezone !== undefined) checkTimezone(String(input.timezone))
    return input.boundary === undefined || input.boundary === null ? input.boundary : validateBoundary(input.boundary)
  }

  /** Refuses (rolling back) a boundary that PostGIS finds invalid, e.g. self-intersecting. */
  async function checkValidGeometry(trx: Kysely<DB>, id: string): Promise<void> {
    const r = await sql<{ reason: string | null }>`SELECT CASE WHEN boundary IS NULL OR ST_IsValid(boundary) THEN NULL
      ELSE ST_IsValidReason(boundary) END AS reason FROM tenants WHERE id = ${id}`.execute(trx)
    const reason = r.rows[0]?.reason
    if (reason) throw new AppError('BadRequestData', `Invalid boundary: ${reason}`)
  }

  const geomSql = (boundary: unknown) =>
    boundary === null ? sql`NULL` : sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(boundary)}), 4326))`

  return {
    get,

    /** True when the tenant exists. Positive answers are cached (tenants are never deleted). */
    async exists(id: string): Promise<boolean> {
      if (known.has(id)) return true
      const row = await db.selectFrom('tenants').select('id').where('id', '=', id).executeTakeFirst()
      if (row) known.add(id)
      return !!row
    },

    async list(): Promise<Tenant[]> {
      const rows = await db
        .selectFrom('tenants')
        .select(columns(false) as any)
        .orderBy('name')
        .execute()
      return rows.map(toTenant)
    },

    async create(input: TenantInput, actor: AuditActor): Promise<Tenant> {
      const boundary = validate(input, true)
      const id = input.id as string
      await db.transaction().execute(async (trx) => {
        const exists = await trx.selectFrom('tenants').select('id').where('id', '=', id).executeTakeFirst()
        if (exists) throw new AppError('AlreadyExists', `Tenant ${id} already exists`)
        await trx
          .insertInto('tenants')
          .values({
            id,
            name: (input.name as string).trim(),
            province: input.province ?? null,
            region: input.region ?? null,
            population: input.population ?? null,
            timezone: input.timezone ?? 'Europe/Rome',
            boundary: boundary === undefined ? null : geomSql(boundary),
          })
          .execute()
        await checkValidGeometry(trx, id)
        await audit.record(actor, PLATFORM, 'tenant.create', id, { name: input.name }, trx)
        await audit.record(actor, id, 'tenant.create', id, { name: input.name }, trx)
      })
      known.add(id)
      return (await get(id))!
    },

    async update(id: string, input: TenantInput, actor: AuditActor): Promise<Tenant> {
      if (input.id !== undefined && input.id !== id) throw new AppError('BadRequestData', 'The tenant id cannot change')
      const boundary = validate(input, false)
      const changes: Record<string, unknown> = {}
      if (input.name !== undefined) changes.name = input.name.trim()
      if (input.province !== undefined) changes.province = input.province
      if (input.region !== undefined) changes.region = input.region
      if (input.population !== undefined) changes.population = input.population
      if (input.timezone !== undefined) changes.timezone = input.timezone
      if (boundary !== undefined) changes.boundary = geomSql(boundary)
      if (Object.keys(changes).length === 0) throw new AppError('BadRequestData', 'Nothing to update')
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('tenants')
          .set({ ...changes, updated_at: sql`now()` } as any)
          .where('id', '=', id)
          .executeTakeFirst()
        if (Number(r.numUpdatedRows) === 0) throw new AppError('NonexistentTenant', `Tenant ${id} does not exist`)
        if (boundary !== undefined) await checkValidGeometry(trx, id)
        const fields = Object.keys(changes)
        await audit.record(actor, id, 'tenant.update', id, { fields }, trx)
      })
      return (await get(id))!
    },

    /** Creates a bare tenant if missing (NGSI-LD: a platform admin creating an entity in a new tenant). */
    async ensure(id: string, actor: AuditActor): Promise<boolean> {
      checkTenantId(id)
      if (known.has(id)) return false
      const created = await db.transaction().execute(async (trx) => {
        const r = await trx
          .insertInto('tenants')
          .values({ id, name: id })
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst()
        const did = Number(r.numInsertedOrUpdatedRows ?? 0n) > 0
        if (did) await audit.record(actor, PLATFORM, 'tenant.create', id, { implicit: true }, trx)
        return did
      })
      known.add(id)
      return created
    },
  }
}

export type TenantService = ReturnType<typeof createTenantService>
