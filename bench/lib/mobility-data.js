// The data set of the mobility benchmark, generated from a seeded PRNG (every run writes the same files) into
// os.tmpdir()/urbe-bench-mobility/, kept between runs and named by their parameters (a complete file is renamed into
// place at the end, so a file that is there is whole):
//   presence: `zone,time,class,count`, one row per zone, hour and class (resident, commuter, italian_visitor,
//     foreign_visitor), hours as instants with their Europe/Rome offset (`2025-03-01T08:00:00+01:00`; a local day
//     has 23 or 25 of them across the DST changes), counts with a daily, weekly and seasonal shape per kind of zone;
//   flows: `day,origin_zone,destination_zone,band,band_end,class,count` (bands as hours: 6,10), per day, time band and class a few hundred
//     origin-destination pairs drawn (without repetition) from about ten destinations per zone, weighted;
//   zones: a GeoJSON FeatureCollection of square cells (250 m) over Lucca, `Z0001`, `Z0002`, ...
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { prng } from './data.js'
import { fmt, progress } from './log.js'

export const CLASSES = ['resident', 'commuter', 'italian_visitor', 'foreign_visitor']
/** Time bands of the flows: [start hour, end hour). */
export const BANDS = [
  [0, 6],
  [6, 10],
  [10, 16],
  [16, 20],
  [20, 24],
]
export const FIRST_DAY = '2025-01-01'
export const DIR = path.join(os.tmpdir(), 'urbe-bench-mobility')
const VERSION = 2 // bump when the generator changes, so that old files are not reused

export const zoneId = (i) => `Z${String(i + 1).padStart(4, '0')}`

// ---- Europe/Rome time: CET (+01:00), CEST (+02:00) from the last Sunday of March to the last Sunday of October,
// switching at 01:00 UTC (EU rule).
const lastSunday = (y, m) => {
  const d = new Date(Date.UTC(y, m + 1, 0)) // last day of month m
  return Date.UTC(y, m, d.getUTCDate() - d.getUTCDay(), 1)
}
/** Offset of Europe/Rome from UTC at the instant `ms`, in hours (1 or 2). */
export function romeOffset(ms) {
  const y = new Date(ms).getUTCFullYear()
  return ms >= lastSunday(y, 2) && ms < lastSunday(y, 9) ? 2 : 1
}
/** The instant of local midnight of `day` (YYYY-MM-DD) in Europe/Rome, in ms. */
export function localMidnight(day) {
  const [y, m, d] = day.split('-').map(Number)
  const utc = Date.UTC(y, m - 1, d)
  return romeOffset(utc - 7_200_000) === 2 ? utc - 7_200_000 : utc - 3_600_000
}
/** ISO 8601 with the local offset: 2025-03-01T08:00:00+01:00. */
export function isoLocal(ms) {
  const off = romeOffset(ms)
  return `${new Date(ms + off * 3_600_000).toISOString().slice(0, 19)}+0${off}:00`
}
export const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
/** Day of the week of a YYYY-MM-DD date, 0 = Sunday. */
const dow = (day) => new Date(`${day}T00:00:00Z`).getUTCDay()

export function params({ zones, days }) {
  const key = `z${zones}-d${days}-${FIRST_DAY}-v${VERSION}`
  return {
    zones,
    days,
    firstDay: FIRST_DAY,
    lastDay: addDays(FIRST_DAY, days - 1),
    pairsPerSet: Math.max(1, Math.round((zones * 7) / 8)),
    presenceFile: path.join(DIR, `presence-${key}.csv`),
    flowsFile: path.join(DIR, `flows-${key}.csv`),
    zonesFile: path.join(DIR, `zones-${zones}.geojson`),
  }
}

// ---- the zones: kind, size, and their cells on a grid

function zoneModel(zones) {
  const rnd = prng(42)
  const list = []
  for (let i = 0; i < zones; i++) {
    const r = rnd()
    const kind = r < 0.6 ? 'residential' : r < 0.85 ? 'business' : 'tourist'
    // log-normal-ish size: most zones a few hundred people, a few several thousand
    const size = Math.exp((rnd() + rnd() + rnd() - 1.5) * 1.6)
    const base = {
      residential: [900, 150, 60, 40],
      business: [250, 900, 120, 80],
      tourist: [300, 250, 700, 600],
    }[kind]
    list.push({ kind, size, base: base.map((b) => b * size) })
  }
  return list
}

/** Multipliers [class][hour] for a kind of zone and a day (day type and season). */
function shape(kind, day) {
  const wd = dow(day)
  const weekend = wd === 0 || wd === 6
  const doy = (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${day.slice(0, 4)}-01-01T00:00:00Z`)) / 86_400_000
  const summer = 0.5 + 0.5 * Math.cos(((doy - 200) / 365) * 2 * Math.PI) // 1 in mid-July, 0 in mid-January
  const out = CLASSES.map(() => new Float64Array(24))
  for (let h = 0; h < 24; h++) {
    const night = h < 7 || h >= 21
    const work = h >= 9 && h < 18 ? 1 : h === 8 || h === 18 ? 0.6 : h === 7 || h === 19 ? 0.25 : 0.05
    const leisure = h >= 10 && h < 23 ? 0.6 + 0.4 * Math.sin(((h - 10) / 13) * Math.PI) : 0.2
    out[0][h] = kind === 'business' ? (night ? 0.9 : 0.7) : night ? 1 : weekend ? 0.8 : 0.55
    out[1][h] = weekend ? work * 0.15 : work
    out[2][h] = leisure * (0.4 + 0.8 * summer) * (weekend ? 1.6 : 1)
    out[3][h] = leisure * (0.2 + 1.3 * summer) * (weekend ? 1.2 : 1)
  }
  return out
}

// ---- writing

async function writeFile(file, label, expectedRows, produce) {
  if (fs.existsSync(file)) {
    progress(`${label}: reusing ${file} (${fmt(fs.statSync(file).size / 1e6)} MB)`)
    return
  }
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  const out = fs.createWriteStream(tmp, { highWaterMark: 8 << 20 })
  let rows = 0
  let lastReport = Date.now()
  const t = Date.now()
  const write = async (chunk, n) => {
    rows += n
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r))
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now()
      progress(`${label}: ${fmt(rows)} / ${fmt(expectedRows)} rows (${((rows / expectedRows) * 100).toFixed(0)}%)`)
    }
  }
  try {
    await produce(write)
    await new Promise((resolve, reject) => out.end((e) => (e ? reject(e) : resolve())))
    fs.renameSync(tmp, file)
  } catch (e) {
    out.destroy()
    fs.rmSync(tmp, { force: true })
    throw e
  }
  const s = (Date.now() - t) / 1000
  progress(`${label}: ${fmt(rows)} rows, ${fmt(fs.statSync(file).size / 1e6)} MB in ${s.toFixed(1)} s -> ${file}`)
}

const CHUNK = 4 << 20 // characters per write

/** Hours of the presence file: [{ day, iso }] in order. */
export function hoursOf(p) {
  const out = []
  for (let d = 0; d < p.days; d++) {
    const day = addDays(p.firstDay, d)
    const end = localMidnight(addDays(day, 1))
    for (let ms = localMidnight(day); ms < end; ms += 3_600_000) out.push({ day, ms, iso: isoLocal(ms) })
  }
  return out
}

export function presenceRows(p) {
  return hoursOf(p).length * p.zones * CLASSES.length
}

async function writePresence(p) {
  const zones = zoneModel(p.zones)
  const ids = zones.map((_, i) => zoneId(i))
  const hours = hoursOf(p)
  const expected = hours.length * p.zones * CLASSES.length
  const rnd = prng(7)
  await writeFile(p.presenceFile, 'presence CSV', expected, async (write) => {
    let buf = ['zone,time,class,count\n']
    let len = 0
    let n = 0
    let shapes
    let shapesDay
    for (const { day, ms, iso } of hours) {
      if (shapesDay !== day) {
        shapesDay = day
        shapes = new Map(['residential', 'business', 'tourist'].map((k) => [k, shape(k, day)]))
      }
      const h = (new Date(ms).getUTCHours() + romeOffset(ms)) % 24
      let s = ''
      for (let z = 0; z < zones.length; z++) {
        const zm = zones[z]
        const sh = shapes.get(zm.kind)
        for (let c = 0; c < 4; c++) {
          const v = Math.round(zm.base[c] * sh[c][h] * (0.85 + 0.3 * rnd()))
          s += `${ids[z]},${iso},${CLASSES[c]},${v}\n`
        }
      }
      buf.push(s)
      len += s.length
      n += zones.length * 4
      if (len >= CHUNK) {
        await write(buf.join(''), n)
        buf = []
        len = 0
        n = 0
      }
    }
    if (buf.length) await write(buf.join(''), n)
  })
  return expected
}

export function flowRows(p) {
  return p.days * BANDS.length * CLASSES.length * p.pairsPerSet
}

async function writeFlows(p) {
  const zones = zoneModel(p.zones)
  const rnd = prng(11)
  // ~10 destinations per origin: the 6 nearest cells of the grid and 4 random ones, weighted by their sizes
  const side = Math.ceil(Math.sqrt(p.zones))
  const pairs = []
  for (let o = 0; o < p.zones; o++) {
    const dests = new Set()
    const [ox, oy] = [o % side, Math.floor(o / side)]
    for (const [dx, dy] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
      [2, 0],
      [0, 2],
    ]) {
      const d = (oy + dy) * side + (ox + dx)
      if (ox + dx >= 0 && ox + dx < side && oy + dy >= 0 && d < p.zones) dests.add(d)
    }
    while (dests.size < Math.min(10, p.zones - 1)) {
      const d = Math.floor(rnd() * p.zones)
      if (d !== o) dests.add(d)
    }
    for (const d of dests) pairs.push({ o, d, w: Math.sqrt(zones[o].size * zones[d].size) * (0.3 + rnd()) })
  }
  const cum = new Float64Array(pairs.length)
  let acc = 0
  for (let i = 0; i < pairs.length; i++) cum[i] = acc += pairs[i].w
  const pick = () => {
    const x = rnd() * acc
    let lo = 0
    let hi = cum.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cum[mid] < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const per = Math.min(p.pairsPerSet, pairs.length)
  const bandFactor = [0.15, 1.2, 0.8, 1.1, 0.4]
  const classFactor = [1, 1.4, 0.5, 0.3]
  const mean = acc / pairs.length
  const ids = zones.map((_, i) => zoneId(i))
  await writeFile(p.flowsFile, 'flows CSV', p.days * BANDS.length * CLASSES.length * per, async (write) => {
    await write('day,origin_zone,destination_zone,band,band_end,class,count\n', 0)
    for (let d = 0; d < p.days; d++) {
      const day = addDays(p.firstDay, d)
      const wd = dow(day)
      const weekday = wd !== 0 && wd !== 6
      let s = ''
      for (let b = 0; b < BANDS.length; b++) {
        const band = `${BANDS[b][0]},${BANDS[b][1]}` // start and end hour (Urbe reads "6" or "06:00", band_end "10")
        for (let c = 0; c < 4; c++) {
          const f = bandFactor[b] * classFactor[c] * (c === 1 && !weekday ? 0.2 : 1) * 40
          const seen = new Set()
          while (seen.size < per) seen.add(pick())
          for (const i of seen) {
            const pr = pairs[i]
            const v = Math.max(1, Math.round((pr.w / mean) * f * (0.7 + 0.6 * rnd())))
            s += `${day},${ids[pr.o]},${ids[pr.d]},${band},${CLASSES[c]},${v}\n`
          }
        }
      }
      await write(s, BANDS.length * 4 * per)
    }
  })
}

function writeZones(p) {
  if (fs.existsSync(p.zonesFile)) return
  fs.mkdirSync(path.dirname(p.zonesFile), { recursive: true })
  const side = Math.ceil(Math.sqrt(p.zones))
  const [w0, s0, dx, dy] = [10.46, 43.81, 0.0031, 0.00225] // ~250 m cells from the south-west of Lucca
  const features = []
  for (let i = 0; i < p.zones; i++) {
    const [x, y] = [w0 + (i % side) * dx, s0 + Math.floor(i / side) * dy]
    const r = (v) => Math.round(v * 1e6) / 1e6
    features.push({
      type: 'Feature',
      id: zoneId(i),
      properties: { zone: zoneId(i), name: `Cell ${zoneId(i)}` },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [r(x), r(y)],
            [r(x + dx), r(y)],
            [r(x + dx), r(y + dy)],
            [r(x), r(y + dy)],
            [r(x), r(y)],
          ],
        ],
      },
    })
  }
  fs.writeFileSync(p.zonesFile, JSON.stringify({ type: 'FeatureCollection', features }))
}

/** Writes (or reuses) the three files; returns the parameters with the row counts. */
export async function generate(opts) {
  const p = params(opts)
  writeZones(p)
  p.presenceRows = await writePresence(p)
  await writeFlows(p)
  p.flowRows = flowRows(p)
  return p
}
