import { describe, expect, it } from 'vitest'
import { AppError } from '../../../errors.js'
import type { AttrInstance, StoredEntity } from '../model.js'
import { NGSI_LD_NULL as NULL } from './constants.js'
import { DEFAULT_VOCAB as V, fakeContext } from './fake-context.js'
import { mergeEntity, replaceEntity, upsertEntity } from './merge-entity.js'
import { parseEntity, parseFragment } from './parse-entity.js'

const C0 = '2024-01-01T00:00:00.000Z'
const NOW = '2024-05-01T10:00:00.000Z'
const OLD = { createdAt: C0, modifiedAt: C0 }
const NEW = { createdAt: NOW, modifiedAt: NOW }
const ctx = fakeContext()
const TEMP = `${V}temperature`
const ADDRESS = `${V}address`
const SPEED = `${V}speed`
const OWNER = `${V}owner`
const NAME = `${V}name`

const temperature: AttrInstance = {
  type: 'Property',
  value: 25,
  unitCode: 'CEL',
  observedAt: '2022-03-14T01:59:26.535Z',
  [`${V}accuracy`]: { type: 'Property', value: 0.5, ...OLD },
  ...OLD,
}
const address: AttrInstance = {
  type: 'Property',
  value: { street: 'Straße des 17. Juni', city: 'Berlin', country: 'Germany' },
  ...OLD,
}
const gps: AttrInstance = { type: 'Property', value: 55, datasetId: 'urn:d:gps', ...OLD }
const owner: AttrInstance = { type: 'Relationship', object: 'urn:ngsi-ld:Person:1', ...OLD }
const name: AttrInstance = { type: 'LanguageProperty', languageMap: { it: 'Torre', en: 'Tower' }, ...OLD }
const current: StoredEntity = {
  id: 'urn:ngsi-ld:T:1',
  types: [`${V}T`],
  scopes: ['/a'],
  attrs: { [TEMP]: [temperature], [ADDRESS]: [address], [SPEED]: [gps], [OWNER]: [owner], [NAME]: [name] },
  ...OLD,
}
const merge = (body: unknown, opts: { lang?: string; observedAt?: string; noOverwrite?: boolean } = {}) =>
  mergeEntity(current, parseFragment(body, ctx, { now: NOW, mode: 'merge', existing: current, lang: opts.lang }), {
    now: NOW,
    ...(opts.observedAt ? { observedAt: opts.observedAt } : {}),
    ...(opts.noOverwrite ? { noOverwrite: true } : {}),
  })

describe('mergeEntity (5.6.17, merge patch 5.5.12)', () => {
  it('merges members and keeps the others (5.5.12 example 1)', () => {
    const r = merge({ temperature: { type: 'Property', value: 100, observedAt: '2022-03-14T13:00:00.000Z' } })
    expect(r.entity.attrs[TEMP]).toEqual([
      { ...temperature, value: 100, observedAt: '2022-03-14T13:00:00.000Z', createdAt: C0, modifiedAt: NOW },
    ])
    expect(r.updated).toEqual([TEMP])
    expect(r.changes).toEqual([
      { attr: TEMP, kind: 'updated', previous: temperature, current: r.entity.attrs[TEMP]![0] },
    ])
  })

  it('merges JSON object values in depth, Null removing a key (5.5.12 example 2)', () => {
    const r = merge({ address: { type: 'Property', value: { street: 'Pariser Platz', country: NULL } } })
    expect(r.entity.attrs[ADDRESS]).toEqual([
      { type: 'Property', value: { street: 'Pariser Platz', city: 'Berlin' }, createdAt: C0, modifiedAt: NOW },
    ])
  })

  it('deletes attributes, sub-attributes and members with Null; ignores Null for what does not exist', () => {
    const r = merge({ owner: NULL, temperature: { unitCode: NULL, accuracy: NULL }, ghost: NULL })
    expect(r.entity.attrs[OWNER]).toBeUndefined()
    expect(r.entity.attrs[TEMP]).toEqual([
      { type: 'Property', value: 25, observedAt: '2022-03-14T01:59:26.535Z', createdAt: C0, modifiedAt: NOW },
    ])
    expect(r.updated).toEqual([OWNER, TEMP])
    expect(r.notUpdated).toEqual([])
    expect(r.changes.map((c) => [c.attr, c.kind])).toEqual([
      [OWNER, 'deleted'],
      [TEMP, 'updated'],
    ])
  })

  it('merges sub-attributes recursively, keeping their createdAt, and appends new attributes and instances', () => {
    const r = merge({
      temperature: { accuracy: { value: 0.2 }, calibrated: { value: true } },
      humidity: { value: 40, unitCode: 'P1' },
      speed: { value: 60, datasetId: 'urn:d:radar' },
    })
    expect(r.entity.attrs[TEMP]).toEqual([
      {
        ...temperature,
        [`${V}accuracy`]: { type: 'Property', value: 0.2, createdAt: C0, modifiedAt: NOW },
        [`${V}calibrated`]: { type: 'Property', value: true, ...NEW },
        modifiedAt: NOW,
      },
    ])
    expect(r.entity.attrs[`${V}humidity`]).toEqual([{ type: 'Property', value: 40, unitCode: 'P1', ...NEW }])
    expect(r.entity.attrs[SPEED]).toEqual([gps, { type: 'Property', value: 60, datasetId: 'urn:d:radar', ...NEW }])
  })

  it('keeps the type of existing attributes for simplified values (with the common language tag)', () => {
    const r = merge({ owner: 'urn:ngsi-ld:Person:2', name: 'Torretta' }, { lang: 'it' })
    expect(r.entity.attrs[OWNER]).toEqual([
      { type: 'Relationship', object: 'urn:ngsi-ld:Person:2', createdAt: C0, modifiedAt: NOW },
    ])
    expect(r.entity.attrs[NAME]).toEqual([
      { type: 'LanguageProperty', languageMap: { it: 'Torretta', en: 'Tower' }, createdAt: C0, modifiedAt: NOW },
    ])
  })

  it('applies the common observedAt to merged attributes that had one', () => {
    const r = merge(
      { temperature: 30, speed: { value: 1, datasetId: 'urn:d:gps' } },
      { observedAt: '2024-05-01T09:00:00.000Z' },
    )
    expect(r.entity.attrs[TEMP]?.[0]?.observedAt).toBe('2024-05-01T09:00:00.000Z')
    expect(r.entity.attrs[SPEED]?.[0]?.observedAt).toBeUndefined()
  })

  it('with noOverwrite leaves existing instances untouched', () => {
    const r = merge({ temperature: 30, humidity: 1 }, { noOverwrite: true })
    expect(r.entity.attrs[TEMP]).toEqual([temperature])
    expect(r.notUpdated).toEqual([{ attr: TEMP, reason: 'the attribute already exists and noOverwrite was requested' }])
    expect(r.updated).toEqual([`${V}humidity`])
  })

  it('adds types and replaces scopes', () => {
    const r = merge({ type: ['T', 'U'], scope: '/b' })
    expect(r.entity.types).toEqual([`${V}T`, `${V}U`])
    expect(r.entity.scopes).toEqual(['/b'])
    expect(r.modified).toBe(true)
    expect(r.changes).toEqual([])
  })
})

describe('replaceEntity (5.6.18)', () => {
  it('keeps id and createdAt and replaces everything else', () => {
    const incoming = parseEntity({ id: 'urn:ngsi-ld:T:1', type: 'U', temperature: 30, color: 'red' }, ctx, { now: NOW })
    const r = replaceEntity(current, incoming, { now: NOW })
    expect(r.entity).toEqual({
      id: 'urn:ngsi-ld:T:1',
      types: [`${V}U`],
      attrs: {
        [TEMP]: [{ type: 'Property', value: 30, ...NEW }],
        [`${V}color`]: [{ type: 'Property', value: 'red', ...NEW }],
      },
      createdAt: C0,
      modifiedAt: NOW,
    })
    expect(r.changes.map((c) => [c.attr, c.kind])).toEqual([
      [ADDRESS, 'deleted'],
      [SPEED, 'deleted'],
      [OWNER, 'deleted'],
      [NAME, 'deleted'],
      [TEMP, 'updated'],
      [`${V}color`, 'created'],
    ])
    expect(r.updated).toEqual([ADDRESS, SPEED, OWNER, NAME, TEMP, `${V}color`])
  })

  it('needs a type', () => {
    expect(() => replaceEntity(current, { attrs: {} }, { now: NOW })).toThrow(AppError)
  })
})

describe('upsertEntity (5.6.8)', () => {
  const incoming = parseEntity({ id: 'urn:ngsi-ld:T:1', type: 'U', temperature: 30, scope: '/z' }, ctx, { now: NOW })

  it('creates the entity when it does not exist', () => {
    const r = upsertEntity(undefined, incoming, { mode: 'replace', now: NOW })
    expect(r.created).toBe(true)
    expect(r.entity).toEqual({
      id: 'urn:ngsi-ld:T:1',
      types: [`${V}U`],
      scopes: ['/z'],
      attrs: { [TEMP]: [{ type: 'Property', value: 30, ...NEW }] },
      ...NEW,
    })
    expect(r.changes).toEqual([{ attr: TEMP, kind: 'created', current: { type: 'Property', value: 30, ...NEW } }])
  })

  it('replaces an existing entity in replace mode', () => {
    const r = upsertEntity(current, incoming, { mode: 'replace', now: NOW })
    expect(r.created).toBe(false)
    expect(Object.keys(r.entity.attrs)).toEqual([TEMP])
    expect(r.entity.types).toEqual([`${V}U`])
    expect(r.entity.createdAt).toBe(C0)
  })

  it('appends and overwrites attributes in update mode', () => {
    const r = upsertEntity(current, incoming, { mode: 'update', now: NOW })
    expect(r.created).toBe(false)
    expect(r.entity.types).toEqual([`${V}T`, `${V}U`])
    expect(r.entity.scopes).toEqual(['/z'])
    expect(Object.keys(r.entity.attrs)).toEqual([TEMP, ADDRESS, SPEED, OWNER, NAME])
    expect(r.entity.attrs[TEMP]).toEqual([{ type: 'Property', value: 30, createdAt: C0, modifiedAt: NOW }])
  })
})
