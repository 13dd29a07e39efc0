/**
 * One local day of presence as it is stored: the given rows (zone x class x origin, 24 hours), the derived rows
 * (each zone's sum of the four people classes; the Comune's sum over the zones of every class), and for every row
 * the hours that are hidden. For each hour the zones x (4 classes + all) table with the Comune's row as margins is
 * protected as one table (privacy.ts), so a heatmap, a zone's series and the Comune's totals never let a hidden
 * count be recovered from one another. Origin rows are hidden by primary suppression, and the Comune's origin rows
 * add up only their published cells. The activity signal (not people) is never hidden.
 */
import { classCode, HOURS } from './model.js'
import { suppressTable } from './privacy.js'

export const ALL = 9
const ACTIVITY = classCode('activity')

export interface Cells {
  counts: Float32Array
  dwell: Float32Array | null
}

/** key = zone \t class code \t origin */
export type DayRows = Map<string, Cells>

export const rowKey = (zone: string, cls: number, origin: string) => `${zone}\t${cls}\t${origin}`

export interface StoredRow {
  zone: string
  class: number
  origin: string
  counts: (number | null)[]
  dwell: (number | null)[] | null
  hidden: number
}

export function emptyCells(withDwell = false): Cells {
  return {
    counts: new Float32Array(HOURS).fill(Number.NaN),
    dwell: withDwell ? new Float32Array(HOURS).fill(Number.NaN) : null,
  }
}

/** The stored given rows of a day as cells, ready to merge into (the day is read back before it is written). */
export function rowsFromStored(
  stored: readonly {
    zone: string
    class: number
    origin: string
    counts: (number | null)[]
    dwell: (number | null)[] | null
  }[],
): DayRows {
  const rows: DayRows = new Map()
  for (const r of stored) {
    const cells = emptyCells(r.dwell !== null)
    r.counts.forEach((v, h) => {
      if (v !== null && h < HOURS) cells.counts[h] = v
    })
    r.dwell?.forEach((v, h) => {
      if (v !== null && h < HOURS) cells.dwell![h] = v
    })
    rows.set(rowKey(r.zone, r.class, r.origin), cells)
  }
  return rows
}

const arr = (a: Float32Array): (number | null)[] => Array.from(a, (v) => (Number.isNaN(v) ? null : v))

function addInto(target: Float32Array, src: Float32Array, mask = 0) {
  for (let h = 0; h < HOURS; h++) {
    const v = src[h]!
    if (Number.isNaN(v) || (mask >> h) & 1) continue
    target[h] = Number.isNaN(target[h]!) ? v : target[h]! + v
  }
}

function primaryMask(a: Float32Array, k: number): number {
  let m = 0
  for (let h = 0; h < HOURS; h++) if (a[h]! > 0 && a[h]! < k) m |= 1 << h
  return m
}

/** The stored rows of a day: zone rows (given and derived) and the Comune's rows (zone ''). */
export function computeDay(rows: DayRows, k: number): { zones: StoredRow[]; comune: StoredRow[] } {
  const zoneNames: string[] = []
  const zoneIndex = new Map<string, number>()
  const people: (Cells | undefined)[][] = [] // [zone][class 0..3]
  const out: StoredRow[] = []
  const comune = new Map<string, Float32Array>() // `${class}\t${origin}` -> sums
  const sumInto = (cls: number, origin: string, src: Float32Array, mask = 0) => {
    const key = `${cls}\t${origin}`
    let t = comune.get(key)
    if (!t) {
      t = new Float32Array(HOURS).fill(Number.NaN)
      comune.set(key, t)
    }
    addInto(t, src, mask)
  }
  for (const [key, cells] of rows) {
    const [zone, c, origin] = key.split('\t') as [string, string, string]
    const cls = Number(c)
    if (origin !== '' || cls === ACTIVITY) {
      const hidden = cls === ACTIVITY ? 0 : primaryMask(cells.counts, k)
      out.push({ zone, class: cls, origin, counts: arr(cells.counts), dwell: cells.dwell && arr(cells.dwell), hidden })
      sumInto(cls, origin, cells.counts, hidden)
      continue
    }
    let zi = zoneIndex.get(zone)
    if (zi === undefined) {
      zi = zoneNames.length
      zoneIndex.set(zone, zi)
      zoneNames.push(zone)
      people.push([])
    }
    people[zi]![cls] = cells
  }
  // zone totals over the four classes, Comune totals per class
  const Z = zoneNames.length
  const totals: Float32Array[] = []
  for (let z = 0; z < Z; z++) {
    const t = new Float32Array(HOURS).fill(Number.NaN)
    for (let c = 0; c < 4; c++) {
      const cells = people[z]![c]
      if (cells) addInto(t, cells.counts)
    }
    totals.push(t)
  }
  const comuneClass: Float32Array[] = []
  for (let c = 0; c < 5; c++) {
    const t = new Float32Array(HOURS).fill(Number.NaN)
    for (let z = 0; z < Z; z++) {
      const src = c === 4 ? totals[z]! : people[z]![c]?.counts
      if (src) addInto(t, src)
    }
    comuneClass.push(t)
  }
  // per hour: the (Z + 1) x 5 table, row Z = the Comune, column 4 = all classes
  const W = 5
  const masks = new Int32Array((Z + 1) * W)
  if (Z > 0) {
    const lines: number[][] = []
    for (let z = 0; z <= Z; z++) lines.push([0, 1, 2, 3, 4].map((c) => z * W + c))
    for (let c = 0; c < W; c++) lines.push([...Array(Z + 1).keys()].map((z) => z * W + c))
    const values = new Float64Array((Z + 1) * W)
    const hidden = new Uint8Array((Z + 1) * W)
    for (let h = 0; h < HOURS; h++) {
      for (let z = 0; z < Z; z++) {
        for (let c = 0; c < 4; c++) values[z * W + c] = people[z]![c]?.counts[h] ?? Number.NaN
        values[z * W + 4] = totals[z]![h]!
      }
      for (let c = 0; c < W; c++) values[Z * W + c] = comuneClass[c]![h]!
      hidden.fill(0)
      suppressTable(values, hidden, lines, k)
      for (let i = 0; i < hidden.length; i++) if (hidden[i]) masks[i]! |= 1 << h
    }
  }
  for (let z = 0; z < Z; z++) {
    for (let c = 0; c < 4; c++) {
      const cells = people[z]![c]
      if (!cells) continue
      out.push({
        zone: zoneNames[z]!,
        class: c,
        origin: '',
        counts: arr(cells.counts),
        dwell: cells.dwell && arr(cells.dwell),
        hidden: masks[z * W + c]!,
      })
    }
    out.push({
      zone: zoneNames[z]!,
      class: ALL,
      origin: '',
      counts: arr(totals[z]!),
      dwell: null,
      hidden: masks[z * W + 4]!,
    })
  }
  const comuneRows: StoredRow[] = []
  if (Z > 0) {
    for (let c = 0; c < W; c++) {
      comuneRows.push({
        zone: '',
        class: c === 4 ? ALL : c,
        origin: '',
        counts: arr(comuneClass[c]!),
        dwell: null,
        hidden: masks[Z * W + c]!,
      })
    }
  }
  for (const [key, sums] of comune) {
    const [c, origin] = key.split('\t') as [string, string]
    const cls = Number(c)
    comuneRows.push({
      zone: '',
      class: cls,
      origin,
      counts: arr(sums),
      dwell: null,
      hidden: cls === ACTIVITY ? 0 : primaryMask(sums, k),
    })
  }
  return { zones: out, comune: comuneRows }
}
