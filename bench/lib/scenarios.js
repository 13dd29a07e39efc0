// The requests of each scenario, with random parameters (seeded) and the check of every answer.
import { BBOX, ENTITY_TYPE, entityId, prng, RARE_STATUSES } from './data.js'

const E = '/ngsi-ld/v1/entities'
const BODY_PREFIX = `{"id":"urn:ngsi-ld:${ENTITY_TYPE}:LU-`

/** GET /ngsi-ld/v1/entities/{id} over random ids: 200 with the entity. */
export function getById(count, seed = 11) {
  const rnd = prng(seed)
  return {
    method: 'GET',
    path: () => `${E}/${entityId(Math.floor(rnd() * count))}`,
    check: (status, body) => status === 200 && body.startsWith(BODY_PREFIX),
  }
}

/** PATCH /ngsi-ld/v1/entities/{id}/attrs/NO2 {"value": x} over random ids: 204. */
export function patchAttr(count, seed = 12) {
  const rnd = prng(seed)
  return {
    method: 'PATCH',
    path: () => `${E}/${entityId(Math.floor(rnd() * count))}/attrs/NO2`,
    body: () => `{"value":${Math.round(rnd() * 800) / 10}}`,
    extraHeaders: { 'content-type': 'application/json' },
    check: (status) => status === 204,
  }
}

/**
 * type + selective q: `status=="<rare value>"` (three values, 0.5% of the entities each), default page (limit 20).
 * With `numeric`, AND-ed with `NO2><n>`, n random in 0..50 (NO2 is uniform in 0..80): the same selective term plus
 * one that no index can serve. Checks every returned entity against the query.
 */
export function selectiveQ({ numeric = false, seed = 13 } = {}) {
  const rnd = prng(seed)
  const asked = new Map()
  return {
    makeQuery(i) {
      const status = RARE_STATUSES[i % RARE_STATUSES.length]
      const no2 = numeric ? Math.floor(rnd() * 50) : undefined
      const q = no2 === undefined ? `status=="${status}"` : `status=="${status}";NO2>${no2}`
      const query = `${E}?type=${ENTITY_TYPE}&q=${encodeURIComponent(q)}`
      asked.set(query, { status, no2 })
      return query
    },
    check(list, query) {
      const { status, no2 } = asked.get(query)
      if (list.length === 0) return 'no entity found'
      for (const e of list) {
        if (e.type !== ENTITY_TYPE || e.status?.value !== status) return `wrong entity ${e.id}`
        if (no2 !== undefined && !(e.NO2?.value > no2)) return `NO2 of ${e.id} is not > ${no2}`
      }
      return undefined
    },
  }
}

/** Great-circle distance in metres (a sphere of the WGS84 mean radius: within 0.5% of the spheroid). */
function metres([lon1, lat1], [lon2, lat2]) {
  const r = Math.PI / 180
  const a =
    Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2
  return 2 * 6371008.8 * Math.asin(Math.sqrt(a))
}

/** type + near;maxDistance==500 around a random point of the area (away from its edges). Default page. */
export function geoNear(seed = 14) {
  const rnd = prng(seed)
  const asked = new Map()
  const margin = 0.01
  return {
    makeQuery() {
      const p = [
        Math.round((BBOX.west + margin + rnd() * (BBOX.east - BBOX.west - 2 * margin)) * 1e6) / 1e6,
        Math.round((BBOX.south + margin + rnd() * (BBOX.north - BBOX.south - 2 * margin)) * 1e6) / 1e6,
      ]
      const query = `${E}?type=${ENTITY_TYPE}&georel=${encodeURIComponent('near;maxDistance==500')}&geometry=Point&coordinates=${encodeURIComponent(JSON.stringify(p))}`
      asked.set(query, p)
      return query
    },
    check(list, query) {
      const p = asked.get(query)
      if (list.length === 0) return 'no entity found'
      for (const e of list) {
        const c = e.location?.value?.coordinates
        if (e.type !== ENTITY_TYPE || !c) return `wrong entity ${e.id}`
        if (metres(p, c) > 503) return `${e.id} is ${metres(p, c).toFixed(0)} m away`
      }
      return undefined
    },
  }
}
