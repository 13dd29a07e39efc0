import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../../errors.js'
import { PROJECT_ROOT } from '../../../paths.js'
import { fakeContext } from './fake-context.js'
import { formatEntity } from './format-entity.js'
import { parseEntity } from './parse-entity.js'

const NOW = '2024-05-01T10:00:00.000Z'
const ctx = fakeContext()
const DIR = path.join(PROJECT_ROOT, 'test/fixtures/smart-data-models')

/** Examples that the spec rejects, and why (see the module's report). */
const REJECTED: Record<string, string> = {
  // not NGSI-LD at all: id is an object, attribute types are JSON Schema types ("string", "array")
  'TourismDestinations/TouristDestination': 'id: the entity id must be a URI',
  // "Spain-WeatherForecast-46005_2016-12-01T18:00:00_..." has no valid URI scheme ("_" before the first ":")
  'Weather/WeatherForecast': 'id: the entity id must be a URI',
}

function examples(): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = []
  for (const domain of fs.readdirSync(DIR).sort()) {
    const domainDir = path.join(DIR, domain)
    if (!fs.statSync(domainDir).isDirectory()) continue
    for (const model of fs.readdirSync(domainDir).sort()) {
      const file = path.join(domainDir, model, 'example-normalized.jsonld')
      if (fs.existsSync(file)) out.push([`${domain}/${model}`, JSON.parse(fs.readFileSync(file, 'utf8'))])
    }
  }
  return out
}

/** The input as the broker returns it: without @context, observedAt normalized to toISOString(). */
function expected(v: unknown, key = ''): unknown {
  if (key === 'observedAt' && typeof v === 'string') return new Date(v).toISOString()
  if (Array.isArray(v)) return v.map((x) => expected(x))
  if (typeof v !== 'object' || v === null) return v
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => k !== '@context')
      .map(([k, x]) => [k, expected(x, k)]),
  )
}

const all = examples()

describe('smart-data-models example-normalized.jsonld round trips', () => {
  const accepted = all.filter(([name]) => !(name in REJECTED))

  it('finds the examples', () => {
    expect(all.length).toBeGreaterThanOrEqual(20)
  })

  it.each(accepted)('%s: parse then format normalized gives the input back', (_name, body) => {
    const entity = parseEntity(body, ctx, { now: NOW })
    expect(formatEntity(entity, ctx, { format: 'normalized' })).toEqual(expected(body))
  })

  it.each(accepted)('%s: the concise form parses back to the same entity', (_name, body) => {
    const entity = parseEntity(body, ctx, { now: NOW })
    const concise = formatEntity(entity, ctx, { format: 'concise' })
    expect(parseEntity(concise, ctx, { now: NOW })).toEqual(entity)
  })

  it.each(all.filter(([name]) => name in REJECTED))('%s is rejected', (name, body) => {
    let error: unknown
    try {
      parseEntity(body, ctx, { now: NOW })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('BadRequestData')
    expect((error as AppError).message).toContain(REJECTED[name])
  })
})

describe('concise round trip of every attribute kind', () => {
  it('parses its own concise output back, including ambiguous values', () => {
    const body = {
      id: 'urn:ngsi-ld:T:1',
      type: ['T', 'U'],
      scope: ['/a/b', '/c'],
      p: {
        type: 'Property',
        value: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 0],
            ],
          ],
        },
      },
      q: { type: 'Property', value: { type: 'PostalAddress', value: 1 } },
      e: { type: 'Property', value: [] },
      m: { type: 'Property', value: [{ object: 'urn:a:b' }] },
      r: { type: 'Relationship', object: 'urn:a:b', objectType: 'Person', sub: { type: 'Property', value: 1 } },
      location: {
        type: 'GeoProperty',
        value: { type: 'Point', coordinates: [1, 2] },
        observedAt: '2024-01-01T00:00:00Z',
      },
      l: { type: 'LanguageProperty', languageMap: { it: 'ciao', '@none': 'hi' } },
      j: { type: 'JsonProperty', json: { type: 'Property', value: 1 } },
      vl: { type: 'ListProperty', valueList: [{ type: 'x' }] },
      ol: { type: 'ListRelationship', objectList: [{ object: 'urn:a:b' }] },
      v: { type: 'VocabProperty', vocab: ['x', 'y'] },
      multi: [
        { type: 'Property', value: 1 },
        { type: 'Property', value: 2, datasetId: 'urn:d:1' },
      ],
    }
    const entity = parseEntity(body, ctx, { now: NOW })
    const concise = formatEntity(entity, ctx, { format: 'concise' })
    expect(parseEntity(concise, ctx, { now: NOW })).toEqual(entity)
    expect(formatEntity(entity, ctx, { format: 'normalized' })).toEqual({
      ...body,
      location: { ...body.location, observedAt: '2024-01-01T00:00:00.000Z' },
    })
  })
})
