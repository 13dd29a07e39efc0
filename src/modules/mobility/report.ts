/**
 * The printable report of a period for the council and the giunta: key figures (visitors, foreign share, overnight
 * stays, change on last year, peak day), daily visitors, the day-type profiles, top origins and flows, the days that
 * stood out and the forecast's accuracy — all as published (suppressed cells stay suppressed).
 */
import { forecast } from './forecasting.js'
import type { MobilityService } from './service.js'
import { events, tourism } from './tourism.js'

export async function report(deps: { svc: MobilityService }, tenant: string, from: string, to: string) {
  const { svc } = deps
  const [meta, tour, profiles, countries, provinces, flows, standOut] = await Promise.all([
    svc.meta(tenant),
    tourism(svc, tenant, from, to),
    svc.profiles(tenant, 'all', 'all', from, to),
    svc.origins(tenant, from, to, 'foreign_visitor', 'country', 10),
    svc.origins(tenant, from, to, 'italian_visitor', 'province', 10),
    svc.flows(tenant, from, to, 'all', 10),
    events(svc, tenant, 'all', from, to),
  ])
  let accuracy: { model: { mape: number | null }; seasonalNaive: { mape: number | null }; weeks: number } | null = null
  try {
    accuracy = (await forecast(svc, tenant, 'all', 'all')).accuracy
  } catch {
    accuracy = null
  }
  const peakDay = tour.days.reduce<(typeof tour.days)[number] | null>(
    (best, d) => (typeof d.visitors === 'number' && (!best || d.visitors > (best.visitors as number)) ? d : best),
    null,
  )
  return {
    tenant,
    name: meta.name,
    from,
    to,
    generated: new Date().toISOString(),
    k: meta.k,
    synthetic: meta.synthetic,
    source: meta.synthetic
      ? 'Dati sintetici generati da Urbe (demo), non dati reali di un operatore'
      : 'Dati di presenza da rete mobile importati dal Comune',
    figures: {
      ...tour.totals,
      peakDay: peakDay ? { date: peakDay.date, visitors: peakDay.visitors } : null,
    },
    tourism: tour.days,
    profiles: profiles.profiles,
    countries: countries.items,
    provinces: provinces.items,
    flows: flows.items,
    events: standOut.items.slice(0, 10),
    accuracy,
  }
}
