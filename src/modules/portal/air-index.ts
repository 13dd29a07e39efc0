/**
 * European Air Quality Index (EEA): six bands per pollutant, the index is the worst band of the pollutants measured.
 * Upper bounds in µg/m³ of bands 1 to 5 (above the fifth: band 6).
 */

export const AIR_LEVELS = ['good', 'fair', 'moderate', 'poor', 'veryPoor', 'extremelyPoor'] as const
export type AirLevel = (typeof AIR_LEVELS)[number]
export type Pollutant = 'pm25' | 'pm10' | 'no2' | 'o3'

export const AIR_BANDS: Record<Pollutant, readonly number[]> = {
  pm25: [10, 20, 25, 50, 75],
  pm10: [20, 40, 50, 100, 150],
  no2: [40, 90, 120, 230, 340],
  o3: [50, 100, 130, 240, 380],
}

/** The band (1..6) of one pollutant's concentration: the first band whose upper bound it does not exceed. */
export function pollutantIndex(p: Pollutant, value: number): number {
  const bounds = AIR_BANDS[p]
  const i = bounds.findIndex((b) => value <= b)
  return i < 0 ? bounds.length + 1 : i + 1
}

/** The index (1..6) and level over the pollutants given; undefined when none is. */
export function airIndex(
  values: Partial<Record<Pollutant, number | null>>,
): { index: number; level: AirLevel } | undefined {
  let worst = 0
  for (const p of Object.keys(AIR_BANDS) as Pollutant[]) {
    const v = values[p]
    if (typeof v === 'number' && Number.isFinite(v)) worst = Math.max(worst, pollutantIndex(p, v))
  }
  return worst === 0 ? undefined : { index: worst, level: AIR_LEVELS[worst - 1]! }
}
