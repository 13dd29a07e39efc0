import { describe, expect, it } from 'vitest'
import type { StoredEntity } from '../model.js'
import { NGSI_LD_NULL as NULL } from './constants.js'
import { DEFAULT_VOCAB as V, fakeContext } from './fake-context.js'
import { parseAttributeFragment, parseAttributeInstance, parseFragment } from './parse-entity.js'

const NOW = '2024-05-01T10:00:00.000Z'
const TS = { createdAt: NOW, modifiedAt: NOW }
const ctx = fakeContext()
const frag = (body: unknown, mode: 'create' | 'update' | 'merge', extra: object = {}) =>
  parseFragment(body, ctx, { now: NOW, mode, ...extra })

const existing: StoredEntity = {
  id: 'urn:ngsi-ld:T:1',
  types: [`${V}T`],
  attrs: {
    [`${V}owner`]: [{ type: 'Relationship', object: 'urn:ngsi-ld:Person:1' }],
    [`${V}street`]: [{ type: 'LanguageProperty', languageMap: { it: 'Via Roma', en: 'Rome Street' } }],
    [`${V}category`]: [{ type: 'VocabProperty', vocab: `${V}office` }],
    [`${V}area`]: [{ type: 'Property', value: 1, [`${V}unitText`]: { type: 'Property', value: 'm2' } }],
    [`${V}route`]: [{ type: 'ListRelationship', objectList: ['urn:a:1'] }],
  },
  createdAt: NOW,
  modifiedAt: NOW,
}

describe('parseFragment', () => {
  it('returns attributes, added types and scopes; an id must be the target id', () => {
    expect(
      frag({ id: 'urn:ngsi-ld:T:1', type: 'U', scope: '/x', a: 1 }, 'create', { entityId: 'urn:ngsi-ld:T:1' }),
    ).toEqual({
      attrs: { [`${V}a`]: [{ type: 'Property', value: 1, ...TS }] },
      types: [`${V}U`],
      scopes: ['/x'],
    })
    expect(() => frag({ id: 'urn:ngsi-ld:T:2', a: 1 }, 'create', { entityId: 'urn:ngsi-ld:T:1' })).toThrow(
      'id: the id in the payload (urn:ngsi-ld:T:2) is not the id of the target entity (urn:ngsi-ld:T:1)',
    )
  })

  it('update: NGSI-LD Null deletes attributes (every encoding) and sub-attributes are simply left out', () => {
    const out = frag(
      {
        a: NULL,
        b: { type: 'Property', value: NULL },
        r: { type: 'Relationship', object: NULL },
        l: { type: 'LanguageProperty', languageMap: { '@none': NULL } },
        vl: { type: 'ListProperty', valueList: [NULL] },
        c: { value: 2, unitText: NULL },
      },
      'update',
    )
    expect(out.attrs).toEqual({
      [`${V}a`]: [{ type: 'Property', value: NULL, ...TS }],
      [`${V}b`]: [{ type: 'Property', value: NULL, ...TS }],
      [`${V}r`]: [{ type: 'Relationship', object: NULL, ...TS }],
      [`${V}l`]: [{ type: 'LanguageProperty', languageMap: { '@none': NULL }, ...TS }],
      [`${V}vl`]: [{ type: 'ListProperty', valueList: [NULL], ...TS }],
      [`${V}c`]: [{ type: 'Property', value: 2, ...TS }],
    })
  })

  it('update: NGSI-LD Null inside a value or on a member is rejected (merge only)', () => {
    expect(() => frag({ a: { value: { x: NULL } } }, 'update')).toThrow(
      'a.value: "urn:ngsi-ld:null" is not allowed inside a value',
    )
    expect(() => frag({ a: { value: 1, unitCode: NULL } }, 'update')).toThrow(
      'a.unitCode: "urn:ngsi-ld:null" is not allowed',
    )
  })

  it('merge: keeps NGSI-LD Nulls anywhere as deletion markers', () => {
    const out = frag({ a: { value: { x: NULL, y: 1 }, unitCode: NULL, s: NULL } }, 'merge')
    expect(out.attrs[`${V}a`]).toEqual([
      {
        type: 'Property',
        value: { x: NULL, y: 1 },
        unitCode: NULL,
        [`${V}s`]: { type: 'Property', value: NULL, ...TS },
        ...TS,
      },
    ])
  })

  it('merge: simplified values keep the type of existing attributes (clause 5.6.17)', () => {
    const out = frag(
      {
        owner: 'urn:ngsi-ld:Person:2',
        street: 'Via Nuova',
        category: 'retail',
        route: ['urn:a:2', 'urn:a:3'],
        area: { unitText: { value: 'sqm' } },
      },
      'merge',
      { existing, lang: 'it' },
    )
    expect(out.attrs).toEqual({
      [`${V}owner`]: [{ type: 'Relationship', object: 'urn:ngsi-ld:Person:2', ...TS }],
      [`${V}street`]: [{ type: 'LanguageProperty', languageMap: { it: 'Via Nuova' }, ...TS }],
      [`${V}category`]: [{ type: 'VocabProperty', vocab: `${V}retail`, ...TS }],
      [`${V}route`]: [{ type: 'ListRelationship', objectList: ['urn:a:2', 'urn:a:3'], ...TS }],
      [`${V}area`]: [{ type: 'Property', [`${V}unitText`]: { type: 'Property', value: 'sqm', ...TS }, ...TS }],
    })
    const noLang = frag({ street: 'Via Nuova', owner: 'not a uri' }, 'merge', {
      existing: { ...existing, attrs: { [`${V}street`]: existing.attrs[`${V}street`]! } },
    })
    expect(noLang.attrs[`${V}street`]).toEqual([
      { type: 'LanguageProperty', languageMap: { '@none': 'Via Nuova' }, ...TS },
    ])
  })

  it('merge: an object of plain values is a new value, an object of sub-attributes patches them', () => {
    expect(frag({ area: { unitText: 'sqm' } }, 'merge', { existing }).attrs[`${V}area`]).toEqual([
      { type: 'Property', value: { unitText: 'sqm' }, ...TS },
    ])
    expect(frag({ area: { unitText: { value: 'sqm' } } }, 'merge').attrs[`${V}area`]).toEqual([
      { type: 'Property', value: { unitText: { value: 'sqm' } }, ...TS },
    ])
  })

  it('merge: a simplified value for an existing Relationship must still be a URI', () => {
    expect(() => frag({ owner: 'not a uri' }, 'merge', { existing })).toThrow(
      'owner: a Relationship object must be a URI',
    )
  })

  it('merge: a fragment without value needs an existing attribute', () => {
    expect(() => frag({ newAttr: { unitCode: 'CEL' } }, 'merge', { existing })).toThrow('newAttr: has no value')
  })
})

describe('parseAttributeFragment (partial attribute update)', () => {
  const opts = { now: NOW, attrIri: `${V}owner`, attrName: 'owner' }

  it('may omit type and value; keeps Nulls of sub-attributes and members', () => {
    expect(
      parseAttributeFragment({ observedAt: '2024-01-01T00:00:00Z', unitCode: NULL, since: NULL }, ctx, opts),
    ).toEqual({
      observedAt: '2024-01-01T00:00:00.000Z',
      unitCode: NULL,
      [`${V}since`]: { type: 'Property', value: NULL, ...TS },
      ...TS,
    })
  })

  it('takes the existing type for a simplified value', () => {
    const prev = existing.attrs[`${V}owner`]![0]!
    expect(parseAttributeFragment({ value: 'urn:ngsi-ld:Person:3' }, ctx, { ...opts, existing: prev })).toEqual({
      type: 'Relationship',
      object: 'urn:ngsi-ld:Person:3',
      ...TS,
    })
  })

  it('cannot delete the attribute itself, nor be an array', () => {
    expect(() => parseAttributeFragment({ value: NULL }, ctx, opts)).toThrow(
      'owner.value: "urn:ngsi-ld:null" cannot delete the attribute in a partial attribute update',
    )
    expect(() => parseAttributeFragment([{ value: 1 }], ctx, opts)).toThrow(
      'owner: the payload must be one attribute instance',
    )
  })
})

describe('parseAttributeInstance (replace attribute)', () => {
  it('parses one complete instance, concise or normalized', () => {
    const opts = { now: NOW, attrIri: `${V}temperature`, attrName: 'temperature' }
    expect(parseAttributeInstance(20, ctx, opts)).toEqual({ type: 'Property', value: 20, ...TS })
    expect(parseAttributeInstance({ type: 'Property', value: 20, datasetId: 'urn:d:1' }, ctx, opts)).toEqual({
      type: 'Property',
      value: 20,
      datasetId: 'urn:d:1',
      ...TS,
    })
    expect(() => parseAttributeInstance({ type: 'Property' }, ctx, opts)).toThrow('temperature: has no value')
  })
})
