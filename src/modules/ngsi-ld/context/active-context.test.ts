import { describe, expect, it } from 'vitest'
import { isAppError } from '../../../errors.js'
import { coreActiveContext } from './active-context.js'
import { CORE_CONTEXT_URL, DEFAULT_RESPONSE_CONTEXT } from './builtin.js'
import { MemoryContextStore } from './memory-store.js'
import { createContextResolver } from './resolver.js'

const NGSI = 'https://uri.etsi.org/ngsi-ld/'
const DEFAULT = 'https://uri.etsi.org/ngsi-ld/default-context/'
const SDM = 'https://raw.githubusercontent.com/smart-data-models'
const ENV_URL = `${SDM}/dataModel.Environment/master/context.jsonld`

/** A resolver that proves no network is used: its fetch throws. */
function offlineResolver() {
  const noNetwork = (() => {
    throw new Error('network must not be used')
  }) as unknown as typeof fetch
  return createContextResolver({ store: new MemoryContextStore(), fetch: noNetwork })
}

async function rejection(p: Promise<unknown>) {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected a rejection')
}

describe('core context', () => {
  const core = coreActiveContext()

  it('expands and compacts core terms', () => {
    expect(core.expand('Property')).toBe(`${NGSI}Property`)
    expect(core.expand('location')).toBe(`${NGSI}location`)
    expect(core.expand('observedAt')).toBe(`${NGSI}observedAt`)
    expect(core.expand('value')).toBe(`${NGSI}hasValue`)
    expect(core.expand('type')).toBe('@type')
    expect(core.expand('id')).toBe('@id')
    expect(core.expand('Point')).toBe('https://purl.org/geojson/vocab#Point')
    expect(core.compact(`${NGSI}hasValue`)).toBe('value')
    expect(core.compact(`${NGSI}Property`)).toBe('Property')
    expect(core.compact('@type')).toBe('type')
  })

  it('maps unknown terms to the default context and back', () => {
    expect(core.expand('temperature')).toBe(`${DEFAULT}temperature`)
    expect(core.compact(`${DEFAULT}temperature`)).toBe('temperature')
    // a default-context IRI whose local name is a core term must not compact to that term
    expect(core.compact(`${DEFAULT}location`)).toBe('ngsi-ld:default-context/location')
  })

  it('keeps absolute IRIs and expands compact IRIs with a known prefix', () => {
    expect(core.expand('https://example.org/speed')).toBe('https://example.org/speed')
    expect(core.expand('urn:ngsi-ld:Thing:1')).toBe('urn:ngsi-ld:Thing:1')
    expect(core.expand('ngsi-ld:foo')).toBe(`${NGSI}foo`)
    expect(core.expand('geojson:bar')).toBe('https://purl.org/geojson/vocab#bar')
    expect(core.compact(`${NGSI}somethingNew`)).toBe('ngsi-ld:somethingNew')
    expect(core.compact('https://example.org/speed')).toBe('https://example.org/speed')
  })

  it('records @type coercion', () => {
    expect(core.coercion('vocab')).toBe('@vocab')
    expect(core.coercion('observedAt')).toBe(`${NGSI}DateTime`)
    expect(core.coercion('json')).toBe('@json')
    expect(core.coercion('temperature')).toBeUndefined()
  })

  it('echoes the v1.8 core context URL', () => {
    expect(core.value).toBe(DEFAULT_RESPONSE_CONTEXT)
  })
})

describe('Smart Data Models contexts (built in, no network)', () => {
  it('resolves AirQualityObserved and no2 via the raw.githubusercontent URL', async () => {
    const ctx = await offlineResolver().resolve(ENV_URL)
    expect(ctx.expand('AirQualityObserved')).toBe(
      'https://smartdatamodels.org/dataModel.Environment/AirQualityObserved',
    )
    expect(ctx.expand('no2')).toBe('https://smartdatamodels.org/dataModel.Environment/no2')
    expect(ctx.compact('https://smartdatamodels.org/dataModel.Environment/no2')).toBe('no2')
    expect(ctx.expand('location')).toBe(`${NGSI}location`)
    expect(ctx.expand('notInTheModel')).toBe(`${DEFAULT}notInTheModel`)
    expect(ctx.value).toBe(ENV_URL)
  })

  it('also answers the github.io URL and arrays with the core context', async () => {
    const url = 'https://smart-data-models.github.io/dataModel.Parking/context.jsonld'
    const ctx = await offlineResolver().resolve([url, CORE_CONTEXT_URL])
    expect(ctx.expand('ParkingSpot')).toBe('https://smartdatamodels.org/dataModel.Parking/ParkingSpot')
    expect(ctx.value).toEqual([url, CORE_CONTEXT_URL])
  })

  it('gives one short name different meanings in different contexts', async () => {
    const r = offlineResolver()
    const parking = await r.resolve(`${SDM}/dataModel.Parking/master/context.jsonld`)
    const building = await r.resolve(`${SDM}/dataModel.Building/master/context.jsonld`)
    expect(parking.expand('category')).toBe('https://smartdatamodels.org/dataModel.Parking/category')
    expect(building.expand('category')).toBe('https://smartdatamodels.org/dataModel.Building/category')
    // a context that does not know an IRI compacts it to the full IRI
    expect(building.compact('https://smartdatamodels.org/dataModel.Parking/category')).toBe(
      'https://smartdatamodels.org/dataModel.Parking/category',
    )
    expect(coreActiveContext().compact('https://smartdatamodels.org/dataModel.Environment/no2')).toBe(
      'https://smartdatamodels.org/dataModel.Environment/no2',
    )
  })
})

describe('inline contexts', () => {
  const r = offlineResolver()

  it('gives conflicting meanings to one name in two contexts', async () => {
    const a = await r.resolve({ speed: 'http://a.example/speed' })
    const b = await r.resolve({ speed: 'http://b.example/speed' })
    expect(a.expand('speed')).toBe('http://a.example/speed')
    expect(b.expand('speed')).toBe('http://b.example/speed')
    expect(a.compact('http://b.example/speed')).toBe('http://b.example/speed')
    expect(a.key).not.toBe(b.key)
  })

  it('lets later definitions override earlier ones', async () => {
    const ctx = await r.resolve([{ speed: 'http://a.example/speed' }, { speed: 'http://b.example/speed' }])
    expect(ctx.expand('speed')).toBe('http://b.example/speed')
  })

  it('protects core terms', async () => {
    const ctx = await r.resolve({
      type: 'http://evil.example/type',
      location: 'http://evil.example/location',
      Property: 'http://evil.example/Property',
      observedAt: { '@id': 'http://evil.example/observedAt', '@type': '@id' },
      mine: 'http://example.org/mine',
    })
    expect(ctx.expand('type')).toBe('@type')
    expect(ctx.expand('location')).toBe(`${NGSI}location`)
    expect(ctx.expand('Property')).toBe(`${NGSI}Property`)
    expect(ctx.expand('observedAt')).toBe(`${NGSI}observedAt`)
    expect(ctx.coercion('observedAt')).toBe(`${NGSI}DateTime`)
    expect(ctx.compact('http://evil.example/location')).toBe('http://evil.example/location')
    expect(ctx.expand('mine')).toBe('http://example.org/mine')
  })

  it('supports prefixes, compact IRIs and the core prefixes', async () => {
    const ctx = await r.resolve({
      schema: 'https://schema.org/',
      name: 'schema:name',
      ownStatus: 'ngsi-ld:ownStatus',
      'schema:alias': { '@type': '@id' },
    })
    expect(ctx.expand('name')).toBe('https://schema.org/name')
    expect(ctx.expand('schema:address')).toBe('https://schema.org/address')
    expect(ctx.expand('ownStatus')).toBe(`${NGSI}ownStatus`)
    expect(ctx.expand('schema:alias')).toBe('https://schema.org/alias')
    expect(ctx.compact('https://schema.org/name')).toBe('name')
    expect(ctx.compact('https://schema.org/streetAddress')).toBe('schema:streetAddress')
    expect(ctx.expand('unknownprefix:x')).toBe('unknownprefix:x')
  })

  it('uses the user @vocab, records @type coercion and picks the shortest term deterministically', async () => {
    const ctx = await r.resolve({
      '@version': 1.1,
      '@vocab': 'https://vocab.example/',
      category: { '@id': 'https://vocab.example/category', '@type': '@vocab' },
      cat: 'https://vocab.example/category',
      bat: 'https://vocab.example/category',
      owner: { '@id': 'https://vocab.example/owner', '@type': '@id' },
      fast: 'https://vocab.example/Fast',
    })
    expect(ctx.expand('anything')).toBe('https://vocab.example/anything')
    expect(ctx.compact('https://vocab.example/anything')).toBe('anything')
    expect(ctx.coercion('category')).toBe('@vocab')
    expect(ctx.coercion('owner')).toBe('@id')
    expect(ctx.expandVocab('fast')).toBe('https://vocab.example/Fast')
    expect(ctx.compactVocab('https://vocab.example/Fast')).toBe('fast')
    expect(ctx.compact('https://vocab.example/category')).toBe('bat')
  })

  it('resets to the core with null and handles nested arrays', async () => {
    const ctx = await r.resolve([{ speed: 'http://a.example/speed' }, null, [{ other: 'http://a.example/other' }]])
    expect(ctx.expand('speed')).toBe(`${DEFAULT}speed`)
    expect(ctx.expand('other')).toBe('http://a.example/other')
  })

  it('enforces @protected between user contexts', async () => {
    const e = await rejection(
      r.resolve([{ '@protected': true, speed: 'http://a.example/speed' }, { speed: 'http://b.example/speed' }]),
    )
    expect(isAppError(e) && e.code).toBe('BadRequestData')
    expect((e as Error).message).toMatch(/protected term redefinition: "speed"/)
    // the same definition again is allowed
    const same = await r.resolve([
      { '@protected': true, speed: 'http://a.example/speed' },
      { speed: 'http://a.example/speed' },
    ])
    expect(same.expand('speed')).toBe('http://a.example/speed')
  })

  it('caches ActiveContexts by key', async () => {
    const value = [{ speed: 'http://a.example/speed' }]
    const first = await r.resolve(value)
    expect(await r.resolve(structuredClone(value))).toBe(first)
  })

  it.each([
    [42, /expected a URL, an object or an array/],
    [[42], /expected a URL, an object, null or an array/],
    [{ speed: 42 }, /term "speed" must be a string, an object or null/],
    [{ speed: { '@id': 42 } }, /@id of term "speed" must be a string/],
    [{ speed: { '@id': 'relative', '@type': 42 } }, /@type of term "speed"/],
    [{ '@vocab': 42 }, /@vocab must be/],
    [{ '@version': 1.0 }, /@version must be 1.1/],
    [{ '@protected': 'yes' }, /@protected must be true or false/],
    [{ a: 'b', b: 'a' }, /cyclic IRI mapping/],
    [{ '@id': 'http://x' }, /@id cannot be redefined/],
    ['relative.jsonld', /not an absolute URL/],
    [{ '@context': { a: 'http://a' } }, /cannot contain "@context"/],
  ])('rejects the invalid context %j with BadRequestData', async (value, message) => {
    const e = await rejection(r.resolve(value))
    expect(isAppError(e) && e.code).toBe('BadRequestData')
    expect((e as Error).message).toMatch(message)
  })

  it('resolves undefined, null and [] to the core context', async () => {
    expect(await r.resolve(undefined)).toBe(r.core)
    expect(await r.resolve(null)).toBe(r.core)
    expect(await r.resolve([])).toBe(r.core)
  })

  it('expands and compacts in O(1) after warm-up (memoised)', async () => {
    const ctx = await r.resolve(ENV_URL)
    const t0 = performance.now()
    for (let i = 0; i < 100_000; i++) {
      ctx.expand('no2')
      ctx.compact('https://smartdatamodels.org/dataModel.Environment/no2')
    }
    expect(performance.now() - t0).toBeLessThan(500)
  })
})
