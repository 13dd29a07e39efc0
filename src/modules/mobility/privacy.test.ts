import { describe, expect, it } from 'vitest'
import { computeDay, emptyCells, rowKey } from './day-cube.js'
import { protectParts, suppressTable } from './privacy.js'

/** Every line with a published margin either hides nothing or hides >= 2 cells adding up to >= k. */
function protectedLines(values: ArrayLike<number>, hidden: Uint8Array, lines: number[][], k: number) {
  for (const line of lines) {
    const margin = line[line.length - 1]!
    if (hidden[margin]) continue
    const h = line.filter((i) => hidden[i] && !Number.isNaN(values[i]!))
    const sum = h.reduce((s, i) => s + values[i]!, 0)
    const canHideMore = line.slice(0, -1).some((i) => !hidden[i] && values[i]! > 0)
    if (h.length === 0) continue
    if (h.length < 2 || sum < k) {
      if (canHideMore) return false
    }
  }
  return true
}

function rnd(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 4294967296
  }
}

describe('k-anonymity', () => {
  it('primary: counts above 0 and below k are hidden, zeros and counts >= k are not', () => {
    const r = protectParts([0, 29, 30, 500], 30)
    expect(r.parts).toEqual([0, 'suppressed', 30, 500])
    expect(r.total).toBeNull()
  })

  it('complementary: one hidden cell beside a published total hides the next smallest too', () => {
    const r = protectParts([12, 100, 45, 300], 30, 457)
    expect(r.parts).toEqual(['suppressed', 100, 'suppressed', 300])
    expect(r.total).toBe(457)
  })

  it('hides enough cells that the hidden ones add up to at least k', () => {
    // 3 + 5 hidden (sum 8 < 30): the smallest published one (31) joins them
    const r = protectParts([3, 5, 31, 200], 30, 239)
    expect(r.parts).toEqual(['suppressed', 'suppressed', 'suppressed', 200])
  })

  it('a total below k is hidden itself and then nothing can be recovered from it', () => {
    const r = protectParts([10, 5, 0], 30, 15)
    expect(r.parts).toEqual(['suppressed', 'suppressed', 0])
    expect(r.total).toBe('suppressed')
  })

  it('random 2-D tables with both margins: every line ends protected (property test)', () => {
    const next = rnd(42)
    for (let trial = 0; trial < 300; trial++) {
      const R = 2 + Math.floor(next() * 8)
      const C = 2 + Math.floor(next() * 5)
      const W = C + 1
      const values = new Float64Array((R + 1) * W)
      for (let r = 0; r < R; r++) {
        for (let c = 0; c < C; c++)
          values[r * W + c] = next() < 0.3 ? Math.floor(next() * 30) : Math.floor(next() * 400)
        let s = 0
        for (let c = 0; c < C; c++) s += values[r * W + c]!
        values[r * W + C] = s
      }
      for (let c = 0; c <= C; c++) {
        let s = 0
        for (let r = 0; r < R; r++) s += values[r * W + c]!
        values[R * W + c] = s
      }
      const lines: number[][] = []
      for (let r = 0; r <= R; r++) lines.push([...Array(W).keys()].map((c) => r * W + c))
      for (let c = 0; c < W; c++) lines.push([...Array(R + 1).keys()].map((r) => r * W + c))
      const hidden = new Uint8Array(values.length)
      suppressTable(values, hidden, lines, 30)
      for (let i = 0; i < values.length; i++) if (values[i]! > 0 && values[i]! < 30) expect(hidden[i]).toBe(1)
      expect(protectedLines(values, hidden, lines, 30)).toBe(true)
    }
  })

  it('a day: zone x class cells and the Comune totals share one pattern, so no answer undoes another', () => {
    const rows = new Map()
    const put = (zone: string, cls: number, h: number, v: number) => {
      const key = rowKey(zone, cls, '')
      const c = rows.get(key) ?? emptyCells()
      c.counts[h] = v
      rows.set(key, c)
    }
    // hour 9: zone A has 7 residents (hidden); B, C, D have more
    for (const [z, v] of [
      ['A', 7],
      ['B', 120],
      ['C', 80],
      ['D', 400],
    ] as const) {
      put(z, 0, 9, v)
      put(z, 1, 9, 50)
      put(z, 2, 9, 60)
      put(z, 3, 9, 40)
    }
    const { zones, comune } = computeDay(rows, 30)
    const bit = (z: string, cls: number) =>
      ((zones.find((r) => r.zone === z && r.class === cls)!.hidden >> 9) & 1) === 1
    expect(bit('A', 0)).toBe(true)
    // residents of the Comune are published, so a second zone's residents are hidden (column protected) ...
    const residentsHidden = ['A', 'B', 'C', 'D'].filter((z) => bit(z, 0))
    expect(residentsHidden.length).toBeGreaterThanOrEqual(2)
    // ... and zone A's total over the classes is published, so one more class of zone A is hidden (row protected)
    const classesOfA = [0, 1, 2, 3].filter((c) => bit('A', c))
    expect(classesOfA.length).toBeGreaterThanOrEqual(2)
    const comuneResidents = comune.find((r) => r.class === 0)!
    expect(comuneResidents.counts[9]).toBe(607)
    expect((comuneResidents.hidden >> 9) & 1).toBe(0)
  })
})
