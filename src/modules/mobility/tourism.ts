/**
 * Tourism indicators and days that stand out, from the Comune's published hourly presence:
 * - visitors of a day = the peak over the day of Italian + foreign visitors present at the same hour (a lower bound
 *   of the day's distinct visitors: people who left before others arrived are not counted twice);
 * - estimated overnight stays (ISTAT "presenze") of a night = visitors present at 03:00;
 * - the same period of last year = the same calendar dates one year before;
 * - a day stands out when its peak of all people differs from the median of the days of the same type (weekday,
 *   Saturday, Sunday or holiday) within five weeks around it by at least 25 % and by at least 3 robust deviations.
 */
import { addDays, daysBetween, dayType, holidaySet, italianHolidays, PATRONS } from './calendar/holidays.js'
import { type Cell, classCode, type DayType } from './model.js'
import { publishFigure } from './privacy.js'
import { byDay, peakOf, publishedAt } from './publish.js'
import type { DayRow } from './queries.js'
import { ALL_CODE, type MobilityService } from './service.js'

const IT = classCode('italian_visitor')
const FO = classCode('foreign_visitor')
const NIGHT_HOUR = 3

function visitorDay(d: Map<number, DayRow> | undefined) {
  let peak: number | null = null
  for (let h = 0; h < 24; h++) {
    const a = publishedAt(d?.get(IT), h)
    const b = publishedAt(d?.get(FO), h)
    if (a === null || b === null) continue
    if (peak === null || a + b > peak) peak = a + b
  }
  const ni = publishedAt(d?.get(IT), NIGHT_HOUR)
  const nf = publishedAt(d?.get(FO), NIGHT_HOUR)
  return {
    visitors: peak,
    italian: peakOf(d?.get(IT)),
    foreign: peakOf(d?.get(FO)),
    overnight: ni === null || nf === null ? null : ni + nf,
  }
}

const yearBefore = (day: string) => `${Number(day.slice(0, 4)) - 1}${day.slice(4)}`.replace(/-02-29$/, '-02-28')

export async function tourism(svc: MobilityService, tenant: string, from: string, to: string) {
  const { k } = await svc.settings(tenant)
  const [now, before] = await Promise.all([
    svc.dayRows(tenant, 'all', [IT, FO], from, to),
    svc.dayRows(tenant, 'all', [IT, FO], yearBefore(from), yearBefore(to)),
  ])
  const cur = byDay(now)
  const prev = byDay(before)
  const sum = { visitors: 0, italian: 0, foreign: 0, overnight: 0, lastYear: 0, lastYearDays: 0, days: 0 }
  const days = daysBetween(from, to).map((day) => {
    const v = visitorDay(cur.get(day))
    const ly = visitorDay(prev.get(yearBefore(day))).visitors
    if (v.visitors !== null) {
      sum.days++
      sum.visitors += v.visitors
      sum.italian += v.italian ?? 0
      sum.foreign += v.foreign ?? 0
      sum.overnight += v.overnight ?? 0
      if (ly !== null) {
        sum.lastYear += ly
        sum.lastYearDays++
      }
    }
    return {
      date: day,
      visitors: publishFigure(v.visitors, k),
      italian: publishFigure(v.italian, k),
      foreign: publishFigure(v.foreign, k),
      overnight: publishFigure(v.overnight, k),
      lastYear: publishFigure(ly, k),
    }
  })
  const comparable = sum.lastYearDays > 0 && sum.lastYearDays === sum.days
  return {
    from,
    to,
    k,
    days,
    totals: {
      days: sum.days,
      visitors: publishFigure(sum.days ? sum.visitors : null, k),
      italian: publishFigure(sum.days ? sum.italian : null, k),
      foreign: publishFigure(sum.days ? sum.foreign : null, k),
      foreignShare: sum.italian + sum.foreign > 0 ? sum.foreign / (sum.italian + sum.foreign) : null,
      overnight: publishFigure(sum.days ? sum.overnight : null, k),
      lastYearVisitors: publishFigure(comparable ? sum.lastYear : null, k),
      change: comparable && sum.lastYear > 0 ? sum.visitors / sum.lastYear - 1 : null,
    },
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

export interface StandOut {
  date: string
  value: Cell
  usual: Cell
  ratio: number
  dayType: DayType
  holiday: string | null
}

export async function events(svc: MobilityService, tenant: string, zone: string, from: string, to: string) {
  const { k } = await svc.settings(tenant)
  const rows = await svc.dayRows(tenant, zone, [ALL_CODE], addDays(from, -35), addDays(to, 35))
  const peaks = new Map<string, number>()
  for (const r of rows) {
    const p = peakOf(r)
    if (p !== null) peaks.set(r.day, p)
  }
  const patron = PATRONS[tenant]
  const years: number[] = []
  for (let y = Number(from.slice(0, 4)) - 1; y <= Number(to.slice(0, 4)) + 1; y++) years.push(y)
  const hol = holidaySet(years, patron)
  const names = new Map(years.flatMap((y) => italianHolidays(y, patron)).map((h) => [h.date, h.name]))
  const items: StandOut[] = []
  for (const day of daysBetween(from, to)) {
    const v = peaks.get(day)
    if (v === undefined) continue
    const type = dayType(day, hol)
    const peers: number[] = []
    for (let d = -35; d <= 35; d++) {
      if (d === 0) continue
      const other = addDays(day, d)
      const p = peaks.get(other)
      if (p !== undefined && dayType(other, hol) === type) peers.push(p)
    }
    if (peers.length < 3) continue
    const m = median(peers)
    const mad = median(peers.map((p) => Math.abs(p - m))) * 1.4826
    const ratio = m > 0 ? v / m : Number.POSITIVE_INFINITY
    const z = mad > 0 ? Math.abs(v - m) / mad : Number.POSITIVE_INFINITY
    if (Math.abs(ratio - 1) >= 0.25 && z >= 3) {
      items.push({
        date: day,
        value: publishFigure(v, k),
        usual: publishFigure(m, k),
        ratio: Math.round(ratio * 100) / 100,
        dayType: type,
        holiday: names.get(day) ?? null,
      })
    }
  }
  items.sort((a, b) => Math.abs(b.ratio - 1) - Math.abs(a.ratio - 1))
  return { zone, from, to, k, items }
}
