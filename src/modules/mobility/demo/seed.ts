/**
 * Synthetic mobility data for the demo Comuni, written at start in the background: the zone grid, `synthetic` set on
 * the tenant (the pages say so), presence and flows for the last `days` days up to yesterday. Idempotent and
 * incremental: days already stored are skipped, so a restart only adds the days since the last one.
 */
import type { Logger } from 'pino'
import { DEMO_COMUNI, boundaryOf } from '../../../demo/comuni.js'
import { addDays, romeDate } from '../calendar/holidays.js'
import { classCode } from '../model.js'
import { putZones } from '../queries.js'
import { PresenceSink } from '../import/presence-sink.js'
import { type Db, type FlowRow, getSettings, putSettings, rollupFlowMonths, upsertFlows } from '../repo.js'
import { generateFlows } from './flows.js'
import { generatePresence } from './generator.js'
import { PROFILES } from './profiles.js'
import { demoZones } from './zones.js'
import { sql } from 'kysely'

const SEED = 2026

export async function seedMobilityDemo(opts: {
  db: Db
  days: number
  log?: Logger
  now?: number
  stopped?: () => boolean
  tenants?: string[]
}): Promise<{ tenant: string; days: number }[]> {
  const { db } = opts
  const yesterday = addDays(romeDate(opts.now ?? Date.now()), -1)
  const first = addDays(yesterday, -(opts.days - 1))
  const out: { tenant: string; days: number }[] = []
  for (const c of DEMO_COMUNI) {
    if (opts.tenants && !opts.tenants.includes(c.id)) continue
    const profile = PROFILES[c.id]
    if (!profile || opts.days <= 0) continue
    const exists = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tenants WHERE id = ${c.id}`.execute(db)
    if (!exists.rows[0]?.n) continue
    const zones = demoZones(c.id, boundaryOf(c.id, c.boundaryFile))
    const known = await sql<{ n: number }>`SELECT count(*)::int AS n FROM mob_zone WHERE tenant = ${c.id}`.execute(db)
    if (!known.rows[0]?.n) {
      await putZones(
        db,
        c.id,
        'grid',
        zones.map((z) => ({ zone: z.zone, name: z.name, geometry: z.geometry })),
      )
      await putSettings(db, c.id, { synthetic: true })
    }
    const last = await sql<{ d: string | null }>`SELECT to_char(max(day), 'YYYY-MM-DD') AS d FROM mob_day
      WHERE tenant = ${c.id}`.execute(db)
    const from = last.rows[0]?.d && last.rows[0].d >= first ? addDays(last.rows[0].d, 1) : first
    if (from > yesterday) continue
    const t0 = Date.now()
    opts.log?.info({ tenant: c.id, from, to: yesterday }, 'mobility demo: writing synthetic presence and flows')
    const { k } = await getSettings(db, c.id)
    const sink = new PresenceSink(db, c.id, k, 'mean')
    let n = 0
    for (const row of generatePresence(profile, zones, from, yesterday, SEED)) {
      const cls = classCode(row.class)
      for (let h = 0; h < 24; h++) sink.add(row.zone, row.day, h, cls, row.origin, row.counts[h]!)
      if (++n % 2000 === 0) {
        await sink.drain()
        if (opts.stopped?.()) break
      }
    }
    await sink.finish()
    let batch: FlowRow[] = []
    const months = new Set<string>()
    for (const f of generateFlows(profile, zones, from, yesterday, SEED)) {
      if (opts.stopped?.()) break
      batch.push({
        day: f.day,
        origin: f.origin,
        destination: f.destination,
        band: f.band,
        band_end: f.bandEnd,
        class: classCode(f.class),
        count: f.count,
      })
      months.add(`${f.day.slice(0, 7)}-01`)
      if (batch.length >= 5000) {
        await upsertFlows(db, c.id, batch)
        batch = []
      }
    }
    await upsertFlows(db, c.id, batch)
    await rollupFlowMonths(db, c.id, [...months], k)
    const days = sink.daysWritten
    opts.log?.info({ tenant: c.id, days, seconds: (Date.now() - t0) / 1000 }, 'mobility demo: done')
    out.push({ tenant: c.id, days })
    if (opts.stopped?.()) break
  }
  return out
}
