/**
 * Every FIWARE Smart Data Models normalized example (test/fixtures), read with its domain's @context (built in, never
 * fetched: the test would fail with 503 otherwise, as this machine has no internet), can be
 * created, read back equal, found by type and by a q on one of its attributes. Two examples are not NGSI-LD and are
 * refused with a clear 400 (see docs/ngsi-ld.md).
 */
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../src/paths.js'
import { A, createTestApp, type TestApp } from '../support/app.js'

const DIR = path.join(PROJECT_ROOT, 'test/fixtures/smart-data-models')
const CORE = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld'
const INVALID: Record<string, RegExp> = {
  'TourismDestinations/TouristDestination': /id/, // its id is an object, its attribute types are JSON-schema names
  'Weather/WeatherForecast': /URI/, // its id has no URI scheme
}

const examples = fs
  .readdirSync(DIR)
  .filter((d) => fs.statSync(path.join(DIR, d)).isDirectory())
  .flatMap((domain) =>
    fs.readdirSync(path.join(DIR, domain)).map((model) => {
      const body = JSON.parse(fs.readFileSync(path.join(DIR, domain, model, 'example-normalized.jsonld'), 'utf8'))
      // Each example is read with its domain's @context (served built in), as the models publish it.
      body['@context'] = [
        `https://raw.githubusercontent.com/smart-data-models/dataModel.${domain}/master/context.jsonld`,
        CORE,
      ]
      return [`${domain}/${model}`, body] as [string, Record<string, unknown>]
    }),
  )

/** The expected read-back: what was sent, with observedAt normalized to ISO form. */
function normalizeTimes(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalizeTimes)
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k,
        k === 'observedAt' && typeof x === 'string' ? new Date(x).toISOString() : normalizeTimes(x),
      ]),
    )
  }
  return v
}

/** A q term that must match the entity: an attribute with a simple number or string value. */
function qFor(e: Record<string, unknown>): string | undefined {
  for (const [k, v] of Object.entries(e)) {
    const a = v as { type?: string; value?: unknown }
    if (a?.type === 'Property' && typeof a.value === 'number') return `${k}==${a.value}`
    if (
      a?.type === 'Property' &&
      typeof a.value === 'string' &&
      /^[\w .-]{1,60}$/.test(a.value) &&
      !/^\d{4}-\d\d-\d\d/.test(a.value)
    ) {
      return `${k}==${JSON.stringify(a.value)}`
    }
  }
  return undefined
}

describe('FIWARE Smart Data Models examples', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t?.close())

  it('has the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(20)
  })

  for (const [name, body] of examples) {
    const ld = { 'content-type': 'application/ld+json', accept: 'application/ld+json' }
    if (INVALID[name]) {
      it(`${name}: refused with a clear 400`, async () => {
        const r = await t.call({
          method: 'POST',
          url: '/ngsi-ld/v1/entities',
          key: t.keys[A]!.operator,
          headers: ld,
          payload: body,
        })
        expect(r.statusCode).toBe(400)
        expect(r.json().detail).toMatch(INVALID[name]!)
      })
      continue
    }
    it(`${name}: create, read back equal, find by type and q`, async () => {
      const r = await t.call({
        method: 'POST',
        url: '/ngsi-ld/v1/entities',
        key: t.keys[A]!.operator,
        headers: ld,
        payload: body,
      })
      expect(r.statusCode, r.body).toBe(201)
      const id = encodeURIComponent(String(body.id))
      const contexts = [body['@context']].flat() as string[]
      const domainContext = contexts.find((c) => !c.includes('uri.etsi.org')) ?? contexts[0]
      const link = {
        link: `<${domainContext}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
      }
      const back = await t.call({
        method: 'GET',
        url: `/ngsi-ld/v1/entities/${id}`,
        key: t.keys[A]!.viewer,
        headers: { ...link, accept: 'application/json' },
      })
      expect(back.statusCode).toBe(200)
      const { '@context': _sent, ...expected } = body
      expect(back.json()).toEqual(normalizeTimes(expected))
      const byType = await t.call({
        method: 'GET',
        url: `/ngsi-ld/v1/entities?type=${body.type}&options=keyValues`,
        key: t.keys[A]!.viewer,
        headers: link,
      })
      expect(byType.json().map((e: { id: string }) => e.id)).toContain(body.id)
      const q = qFor(body)
      expect(q, 'a q-able attribute').toBeDefined()
      const byQ = await t.call({
        method: 'GET',
        url: `/ngsi-ld/v1/entities?type=${body.type}&q=${encodeURIComponent(q!)}`,
        key: t.keys[A]!.viewer,
        headers: link,
      })
      expect(byQ.statusCode, byQ.body).toBe(200)
      expect(byQ.json().map((e: { id: string }) => e.id)).toContain(body.id)
    })
  }

  it("stores every example's index document as migration 008's SQL twin computes it", async () => {
    const r = await sql<{ n: number; differ: number }>`SELECT count(*)::int AS n,
        count(*) FILTER (WHERE search IS DISTINCT FROM ngsi_search_doc(attrs))::int AS differ
      FROM ngsi_entities WHERE tenant = ${A}`.execute(t.database.db)
    expect(r.rows[0]!.n).toBeGreaterThanOrEqual(examples.length - Object.keys(INVALID).length)
    expect(r.rows[0]!.differ).toBe(0)
  })
})
