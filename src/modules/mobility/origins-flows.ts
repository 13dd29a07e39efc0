/**
 * Where people come from and where they go: top origins (visitor-days per country, province or municipality), the
 * top origin-destination flows and the OD matrix of a period, and commuter inflow and outflow by time band. Built from
 * published cells only (docs/mobility.md, Privacy); parts shown with their total are protected as one line.
 */
import { type Cell, classCode, type ClassFilter, ORIGIN_PREFIX, type OriginKind, PEOPLE_CLASSES } from './model.js'
import { originName, placeAt, placeName } from './names.js'
import { protectParts, publishFigure } from './privacy.js'
import * as q from './queries.js'
import * as repo from './repo.js'
import { daysBetween } from './calendar/holidays.js'

export function createOriginFlowAnalytics(db: repo.Db) {
  return {
    async origins(tenant: string, from: string, to: string, cls: ClassFilter, kind: OriginKind, limit: number) {
      const classes = cls === 'all' ? [...PEOPLE_CLASSES].map(classCode) : [classCode(cls)]
      const [rows, { k }] = await Promise.all([
        q.originTotals(db, tenant, ORIGIN_PREFIX[kind], classes, from, to),
        repo.getSettings(db, tenant),
      ])
      const top = rows.slice(0, limit)
      const total = rows.reduce((s, r) => s + r.value, 0)
      const other = rows.slice(limit).reduce((s, r) => s + r.value, 0)
      const p = protectParts(
        [...top.map((r) => r.value), rows.length > limit ? other : 0],
        k,
        rows.length ? total : null,
      )
      return {
        kind,
        class: cls,
        from,
        to,
        k,
        unit: 'visitor-days',
        items: top.map((r, i) => ({
          origin: r.origin,
          code: r.origin.slice(2),
          name: originName(r.origin),
          value: p.parts[i]!,
          share: typeof p.parts[i] === 'number' && total > 0 ? (p.parts[i] as number) / total : null,
        })),
        other: p.parts[top.length]!,
        total: p.total,
      }
    },

    async flows(tenant: string, from: string, to: string, cls: ClassFilter, limit: number) {
      const classes = cls === 'all' ? [...PEOPLE_CLASSES].map(classCode) : [classCode(cls)]
      const [{ k }, names] = await Promise.all([repo.getSettings(db, tenant), q.zoneNames(db, tenant)])
      const rows = await q.topFlows(db, tenant, from, to, classes, k, limit)
      return {
        class: cls,
        from,
        to,
        k,
        items: rows.map((r) => ({
          origin: r.origin,
          originName: placeName(r.origin, names),
          destination: r.destination,
          destinationName: placeName(r.destination, names),
          count: publishFigure(r.count, k),
          from: placeAt(r.origin, names),
          to: placeAt(r.destination, names),
        })),
      }
    },

    async od(tenant: string, from: string, to: string, cls: ClassFilter, size: number) {
      const classes = cls === 'all' ? [...PEOPLE_CLASSES].map(classCode) : [classCode(cls)]
      const [{ k }, names] = await Promise.all([repo.getSettings(db, tenant), q.zoneNames(db, tenant)])
      const rows = await q.topFlows(db, tenant, from, to, classes, k, 20_000)
      const volume = new Map<string, number>()
      for (const r of rows) {
        volume.set(r.origin, (volume.get(r.origin) ?? 0) + r.count)
        volume.set(r.destination, (volume.get(r.destination) ?? 0) + r.count)
      }
      const zones = [...volume.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, size)
        .map(([z]) => z)
      const idx = new Map(zones.map((z, i) => [z, i]))
      const cells: Cell[][] = zones.map(() => zones.map(() => null as Cell))
      for (const r of rows) {
        const i = idx.get(r.origin)
        const j = idx.get(r.destination)
        if (i !== undefined && j !== undefined) cells[i]![j] = publishFigure(r.count, k)
      }
      return { class: cls, from, to, k, zones: zones.map((z) => ({ zone: z, name: placeName(z, names) })), cells }
    },

    async commuters(tenant: string, from: string, to: string) {
      const { k } = await repo.getSettings(db, tenant)
      const bands = await q.commuterBands(db, tenant, from, to, classCode('commuter'), k)
      const days = daysBetween(from, to).length
      const inflow: Cell[] = Array(24).fill(null)
      const outflow: Cell[] = Array(24).fill(null)
      for (const b of bands) {
        inflow[b.band] = publishFigure(b.inflow / days, k)
        outflow[b.band] = publishFigure(b.outflow / days, k)
      }
      return {
        from,
        to,
        k,
        days,
        hours: [...Array(24).keys()],
        inflow,
        outflow,
        bands: bands.map((b) => ({
          from: b.band,
          to: b.band_end,
          inflow: publishFigure(b.inflow / days, k),
          outflow: publishFigure(b.outflow / days, k),
        })),
      }
    },
  }
}
