import { describe, expect, it } from 'vitest'
import type { AttrMap } from './model.js'
import { searchDoc, searchKey } from './search-doc.js'

const T = '2026-11-24T10:00:00.000Z'
const NO2 = 'https://example.org/NO2'
const ACC = 'https://example.org/accuracy'

describe('searchDoc (the index document of an entity)', () => {
  it('keeps identifying values and drops what changes with every observation', () => {
    const attrs: AttrMap = {
      [NO2]: [
        {
          type: 'Property',
          value: 42.5,
          unitCode: 'GQ',
          observedAt: T,
          createdAt: T,
          modifiedAt: T,
          [ACC]: { type: 'Property', value: 0.5, observedAt: T },
        },
      ],
      'https://example.org/status': [{ type: 'Property', value: 'ok', createdAt: T, modifiedAt: T }],
      'https://example.org/floors': [{ type: 'Property', value: 3 }],
      'https://example.org/dateObserved': [{ type: 'Property', value: { '@type': 'DateTime', '@value': T } }],
      'https://example.org/location': [{ type: 'GeoProperty', value: { type: 'Point', coordinates: [10.5, 43.8] } }],
      'https://example.org/refDevice': [{ type: 'Relationship', object: 'urn:d:1', datasetId: 'urn:ds:a' }],
      'https://example.org/tags': [{ type: 'Property', value: ['a', 7, true, null, { k: 'b', n: 1 }], observedAt: T }],
    }
    const k = (name: string) => searchKey(`https://example.org/${name}`)
    expect(searchDoc(attrs)).toEqual({
      [k('NO2')]: [{ unitCode: 'GQ', observedAt: true, [k('accuracy')]: { observedAt: true } }],
      [k('status')]: [{ value: 'ok' }],
      [k('floors')]: [{ value: 3 }],
      [k('dateObserved')]: [{ value: { '@type': 'DateTime' } }],
      [k('refDevice')]: [{ object: 'urn:d:1', datasetId: 'urn:ds:a' }],
      [k('tags')]: [{ value: ['a', { k: 'b' }], observedAt: true }],
    })
    expect(k('NO2')).toMatch(/^[0-9a-f]{8}$/)
  })

  it('keeps the type of language properties only, and leaves out what is left empty', () => {
    const name = 'https://example.org/name'
    const doc = searchDoc({
      [name]: [{ type: 'LanguageProperty', languageMap: { it: 'Piazza', en: 'Square' } }],
      'https://example.org/location': [{ type: 'GeoProperty', value: { type: 'Point', coordinates: [1, 2] } }],
      'https://example.org/count': [
        { type: 'Property', value: 4, observedAt: T },
        { type: 'Property', value: 5 },
      ],
    })
    expect(doc).toEqual({
      [searchKey(name)]: [{ type: 'LanguageProperty', languageMap: { it: 'Piazza', en: 'Square' } }],
      [searchKey('https://example.org/count')]: [{ observedAt: true }, { value: 5 }],
    })
  })

  it('does not change when a measurement brings a new reading, and changes when a string does', () => {
    const at = (value: unknown, observedAt: string, status = 'ok'): AttrMap => ({
      [NO2]: [{ type: 'Property', value, observedAt, modifiedAt: observedAt }],
      'https://example.org/status': [{ type: 'Property', value: status }],
    })
    const before = JSON.stringify(searchDoc(at(1, T)))
    expect(JSON.stringify(searchDoc(at(99.9, '2026-11-25T00:00:00Z')))).toBe(before)
    expect(JSON.stringify(searchDoc(at(1, T, 'broken')))).not.toBe(before)
  })
})
