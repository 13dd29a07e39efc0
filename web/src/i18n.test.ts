import { describe, expect, it } from 'vitest'
import { dictionaries, makeI18n, pick, translate } from './i18n'

describe('i18n', () => {
  it('translates with variables, Italian by default and English by switch', () => {
    expect(translate('it', 'now.airIndex', { n: 2 })).toBe('Indice 2 su 6')
    expect(translate('en', 'now.airIndex', { n: 2 })).toBe('Index 2 of 6')
    let lang: 'it' | 'en' = 'it'
    const i = makeI18n(lang, (l) => {
      lang = l
    })
    expect(i.t('city.now')).toBe('La città ora')
    i.setLang('en')
    expect(makeI18n(lang, () => {}).t('city.now')).toBe('The city now')
  })
  it('leaves unknown variables in place', () => {
    expect(translate('en', 'common.error')).toBe('Error: {msg}')
  })
  it('has the same keys in both dictionaries', () => {
    expect(Object.keys(dictionaries.en).sort()).toEqual(Object.keys(dictionaries.it).sort())
    for (const v of Object.values(dictionaries.en)) expect(v.length).toBeGreaterThan(0)
  })
  it('picks a localized label', () => {
    expect(pick({ it: 'Meteo', en: 'Weather' }, 'en')).toBe('Weather')
    expect(pick('plain', 'en')).toBe('plain')
  })
})
