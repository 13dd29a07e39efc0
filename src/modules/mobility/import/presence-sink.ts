/**
 * Where parsed presence values go: buffered per local day, and each day written when the input has moved on (files
 * sorted by time keep two days open; others flush the oldest day when too many are open). Writing a day merges it
 * into what is stored (a value given again replaces the stored one: importing a file twice changes nothing), then
 * computes the day's derived rows and hidden cells (day-cube.ts) and writes them, in one transaction under the
 * day's lock. Values of one hour given several times in one input (quarter hours, or 10-minute intervals) are
 * averaged (`mean`, people present) or added (`sum`, activity).
 */
import { type Cells, emptyCells, rowKey } from '../day-cube.js'
import { HOURS } from '../model.js'
import { type Db, storeDay } from '../repo.js'

interface Acc {
  sum: Float32Array
  n: Uint8Array
  dwellSum: Float32Array | null
  dwellN: Uint8Array | null
}

const MAX_OPEN_DAYS = 3
const MAX_OPEN_CELLS = 400_000
const MAX_IN_FLIGHT = 2

export class PresenceSink {
  private readonly open = new Map<string, Map<string, Acc>>()
  private cells = 0
  private readonly inFlight: Promise<void>[] = []
  private failure: unknown
  firstDay: string | null = null
  lastDay: string | null = null
  daysWritten = 0

  constructor(
    private readonly db: Db,
    private readonly tenant: string,
    private readonly k: number,
    private readonly agg: 'mean' | 'sum',
  ) {}

  add(zone: string, day: string, hour: number, cls: number, origin: string, value: number, dwell?: number): void {
    let d = this.open.get(day)
    if (!d) {
      d = new Map()
      this.open.set(day, d)
      if (this.firstDay === null || day < this.firstDay) this.firstDay = day
      if (this.lastDay === null || day > this.lastDay) this.lastDay = day
    }
    const key = rowKey(zone, cls, origin)
    let a = d.get(key)
    if (!a) {
      a = { sum: new Float32Array(HOURS), n: new Uint8Array(HOURS), dwellSum: null, dwellN: null }
      d.set(key, a)
      this.cells++
    }
    a.sum[hour]! += value
    if (a.n[hour]! < 255) a.n[hour]!++
    if (dwell !== undefined && !Number.isNaN(dwell)) {
      if (!a.dwellSum) {
        a.dwellSum = new Float32Array(HOURS)
        a.dwellN = new Uint8Array(HOURS)
      }
      a.dwellSum[hour]! += dwell
      a.dwellN![hour]!++
    }
  }

  /** Writes the oldest open days while too many are open; waits when two writes are already running. */
  async drain(): Promise<void> {
    while (this.open.size > MAX_OPEN_DAYS || (this.cells > MAX_OPEN_CELLS && this.open.size > 0)) {
      const oldest = [...this.open.keys()].sort()[0]!
      await this.schedule(oldest)
    }
  }

  async finish(): Promise<void> {
    for (const day of [...this.open.keys()].sort()) await this.schedule(day)
    await Promise.all(this.inFlight.splice(0))
    if (this.failure) throw this.failure
  }

  private async schedule(day: string): Promise<void> {
    const rows = this.open.get(day)!
    this.open.delete(day)
    this.cells -= rows.size
    if (this.failure) throw this.failure
    if (this.inFlight.length >= MAX_IN_FLIGHT) await this.inFlight.shift()
    if (this.failure) throw this.failure
    const p = this.writeDay(day, rows).catch((e) => {
      this.failure ??= e
    })
    this.inFlight.push(p)
  }

  private async writeDay(day: string, acc: Map<string, Acc>): Promise<void> {
    await storeDay(this.db, this.tenant, day, this.k, (rows) => {
      for (const [key, a] of acc) {
        let cells: Cells | undefined = rows.get(key)
        if (!cells) {
          cells = emptyCells()
          rows.set(key, cells)
        }
        for (let h = 0; h < HOURS; h++) {
          const n = a.n[h]!
          if (n === 0) continue
          cells.counts[h] = this.agg === 'mean' ? a.sum[h]! / n : a.sum[h]!
          if (a.dwellN?.[h]) {
            if (!cells.dwell) cells.dwell = new Float32Array(HOURS).fill(Number.NaN)
            cells.dwell[h] = a.dwellSum![h]! / a.dwellN[h]!
          }
        }
      }
    })
    this.daysWritten++
  }
}
