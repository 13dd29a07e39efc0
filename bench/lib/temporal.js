// Temporal API scenarios (history): seeding, and the three latency figures of the history issue. Each scenario is
// { makeQuery(i), check(list, query) } for latency.js (GET /temporal/entities answers a JSON array). Used by
// bench/history.js, which seeds the history and runs `latencies()` with each scenario.
import { prng } from './data.js'
import { progress } from './log.js'

export const HISTORY_TYPE = 'HistorySensor'
export const historyId = (i) => `urn:ngsi-ld:${HISTORY_TYPE}:${String(i).padStart(5, '0')}`
const T = '/ngsi-ld/v1/temporal/entities'
const DAY = 86_400_000
/** The first day of the seeded history (UTC). */
export const HISTORY_START = Date.UTC(2026, 0, 1)

export const TEMPORAL_TARGETS = {
  hourlyAvg: { label: 'hourly avg, 30 days of 5-min data, one entity', unit: 'ms p95', max: 30, reference: '' },
  dailyAvgType: {
    label: 'daily avg per entity, 1,000 entities of one type, one day',
    unit: 'ms p95',
    max: 300,
    reference: 'Stellio temporal aggregation p95 321 ms at 100k instances',
  },
  lastN: { label: 'lastN=100 of one attribute', unit: 'ms p95', max: 10, reference: '' },
}

/**
 * Seeds history through POST /temporal/entities (5.6.11): `entities` temporal entities of HISTORY_TYPE with a
 * `temperature` every `stepMinutes` for `days` days from HISTORY_START. 1,000 entities x 30 days x 5 min = 8.6 M
 * instances. `concurrency` requests in flight.
 */
export async function seedHistory(
  url,
  key,
  { entities = 1000, days = 30, firstDay = 0, stepMinutes = 5, concurrency = 4 } = {},
) {
  const perDay = (24 * 60) / stepMinutes
  const started = process.hrtime.bigint()
  let next = 0
  let instances = 0
  async function worker() {
    for (;;) {
      const n = next++
      if (n >= entities * days) return
      const e = n % entities
      const d = firstDay + Math.floor(n / entities)
      const rnd = prng(n + 1)
      const temperature = Array.from({ length: perDay }, (_, k) => ({
        type: 'Property',
        value: Math.round((10 + 10 * rnd()) * 10) / 10,
        observedAt: new Date(HISTORY_START + d * DAY + k * stepMinutes * 60_000).toISOString(),
      }))
      const r = await fetch(`${url}${T}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ id: historyId(e), type: HISTORY_TYPE, temperature }),
      })
      if (r.status !== 201 && r.status !== 204)
        throw new Error(`seed ${historyId(e)} day ${d}: ${r.status} ${await r.text()}`)
      instances += perDay
      if (n % (entities * 5) === 0) progress(`  history: day ${d + 1} / ${days}`)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  return { instances, seconds, instancesPerSecond: instances / seconds }
}

const day = (d) => new Date(HISTORY_START + d * DAY).toISOString()

/** Hourly average over the 30 days of one random entity: 720 periods. */
export function hourlyAvgOneEntity({ entities = 1000, days = 30, seed = 21 } = {}) {
  const rnd = prng(seed)
  return {
    makeQuery: () =>
      `${T}?id=${historyId(Math.floor(rnd() * entities))}&attrs=temperature&options=aggregatedValues&aggrMethods=avg` +
      `&aggrPeriodDuration=PT1H&timerel=between&timeAt=${day(0)}&endTimeAt=${day(days)}`,
    check: (list) => (list[0]?.temperature?.avg?.length === days * 24 ? undefined : 'not one average per hour'),
  }
}

/** Daily average of every entity of the type (limit=1000) over one random day. */
export function dailyAvgPerType({ entities = 1000, days = 30, seed = 22 } = {}) {
  const rnd = prng(seed)
  return {
    makeQuery: () => {
      const d = Math.floor(rnd() * days)
      return (
        `${T}?type=${HISTORY_TYPE}&attrs=temperature&limit=1000&options=aggregatedValues&aggrMethods=avg` +
        `&aggrPeriodDuration=P1D&timerel=between&timeAt=${day(d)}&endTimeAt=${day(d + 1)}`
      )
    },
    check: (list) =>
      list.length === Math.min(entities, 1000) && list.every((e) => e.temperature?.avg?.length === 1)
        ? undefined
        : 'not one daily average per entity',
  }
}

/** The last 100 instances of one random entity's temperature (ascending order). */
export function lastN100({ entities = 1000, seed = 23 } = {}) {
  const rnd = prng(seed)
  return {
    makeQuery: () => `${T}?id=${historyId(Math.floor(rnd() * entities))}&attrs=temperature&lastN=100`,
    check: (list) => {
      const inst = list[0]?.temperature
      if (!Array.isArray(inst) || inst.length !== 100) return 'not 100 instances'
      for (let k = 1; k < inst.length; k++) if (inst[k].observedAt <= inst[k - 1].observedAt) return 'not ascending'
      return undefined
    },
  }
}
