/**
 * The mobility module's logic without HTTP: imports, zones and settings, and the published analytics (presence
 * heatmap, series, day-type profiles, origins, flows, commuters). Tourism, events, forecasts, alerts and the report
 * build on these in their own files. Every figure is built from published cells only (docs/mobility.md, Privacy).
 */
import { AppError } from '../../errors.js'
import { addDays, daysBetween, dayType, holidaySet, italianHolidays, PATRONS } from './calendar/holidays.js'
import { importFlowRecords, importFlows } from './import/flows.js'
import type { Mapping } from './import/mapping.js'
import { importPresence, importPresenceRecords, type PresenceFormat, type PresenceValue } from './import/presence.js'
import type { Progress } from './import/progress.js'
import {
  type Cell,
  CLASSES,
  type ClassFilter,
  classCode,
  type DayType,
  HOURS,
  PEOPLE_CLASSES,
  VISITOR_CLASSES,
} from './model.js'
import { publishFigure } from './privacy.js'
import { byDay, cellsOf, peakOf, publishedAt } from './publish.js'
import { createOriginFlowAnalytics } from './origins-flows.js'
import * as q from './queries.js'
import * as repo from './repo.js'
import { localIso } from './time.js'

export const ALL_CODE = 9

export function classFilter(v: unknown): ClassFilter {
  const s = v === undefined || v === null || v === '' ? 'all' : String(v)
  if (s === 'all' || (CLASSES as readonly string[]).includes(s)) return s as ClassFilter
  throw new AppError('BadRequestData', `class must be all, ${CLASSES.join(', ')}`)
}
export const codeOf = (c: ClassFilter) => (c === 'all' ? ALL_CODE : classCode(c))

export interface ImportSummary {
  id: number
  kind: 'presence' | 'flows'
  rows: number
  imported: number
  rejected: number
  problems: { line: number; reason: string }[]
  days: { from: string; to: string } | null
  seconds: number
}

export function createMobilityService(deps: { db: repo.Db; maxImportBytes: number }) {
  const { db } = deps

  async function logged(
    tenant: string,
    kind: 'presence' | 'flows',
    v: { format: string; filename?: string | undefined; actor?: string | undefined },
    run: () => Promise<Omit<ImportSummary, 'id' | 'kind' | 'seconds'>>,
  ): Promise<ImportSummary> {
    const t0 = Date.now()
    const id = await repo.startImport(db, tenant, { kind, ...v })
    try {
      const r = await run()
      await repo.finishImport(db, id, {
        status: 'done',
        rows: r.rows,
        imported: r.imported,
        rejected: r.rejected,
        firstDay: r.days?.from ?? null,
        lastDay: r.days?.to ?? null,
        problems: r.problems,
      })
      return { id, kind, ...r, seconds: (Date.now() - t0) / 1000 }
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e)
      await repo
        .finishImport(db, id, {
          status: 'failed',
          rows: 0,
          imported: 0,
          rejected: 0,
          firstDay: null,
          lastDay: null,
          problems: [{ line: 0, reason }],
        })
        .catch(() => {})
      throw e
    }
  }

  async function settingsFor(tenant: string, mapping?: Mapping) {
    const s = await repo.getSettings(db, tenant)
    return { ...s, mapping: { ...s.mapping, ...mapping, columns: { ...s.mapping.columns, ...mapping?.columns } } }
  }

  const service = {
    settings: (tenant: string) => repo.getSettings(db, tenant),

    /** Changing k recomputes the hidden cells of every stored day and the flow roll-ups. */
    async putSettings(tenant: string, s: { k?: number; mapping?: Mapping; synthetic?: boolean }) {
      const before = await repo.getSettings(db, tenant)
      await repo.putSettings(db, tenant, s)
      if (s.k !== undefined && s.k !== before.k) {
        for (const day of await repo.allDays(db, tenant)) await repo.storeDay(db, tenant, day, s.k)
        await repo.rollupFlowMonths(db, tenant, await repo.flowMonths(db, tenant), s.k)
      }
      return repo.getSettings(db, tenant)
    },

    async importPresence(
      tenant: string,
      input: AsyncIterable<Uint8Array | string>,
      opts: {
        format?: PresenceFormat
        mapping?: Mapping
        filename?: string
        actor?: string
        onProgress?: (p: Progress) => void
      },
    ) {
      const s = await settingsFor(tenant, opts.mapping)
      const format = opts.format ?? 'csv'
      return logged(tenant, 'presence', { format, filename: opts.filename, actor: opts.actor }, () =>
        importPresence(db, tenant, input, {
          format,
          mapping: s.mapping,
          k: s.k,
          maxBytes: deps.maxImportBytes,
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        }),
      )
    },

    async importFlows(
      tenant: string,
      input: AsyncIterable<Uint8Array | string>,
      opts: { mapping?: Mapping; filename?: string; actor?: string; onProgress?: (p: Progress) => void },
    ) {
      const s = await settingsFor(tenant, opts.mapping)
      return logged(tenant, 'flows', { format: 'csv', filename: opts.filename, actor: opts.actor }, () =>
        importFlows(db, tenant, input, {
          mapping: s.mapping,
          k: s.k,
          maxBytes: deps.maxImportBytes,
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        }),
      )
    },

    async presenceRecords(tenant: string, records: PresenceValue[], actor?: string) {
      const s = await settingsFor(tenant)
      return logged(tenant, 'presence', { format: 'json', actor }, () =>
        importPresenceRecords(db, tenant, records, { mapping: s.mapping, k: s.k }),
      )
    },

    async flowRecords(tenant: string, records: Record<string, unknown>[], actor?: string) {
      const s = await settingsFor(tenant)
      return logged(tenant, 'flows', { format: 'json', actor }, () =>
        importFlowRecords(db, tenant, records, { mapping: s.mapping, k: s.k }),
      )
    },

    imports: (tenant: string, limit = 20) => repo.listImports(db, tenant, limit),

    async meta(tenant: string) {
      const [m, s] = await Promise.all([q.meta(db, tenant), repo.getSettings(db, tenant)])
      return {
        tenant,
        name: m.name ?? tenant,
        k: s.k,
        synthetic: s.synthetic,
        classes: [...PEOPLE_CLASSES],
        range: m.from && m.to ? { from: m.from, to: m.to } : null,
        zones: m.zones,
        layers: m.layers ?? [],
        flows: m.flows_from && m.flows_to ? { from: m.flows_from, to: m.flows_to } : null,
        origins: m.origins,
        timezone: 'Europe/Rome',
      }
    },

    async zones(tenant: string, layer?: string) {
      const rows = await q.zones(db, tenant, layer)
      return {
        type: 'FeatureCollection' as const,
        features: rows.map((z) => ({
          type: 'Feature' as const,
          id: z.zone,
          geometry: z.geometry,
          properties: { zone: z.zone, name: z.name ?? z.zone, layer: z.layer, center: [z.lon, z.lat] },
        })),
      }
    },

    putZones: (tenant: string, layer: string, items: { zone: string; name: string | null; geometry: unknown }[]) =>
      q.putZones(db, tenant, layer, items),

    async heatmap(tenant: string, day: string, cls: ClassFilter) {
      const { k } = await repo.getSettings(db, tenant)
      const [rows, names] = await Promise.all([q.heatmap(db, tenant, day, codeOf(cls)), q.zoneNames(db, tenant)])
      return {
        day,
        class: cls,
        k,
        hours: localHours(day),
        zones: rows
          .map((r) => ({ zone: r.zone, name: names.get(r.zone)?.name ?? r.zone, values: cellsOf(r) }))
          .sort((a, b) => (a.zone < b.zone ? -1 : 1)),
      }
    },

    async series(tenant: string, zone: string, from: string, to: string, resolution: 'hour' | 'day') {
      const z = zone === 'all' ? '' : zone
      const codes = [0, 1, 2, 3, ALL_CODE, classCode('activity')]
      const [rows, names, { k }] = await Promise.all([
        q.zoneDays(db, tenant, z, codes, from, to),
        q.zoneNames(db, tenant),
        repo.getSettings(db, tenant),
      ])
      const days = byDay(rows)
      const times: string[] = []
      const classes: Record<string, Cell[]> = Object.fromEntries(PEOPLE_CLASSES.map((c) => [c, [] as Cell[]]))
      const total: Cell[] = []
      const activity: Cell[] = []
      const hasActivity = rows.some((r) => r.class === classCode('activity'))
      for (const day of daysBetween(from, to)) {
        const d = days.get(day)
        if (resolution === 'day') {
          times.push(day)
          for (const c of PEOPLE_CLASSES) classes[c]!.push(publishFigure(peakOf(d?.get(classCode(c))), k))
          total.push(publishFigure(peakOf(d?.get(ALL_CODE)), k))
          if (hasActivity) activity.push(peakOf(d?.get(classCode('activity'))))
          continue
        }
        const per = PEOPLE_CLASSES.map((c) => cellsOf(d?.get(classCode(c))))
        const all = cellsOf(d?.get(ALL_CODE))
        const act = cellsOf(d?.get(classCode('activity')))
        for (let h = 0; h < HOURS; h++) {
          times.push(localIso(day, h))
          for (let i = 0; i < PEOPLE_CLASSES.length; i++) classes[PEOPLE_CLASSES[i]!]!.push(per[i]![h]!)
          total.push(all[h]!)
          if (hasActivity) activity.push(act[h]!)
        }
      }
      return {
        zone,
        name: z === '' ? 'all' : (names.get(z)?.name ?? z),
        resolution,
        from,
        to,
        k,
        times,
        classes,
        total,
        ...(hasActivity ? { activity } : {}),
      }
    },

    async profiles(tenant: string, zone: string, cls: ClassFilter, from: string, to: string) {
      const z = zone === 'all' ? '' : zone
      const [rows, { k }] = await Promise.all([
        q.zoneDays(db, tenant, z, [codeOf(cls)], from, to),
        repo.getSettings(db, tenant),
      ])
      const patron = PATRONS[tenant]
      const years = [...new Set([from.slice(0, 4), to.slice(0, 4)].map(Number))]
      for (let y = years[0]!; y <= years[years.length - 1]!; y++) if (!years.includes(y)) years.push(y)
      const hol = holidaySet(years, patron)
      const sums: Record<DayType, { s: Float64Array; n: Uint32Array; days: number }> = {
        weekday: { s: new Float64Array(24), n: new Uint32Array(24), days: 0 },
        saturday: { s: new Float64Array(24), n: new Uint32Array(24), days: 0 },
        sunday_holiday: { s: new Float64Array(24), n: new Uint32Array(24), days: 0 },
      }
      for (const r of rows) {
        const t = sums[dayType(r.day, hol)]
        t.days++
        for (let h = 0; h < 24; h++) {
          const v = publishedAt(r, h)
          if (v === null) continue
          t.s[h]! += v
          t.n[h]!++
        }
      }
      const profile = (t: (typeof sums)[DayType]) =>
        Array.from(t.s, (s, h) => (t.n[h] ? publishFigure(s / t.n[h]!, k) : null))
      return {
        zone,
        class: cls,
        from,
        to,
        k,
        profiles: {
          weekday: profile(sums.weekday),
          saturday: profile(sums.saturday),
          sunday_holiday: profile(sums.sunday_holiday),
        },
        days: { weekday: sums.weekday.days, saturday: sums.saturday.days, sunday_holiday: sums.sunday_holiday.days },
        holidays: years
          .flatMap((y) => italianHolidays(y, patron))
          .filter((h) => h.date >= from && h.date <= to)
          .map((h) => ({ date: h.date, name: h.name })),
      }
    },

    ...createOriginFlowAnalytics(db),

    /** Mean dwell time (minutes) per zone and class, where the provider gives it. */
    async dwell(tenant: string, from: string, to: string) {
      const [rows, names] = await Promise.all([q.dwell(db, tenant, from, to), q.zoneNames(db, tenant)])
      const zones = new Map<string, Record<string, number | null>>()
      for (const r of rows) {
        let z = zones.get(r.zone)
        if (!z) {
          z = Object.fromEntries(PEOPLE_CLASSES.map((c) => [c, null]))
          zones.set(r.zone, z)
        }
        z[PEOPLE_CLASSES[r.class]!] = Math.round(r.minutes * 10) / 10
      }
      return {
        from,
        to,
        unit: 'minutes',
        items: [...zones].map(([zone, classes]) => ({ zone, name: names.get(zone)?.name ?? zone, classes })),
      }
    },

    /** Comune-wide published hourly values of a class ('all' or one) for [from, to], null where none. */
    async hourly(tenant: string, zone: string, cls: ClassFilter, from: string, to: string) {
      const z = zone === 'all' ? '' : zone
      const rows = await q.zoneDays(db, tenant, z, [codeOf(cls)], from, to)
      const days = byDay(rows)
      const values: (number | null)[] = []
      const times: string[] = []
      for (const day of daysBetween(from, to)) {
        const r = days.get(day)?.get(codeOf(cls))
        for (let h = 0; h < 24; h++) {
          values.push(publishedAt(r, h))
          times.push(localIso(day, h))
        }
      }
      return { values, times }
    },

    lastDay: async (tenant: string) => (await q.meta(db, tenant)).to,
    firstDay: async (tenant: string) => (await q.meta(db, tenant)).from,
    zoneNames: (tenant: string) => q.zoneNames(db, tenant),
    dayRows: (tenant: string, zone: string, classes: number[], from: string, to: string, origin = '') =>
      q.zoneDays(db, tenant, zone === 'all' ? '' : zone, classes, from, to, origin),
  }

  return service
}

/** The 24 local hours of a day as instants. */
function localHours(day: string): string[] {
  return [...Array(24).keys()].map((h) => localIso(day, h))
}

export type MobilityService = ReturnType<typeof createMobilityService>
export { addDays, VISITOR_CLASSES }
