/**
 * The weather of a Comune as a function of time: seasonal and daily temperature cycles with slow noise, rainy days,
 * occasional summer storms (heavy rain, gusts, a temperature drop). Everything else (air quality, energy, indoor
 * climate) reads it, so a storm clears the air and a cold morning switches the heating on.
 */
import { localTime } from './calendar.js'
import type { ComunePlan } from './places/types.js'
import { clamp, noise, unit } from './random.js'

export interface Weather {
  temperature: number
  /** 0..1 */
  humidity: number
  /** mm in the last hour */
  precipitation: number
  windSpeed: number
  windDirection: number
  pressure: number
  storm: boolean
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

interface Spell {
  start: number
  hours: number
  rate: number
}

/** A day's rain and storm (start hour, duration, mm/h), if any. */
function spells(seed: number, slug: string, day: number, doy: number): { rain?: Spell; storm?: Spell } {
  const summer = doy > 150 && doy < 260
  const autumn = doy >= 260 && doy < 335
  const out: { rain?: Spell; storm?: Spell } = {}
  if (unit(seed, slug, 'rain', day) < (autumn ? 0.32 : summer ? 0.14 : 0.22)) {
    out.rain = {
      start: unit(seed, slug, 'rain-start', day) * 24,
      hours: 2 + unit(seed, slug, 'rain-hours', day) * 9,
      rate: 0.3 + unit(seed, slug, 'rain-rate', day) * 3,
    }
  }
  if (unit(seed, slug, 'storm', day) < (summer ? 0.1 : 0.03)) {
    out.storm = {
      start: 13 + unit(seed, slug, 'storm-start', day) * 7,
      hours: 1 + unit(seed, slug, 'storm-hours', day) * 2,
      rate: 8 + unit(seed, slug, 'storm-rate', day) * 25,
    }
  }
  return out
}

/** How far into a spell this hour is (0 outside), looking at today's and yesterday's spells. */
function inSpell(s: Spell | undefined, hourOfSpellDay: number): number {
  if (!s) return 0
  const x = hourOfSpellDay - s.start
  if (x < 0 || x > s.hours) return 0
  return Math.sin((Math.PI * x) / s.hours) // rises and falls
}

const memo = new Map<string, Weather>()

/** The weather of a Comune at `ms` (remembered: meters ask for the same hours again and again). */
export function weatherAt(seed: number, plan: ComunePlan, ms: number): Weather {
  const k = `${seed}:${plan.slug}:${ms}`
  let w = memo.get(k)
  if (!w) {
    if (memo.size > 200_000) memo.clear()
    w = computeWeather(seed, plan, ms)
    memo.set(k, w)
  }
  return w
}

function computeWeather(seed: number, plan: ComunePlan, ms: number): Weather {
  const lt = localTime(ms)
  const { mean, amplitude } = plan.climate
  const seasonal = mean - amplitude * Math.cos((2 * Math.PI * (lt.dayOfYear - 20)) / 365)
  let rain = 0
  let storm = 0
  for (const back of [0, 1]) {
    const s = spells(seed, plan.slug, lt.dayIndex - back, lt.dayOfYear)
    const h = lt.hour + back * 24
    rain = Math.max(rain, inSpell(s.rain, h) * (s.rain?.rate ?? 0))
    storm = Math.max(storm, inSpell(s.storm, h) * (s.storm?.rate ?? 0))
  }
  const wet = rain > 0 || storm > 0
  const daily = (wet ? 2 : 5) * Math.cos((2 * Math.PI * (lt.hour - 15)) / 24)
  const slow =
    2.5 * noise(seed, `${plan.slug}:temp`, ms, 3 * DAY) + 0.8 * noise(seed, `${plan.slug}:temp-h`, ms, 2 * HOUR)
  const temperature = seasonal + daily + slow - (storm > 0 ? 4 + storm / 8 : 0) - (rain > 0 ? 1.5 : 0)
  const humidity = clamp(
    0.7 -
      0.2 * Math.cos((2 * Math.PI * (lt.hour - 4)) / 24) +
      0.08 * noise(seed, `${plan.slug}:hum`, ms, DAY) +
      (wet ? 0.25 : 0),
    0.2,
    0.99,
  )
  const wind = 1.8 + 1.2 * noise(seed, `${plan.slug}:wind`, ms, 6 * HOUR) + (storm > 0 ? 8 + storm / 2 : 0)
  return {
    temperature,
    humidity,
    precipitation: storm + rain,
    windSpeed: Math.max(0, wind + 0.6 * noise(seed, `${plan.slug}:gust`, ms, 600_000)),
    windDirection: (((200 + 120 * noise(seed, `${plan.slug}:wdir`, ms, DAY)) % 360) + 360) % 360,
    pressure: 1015 + 9 * noise(seed, `${plan.slug}:press`, ms, 4 * DAY) - (storm > 0 ? 6 : 0) - (rain > 0 ? 3 : 0),
    storm: storm > 0,
  }
}
