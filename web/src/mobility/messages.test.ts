import { describe, expect, it } from 'vitest'
import { dictionaries } from '../i18n'
import { mobDictionaries, mobTranslate } from './messages'

describe('mobility messages', () => {
  it('has the same keys in both languages, none empty, none shadowing the app’s', () => {
    expect(Object.keys(mobDictionaries.en).sort()).toEqual(Object.keys(mobDictionaries.it).sort())
    for (const v of Object.values(mobDictionaries.en)) expect(v.length).toBeGreaterThan(0)
    for (const k of Object.keys(mobDictionaries.it)) expect(k in dictionaries.it).toBe(false)
  })
  it('states the k-threshold', () => {
    expect(mobTranslate('it', 'mob.kNote', { k: 30 })).toContain('i valori inferiori a k = 30 sono oscurati')
    expect(mobTranslate('en', 'mob.legendSuppressed', { k: 10 })).toBe('< 10 (hidden)')
  })
})
