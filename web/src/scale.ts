/** Colour scales of the categories: a sorted list of [threshold, colour]; a value takes the colour of the last
 * threshold it reaches (values below the first take the first colour). */
export type Scale = ReadonlyArray<readonly [number, string]>

export function colourFor(scale: Scale, value: number | null | undefined, fallback = '#5c6f82'): string {
  if (value === null || value === undefined || !Number.isFinite(value) || scale.length === 0) return fallback
  let colour = scale[0]![1]
  for (const [threshold, c] of scale) {
    if (value >= threshold) colour = c
    else break
  }
  return colour
}

/** A MapLibre `step` expression equivalent to colourFor on a feature property. */
export function stepExpression(scale: Scale, property: string, fallback = '#5c6f82'): unknown {
  if (scale.length === 0) return fallback
  const expr: unknown[] = ['step', ['to-number', ['get', property], -1e12], scale[0]![1]]
  for (const [threshold, c] of scale.slice(1)) expr.push(threshold, c)
  return ['case', ['has', property], expr, fallback]
}

/** Legend rows: "< 40", "40 – 90", "≥ 90". */
export function legendRows(scale: Scale): { colour: string; from: number | null; to: number | null }[] {
  return scale.map(([v, c], i) => ({
    colour: c,
    from: i === 0 ? null : v,
    to: i + 1 < scale.length ? scale[i + 1]![0] : null,
  }))
}

/** Black or white text for a background, whichever has the better contrast. */
export function textOn(hex: string): '#000000' | '#ffffff' {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (!m) return '#000000'
  const lin = (x: string) => {
    const c = Number.parseInt(x, 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  const l = 0.2126 * lin(m[1]!) + 0.7152 * lin(m[2]!) + 0.0722 * lin(m[3]!)
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000000' : '#ffffff'
}
