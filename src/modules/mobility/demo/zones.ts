/**
 * Demo zones for the synthetic mobility data: a square grid over each demo Comune, with Italian names that help a
 * user find their way (the historic centre, the fairground, known frazioni, otherwise direction and distance from the
 * centre) and static weights saying where residents live and where commuters and visitors go.
 */
import { contains } from '../../simulator/geo.js'
import { hash } from '../../simulator/random.js'

export type LonLat = [number, number]

export interface Polygon {
  type: 'Polygon'
  coordinates: number[][][]
}

/** What a zone is, for the generator: where events happen and where commuters go. */
export type ZoneKind = 'centre' | 'fair' | 'industrial' | 'attraction' | 'ordinary'

export interface ZoneWeight {
  resident: number
  commuter: number
  visitor: number
}

export interface DemoZone {
  /** `G-rr-cc`: grid row (from the north) and column (from the west). */
  zone: string
  name: string
  geometry: Polygon
  centroid: LonLat
  /** Shares of the Comune's residents (at night), commuters and visitors; each sums to 1 over the zones. */
  weight: ZoneWeight
  /** Optional: zones of other layers may come without it (treated as `ordinary`). */
  kind?: ZoneKind
}

export interface NamedPlace {
  name: string
  at: LonLat
  kind: ZoneKind
  /** Include the cell containing the place even when its centre is outside the boundary (the fairground of Pero). */
  force?: boolean
}

export interface ZoneLayout {
  /** Cell side in metres. */
  cell: number
  centre: LonLat
  /** Spread (km) of residents, commuters and visitors around the centre. */
  spread: ZoneWeight
  places: NamedPlace[]
}

/** Grid layouts of the demo Comuni, keyed by ISTAT code. Place coordinates are approximate (±300 m). */
export const ZONE_LAYOUTS: Record<string, ZoneLayout> = {
  // Lucca: ~185 km², 2.2 km cells -> ~40 zones
  '046017': {
    cell: 2200,
    centre: [10.5027, 43.843],
    spread: { resident: 3.2, commuter: 2.0, visitor: 1.2 },
    places: [
      { name: 'Centro storico', at: [10.5027, 43.843], kind: 'centre' },
      { name: 'Pontetetto (zona industriale)', at: [10.495, 43.8245], kind: 'industrial' },
      { name: 'Sant’Anna', at: [10.4835, 43.8455], kind: 'ordinary' },
      { name: 'Monte San Quirico', at: [10.499, 43.859], kind: 'ordinary' },
      { name: 'San Vito', at: [10.5255, 43.8445], kind: 'ordinary' },
      { name: 'Ponte a Moriano', at: [10.533, 43.902], kind: 'ordinary' },
      { name: 'Ponte San Pietro', at: [10.457, 43.84], kind: 'ordinary' },
      { name: 'Nozzano', at: [10.425, 43.828], kind: 'ordinary' },
      { name: 'Santa Maria del Giudice', at: [10.475, 43.793], kind: 'ordinary' },
    ],
  },
  // Pero: ~5 km², 400 m cells -> ~30 zones
  '015170': {
    cell: 400,
    centre: [9.087, 45.5107],
    spread: { resident: 0.9, commuter: 0.8, visitor: 0.6 },
    places: [
      { name: 'Centro storico', at: [9.087, 45.5107], kind: 'centre' },
      { name: 'Polo fieristico', at: [9.08, 45.52], kind: 'fair', force: true },
      { name: 'Cerchiate', at: [9.0775, 45.5135], kind: 'ordinary' },
      { name: 'Zona produttiva sud', at: [9.089, 45.5005], kind: 'industrial' },
    ],
  },
  // Mantova: ~64 km² with the lakes, 1.2 km cells -> ~40 zones
  '020030': {
    cell: 1200,
    centre: [10.7939, 45.1586],
    spread: { resident: 2.2, commuter: 1.6, visitor: 0.8 },
    places: [
      { name: 'Centro storico', at: [10.7939, 45.1586], kind: 'centre' },
      { name: 'Palazzo Te', at: [10.786, 45.148], kind: 'attraction' },
      { name: 'Cittadella', at: [10.796, 45.172], kind: 'ordinary' },
      { name: 'Lunetta', at: [10.82, 45.16], kind: 'ordinary' },
      { name: 'Frassino - polo chimico', at: [10.832, 45.151], kind: 'industrial' },
      { name: 'Valdaro (zona industriale e porto)', at: [10.846, 45.138], kind: 'industrial' },
      { name: 'Te Brunetti', at: [10.776, 45.144], kind: 'ordinary' },
      { name: 'Angeli', at: [10.756, 45.166], kind: 'ordinary' },
      { name: 'Formigosa', at: [10.865, 45.13], kind: 'ordinary' },
    ],
  },
}

const M_PER_DEG = 111_320
const DIRS = ['E', 'N-E', 'N', 'N-O', 'O', 'S-O', 'S', 'S-E']
const r6 = (v: number) => Math.round(v * 1e6) / 1e6
const pad2 = (n: number) => String(n).padStart(2, '0')

/** Fraction of the cell inside the boundary, sampled on a 4x4 grid. */
function insideFraction(boundary: unknown, w: number, s: number, dx: number, dy: number): number {
  let n = 0
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) if (contains(boundary, [w + ((i + 0.5) * dx) / 4, s + ((j + 0.5) * dy) / 4])) n++
  }
  return n / 16
}

function bbox(geometry: unknown): [number, number, number, number] {
  const g = geometry as { type: string; coordinates: unknown }
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][]
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const poly of polys) {
    for (const ring of poly) {
      for (const p of ring) {
        const x = p[0] ?? 0
        const y = p[1] ?? 0
        if (x < w) w = x
        if (x > e) e = x
        if (y < s) s = y
        if (y > n) n = y
      }
    }
  }
  return [w, s, e, n]
}

interface Cell {
  i: number
  j: number
  centroid: LonLat
  frac: number
  kind: ZoneKind
  name?: string
  forced: boolean
}

/**
 * The demo zones of a Comune: grid cells whose centre lies inside the boundary (Polygon or MultiPolygon), plus the
 * cells of forced places (the fairground). Deterministic: the same boundary always gives the same zones.
 */
export function demoZones(istat: string, boundary: unknown): DemoZone[] {
  const layout = ZONE_LAYOUTS[istat]
  if (!layout) throw new Error(`No demo zone layout for Comune ${istat}`)
  const [lon0, lat0] = layout.centre
  const dy = layout.cell / M_PER_DEG
  const dx = layout.cell / (M_PER_DEG * Math.cos((lat0 * Math.PI) / 180))
  // cell (i, j): j grows eastwards, i grows southwards; the centre lies at the middle of cell (0, 0)
  const west = (j: number) => lon0 + (j - 0.5) * dx
  const south = (i: number) => lat0 - (i + 0.5) * dy
  const cellOf = ([x, y]: LonLat): [number, number] => [
    Math.floor((lat0 + dy / 2 - y) / dy),
    Math.floor((x - lon0) / dx + 0.5),
  ]
  const [bw, bs, be, bn] = bbox(boundary)
  const [iMin, jMin] = cellOf([bw, bn])
  const [iMax, jMax] = cellOf([be, bs])
  const cells = new Map<string, Cell>()
  const make = (i: number, j: number, forced: boolean): Cell => {
    const centroid: LonLat = [west(j) + dx / 2, south(i) + dy / 2]
    return { i, j, centroid, frac: insideFraction(boundary, west(j), south(i), dx, dy), kind: 'ordinary', forced }
  }
  for (let i = iMin; i <= iMax; i++) {
    for (let j = jMin; j <= jMax; j++) {
      const c = make(i, j, false)
      if (contains(boundary, c.centroid)) cells.set(`${i},${j}`, c)
    }
  }
  for (const p of layout.places) {
    const [i, j] = cellOf(p.at)
    let c = cells.get(`${i},${j}`)
    if (!c && p.force) {
      c = make(i, j, true)
      cells.set(`${i},${j}`, c)
    }
    if (!c || c.name) continue
    c.name = p.name
    c.kind = p.kind
  }
  const list = [...cells.values()]
  const i0 = Math.min(...list.map((c) => c.i))
  const j0 = Math.min(...list.map((c) => c.j))
  const km = (c: Cell) => {
    const ex = (c.centroid[0] - lon0) * M_PER_DEG * Math.cos((lat0 * Math.PI) / 180)
    const ny = (c.centroid[1] - lat0) * M_PER_DEG
    return { d: Math.hypot(ex, ny) / 1000, dir: DIRS[Math.round(Math.atan2(ny, ex) / (Math.PI / 4) + 8) % 8] ?? 'N' }
  }
  // unnamed cells: "Zona N-E 3 (2,4 km dal centro)", numbered by distance within each direction
  const ordinals = new Map<string, number>()
  for (const c of [...list].sort((a, b) => km(a).d - km(b).d || a.i - b.i || a.j - b.j)) {
    if (c.name) continue
    const { d, dir } = km(c)
    const n = (ordinals.get(dir) ?? 0) + 1
    ordinals.set(dir, n)
    c.name = `Zona ${dir} ${n} (${d.toFixed(1).replace('.', ',')} km dal centro)`
  }
  const raw = list.map((c) => {
    const { d } = km(c)
    const jitter = (what: string) => 0.75 + 0.5 * (hash(17, istat, c.i, c.j, what) / 4294967296)
    const bump = (sigma: number) => Math.exp(-((d / sigma) ** 2))
    const area = Math.max(c.frac, c.forced ? 0.5 : 0.1)
    const k = c.kind
    const resident =
      area * (0.12 + bump(layout.spread.resident)) * jitter('r') * (k === 'fair' ? 0.15 : k === 'industrial' ? 0.4 : 1)
    const commuter =
      area *
      (0.05 + 0.6 * bump(layout.spread.commuter)) *
      jitter('c') *
      (k === 'centre' ? 3 : k === 'fair' ? 4 : k === 'industrial' ? 3.5 : k === 'attraction' ? 1.5 : 1)
    const visitor =
      area *
      (0.02 + 0.25 * bump(layout.spread.visitor)) *
      jitter('v') *
      (k === 'centre' ? 8 : k === 'fair' ? 5 : k === 'attraction' ? 4 : k === 'industrial' ? 0.5 : 1)
    return { c, resident, commuter, visitor }
  })
  const sum = (f: (x: (typeof raw)[number]) => number) => raw.reduce((s, x) => s + f(x), 0)
  const [sr, sc, sv] = [sum((x) => x.resident), sum((x) => x.commuter), sum((x) => x.visitor)]
  return raw
    .sort((a, b) => a.c.i - b.c.i || a.c.j - b.c.j)
    .map(({ c, resident, commuter, visitor }) => {
      const [w, s] = [west(c.j), south(c.i)]
      return {
        zone: `G-${pad2(c.i - i0)}-${pad2(c.j - j0)}`,
        name: c.name ?? '',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [r6(w), r6(s)],
              [r6(w + dx), r6(s)],
              [r6(w + dx), r6(s + dy)],
              [r6(w), r6(s + dy)],
              [r6(w), r6(s)],
            ],
          ],
        },
        centroid: [r6(c.centroid[0]), r6(c.centroid[1])],
        weight: { resident: resident / sr, commuter: commuter / sc, visitor: visitor / sv },
        kind: c.kind,
      } satisfies DemoZone
    })
}
