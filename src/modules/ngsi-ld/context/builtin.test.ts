import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CORE_CONTEXT_URL,
  dataDir,
  getBuiltinDocument,
  isBuiltinContextUrl,
  isCoreContextUrl,
  listBuiltinContexts,
} from './builtin.js'
import { getContextDocument } from './documents.js'
import { MemoryContextStore } from './memory-store.js'

const DOMAINS = [
  'Building',
  'Device',
  'Energy',
  'Environment',
  'Parking',
  'PointOfInterest',
  'Streetlighting',
  'TourismDestinations',
  'Transportation',
  'WasteManagement',
  'Weather',
]

describe('built-in contexts', () => {
  it('finds data/ from the module location', () => {
    expect(fs.existsSync(path.join(dataDir(), 'contexts', 'ngsi-ld-core-context-v1.9.jsonld'))).toBe(true)
    expect(fs.existsSync(path.join(dataDir(), '..', 'package.json'))).toBe(true)
  })

  it('maps every core version to a core document', () => {
    for (let minor = 0; minor <= 9; minor++) {
      const url = `https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.${minor}.jsonld`
      expect(isCoreContextUrl(url)).toBe(true)
      expect(getBuiltinDocument(url)?.['@context']).toBeTypeOf('object')
    }
    expect(isCoreContextUrl(CORE_CONTEXT_URL)).toBe(true)
    // v1.4 is its own document (the file starts with a line holding its URL, which the loader skips)
    const v14 = getBuiltinDocument('https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.4.jsonld')
    expect(v14).not.toBe(getBuiltinDocument(CORE_CONTEXT_URL))
    expect(JSON.stringify(v14)).not.toContain('VocabProperty')
  })

  it('knows both URLs of every Smart Data Models domain', () => {
    for (const domain of DOMAINS) {
      for (const url of [
        `https://raw.githubusercontent.com/smart-data-models/dataModel.${domain}/master/context.jsonld`,
        `https://smart-data-models.github.io/dataModel.${domain}/context.jsonld`,
      ]) {
        expect(isBuiltinContextUrl(url), url).toBe(true)
        expect(isCoreContextUrl(url)).toBe(false)
        expect(getBuiltinDocument(url)?.['@context']).toBeTypeOf('object')
      }
    }
    expect(listBuiltinContexts().filter((c) => c.kind === 'SmartDataModels')).toHaveLength(DOMAINS.length * 2)
    expect(isBuiltinContextUrl('https://example.org/context.jsonld')).toBe(false)
  })

  it('getContextDocument answers built-in and stored contexts, never the network', async () => {
    const store = new MemoryContextStore()
    await store.put('https://example.org/ctx.jsonld', { '@context': { a: 'http://a' } }, 'Hosted')
    expect((await getContextDocument(CORE_CONTEXT_URL, store))?.source).toBe('Builtin')
    expect((await getContextDocument(CORE_CONTEXT_URL))?.source).toBe('Builtin')
    const stored = await getContextDocument('https://example.org/ctx.jsonld', store)
    expect(stored?.body).toEqual({ '@context': { a: 'http://a' } })
    expect(stored?.fetchedAt).toBeTypeOf('string')
    expect(await getContextDocument('https://example.org/unknown.jsonld', store)).toBeUndefined()
  })
})
