/**
 * Deterministic randomness: every simulated value is a function of (seed, what, time), so that a run with the same
 * seed gives the same data for the same times, live or backfilled, in any order.
 */

/** 32-bit FNV-1a of a string, mixed with a seed. */
export function hash(seed: number, ...parts: (string | number)[]): number {
  let h = (2166136261 ^ seed) >>> 0
  for (const p of parts) {
    const s = String(p)
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i)
      h = Math.imul(h, 16777619) >>> 0
    }
    h ^= 0x9e3779b9
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0
  }
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

/** A uniform number in [0, 1) from the parts. */
export const unit = (seed: number, ...parts: (string | number)[]) => hash(seed, ...parts) / 4294967296

const smooth = (t: number) => t * t * (3 - 2 * t)

/** Smooth noise in [-1, 1]: random values every `periodMs`, interpolated between them. */
export function noise(seed: number, key: string, timeMs: number, periodMs: number): number {
  const x = timeMs / periodMs
  const i = Math.floor(x)
  const a = unit(seed, key, i) * 2 - 1
  const b = unit(seed, key, i + 1) * 2 - 1
  return a + (b - a) * smooth(x - i)
}

/** mulberry32: a seeded generator for what is not a function of time (e.g. which lamp is faulty). */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))
export const round = (v: number, digits = 1) => {
  const f = 10 ** digits
  return Math.round(v * f) / f
}
