import { describe, expect, it } from 'vitest'
import type { StoredEntity } from '../model.js'
import { DEFAULT_VOCAB as V, fakeContext } from './fake-context.js'
import { formatEntity } from './format-entity.js'
import { parseLangParam, pickLanguage } from './lang.js'

describe('parseLangParam', () => {
  it('orders ranges by quality, then by position, and drops q=0', () => {
    expect(parseLangParam('fr-CH,fr;q=0.9,en;q=0.8,*;q=0.5')).toEqual([
      { tag: 'fr-ch', q: 1 },
      { tag: 'fr', q: 0.9 },
      { tag: 'en', q: 0.8 },
      { tag: '*', q: 0.5 },
    ])
    expect(parseLangParam('en;q=0.2, it ,de;q=0')).toEqual([
      { tag: 'it', q: 1 },
      { tag: 'en', q: 0.2 },
    ])
  })

  it('rejects malformed tags and quality values', () => {
    expect(() => parseLangParam('it IT')).toThrow('lang: "it IT" is not a language tag')
    expect(() => parseLangParam('it;q=2')).toThrow('lang: "q=2" is not a quality value')
    expect(() => parseLangParam('@none')).toThrow('is not a language tag')
  })
})

describe('pickLanguage (clause 4.15)', () => {
  const map = { fr: 'Grand Place', nl: 'Grote Markt', 'en-GB': 'Grand Square' }
  const pick = (lang: string, m: Record<string, string | string[]> = map) => pickLanguage(m, parseLangParam(lang))

  it('picks the exact language, case-insensitively', () => {
    expect(pick('nl')).toEqual({ lang: 'nl', value: 'Grote Markt' })
    expect(pick('NL')).toEqual({ lang: 'nl', value: 'Grote Markt' })
  })

  it('falls back from a specific tag to its language (lookup) and from a language to a specific tag', () => {
    expect(pick('fr-CH')).toEqual({ lang: 'fr', value: 'Grand Place' })
    expect(pick('en')).toEqual({ lang: 'en-GB', value: 'Grand Square' })
  })

  it('honours quality values', () => {
    expect(pick('de,nl;q=0.5,fr;q=0.8')).toEqual({ lang: 'fr', value: 'Grand Place' })
  })

  it('"*" and no match return any language: @none if present, else the first one', () => {
    expect(pick('*')).toEqual({ lang: 'fr', value: 'Grand Place' })
    expect(pick('de')).toEqual({ lang: 'fr', value: 'Grand Place' })
    expect(pick('de', { it: 'Piazza', '@none': 'Platz' })).toEqual({ lang: '@none', value: 'Platz' })
  })

  it('returns arrays of strings as they are', () => {
    expect(pick('it', { it: ['uno', 'due'] })).toEqual({ lang: 'it', value: ['uno', 'due'] })
  })
})

describe('formatEntity with lang', () => {
  const ctx = fakeContext()
  const street = { type: 'LanguageProperty' as const, languageMap: { fr: 'Grand Place', nl: 'Grote Markt' } }
  const entity: StoredEntity = {
    id: 'urn:ngsi-ld:Building:1',
    types: [`${V}Building`],
    attrs: {
      [`${V}street`]: [{ ...street, observedAt: '2024-01-01T00:00:00.000Z' }],
      [`${V}sign`]: [
        {
          type: 'Property',
          value: 1,
          [`${V}caption`]: { type: 'LanguageProperty', languageMap: { it: 'Cartello', en: 'Sign' } },
        },
      ],
      [`${V}plain`]: [{ type: 'Property', value: 'unchanged' }],
    },
    createdAt: '2024-01-01T00:00:00.000Z',
    modifiedAt: '2024-01-01T00:00:00.000Z',
  }

  it('normalized: LanguageProperties become Properties with "value" and "lang", at any depth', () => {
    expect(formatEntity(entity, ctx, { format: 'normalized', lang: 'nl' })).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      street: { type: 'Property', value: 'Grote Markt', lang: 'nl', observedAt: '2024-01-01T00:00:00.000Z' },
      sign: { type: 'Property', value: 1, caption: { type: 'Property', value: 'Cartello', lang: 'it' } },
      plain: { type: 'Property', value: 'unchanged' },
    })
  })

  it('normalized with "*" (the ETSI test suite expects the first language)', () => {
    const out = formatEntity(entity, ctx, { format: 'normalized', lang: '*', attrs: [`${V}street`] })
    expect(out.street).toEqual({
      type: 'Property',
      value: 'Grand Place',
      lang: 'fr',
      observedAt: '2024-01-01T00:00:00.000Z',
    })
  })

  it('keyValues: the string in the chosen language', () => {
    expect(formatEntity(entity, ctx, { format: 'keyValues', lang: 'fr-CH,fr;q=0.9,en;q=0.8,*;q=0.5' })).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      street: 'Grand Place',
      sign: 1,
      plain: 'unchanged',
    })
  })

  it('concise: { value, lang }', () => {
    const out = formatEntity(entity, ctx, { format: 'concise', lang: 'en' })
    expect(out.street).toEqual({ value: 'Grand Place', lang: 'fr', observedAt: '2024-01-01T00:00:00.000Z' })
    expect(out.sign).toEqual({ value: 1, caption: { value: 'Sign', lang: 'en' } })
  })
})
