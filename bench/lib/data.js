// The data set: AirQualityObserved-like stations spread over Lucca (10.40-10.60 E, 43.80-43.90 N), generated from a
// seeded PRNG so that every run loads the same entities. Eight attributes per entity: five numeric Properties (with
// unitCode and observedAt), a `status` string Property (rare values for the selective q), a Relationship and a
// GeoProperty `location`.

export const ENTITY_TYPE = 'AirQualityObserved'
export const ATTRS_PER_ENTITY = 8
export const BBOX = { west: 10.4, east: 10.6, south: 43.8, north: 43.9 }

/** `status` values: "ok" for most stations, three rare ones (0.5% each) for the selective q. */
export const RARE_STATUSES = ['maintenance', 'faulty', 'calibrating']

/** mulberry32: a small, fast, seeded PRNG in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Every id of the data set starts with this (the demo's own entities do not). */
export const ID_PREFIX = `urn:ngsi-ld:${ENTITY_TYPE}:LU-`
export const entityId = (i) => `${ID_PREFIX}${String(i).padStart(6, '0')}`

export function statusOf(i) {
  const r = i % 200
  return r === 7 ? RARE_STATUSES[0] : r === 77 ? RARE_STATUSES[1] : r === 177 ? RARE_STATUSES[2] : 'ok'
}

const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d

/** Entity number i (0-based). `rnd` is a prng(); `observedAt` an ISO timestamp; `shift` changes the readings. */
export function makeEntity(i, rnd, observedAt, shift = 0) {
  const num = (value, unitCode) => ({ type: 'Property', value, unitCode, observedAt })
  return {
    id: entityId(i),
    type: ENTITY_TYPE,
    NO2: num(round(rnd() * 80 + shift, 1), 'GQ'),
    PM10: num(round(rnd() * 60 + shift, 1), 'GQ'),
    PM25: num(round(rnd() * 35 + shift, 1), 'GQ'),
    O3: num(round(rnd() * 120 + shift, 1), 'GQ'),
    temperature: num(round(rnd() * 30 - 2 + shift, 1), 'CEL'),
    status: { type: 'Property', value: statusOf(i) },
    refDevice: { type: 'Relationship', object: `urn:ngsi-ld:Device:aq-${String(i).padStart(6, '0')}` },
    location: {
      type: 'GeoProperty',
      value: {
        type: 'Point',
        coordinates: [
          round(BBOX.west + rnd() * (BBOX.east - BBOX.west), 6),
          round(BBOX.south + rnd() * (BBOX.north - BBOX.south), 6),
        ],
      },
    },
  }
}

/** Batches [from, to) of `size` entities, as JSON strings (generated lazily). */
export function* batches(count, size, { seed = 1, shift = 0, from = 0 } = {}) {
  const rnd = prng(seed)
  const observedAt = new Date().toISOString()
  for (let start = from; start < from + count; start += size) {
    const n = Math.min(size, from + count - start)
    const list = []
    for (let k = 0; k < n; k++) list.push(makeEntity(start + k, rnd, observedAt, shift))
    yield { start, n, body: JSON.stringify(list) }
  }
}
