import { describe, expect, it } from 'vitest'
import { AppError } from '../../../errors.js'
import type { AttrInstance, StoredEntity } from '../model.js'
import { NGSI_LD_NULL as NULL } from './constants.js'
import { DEFAULT_VOCAB as V, fakeContext } from './fake-context.js'
import { appendAttrs, deleteAttr, partialAttrUpdate, replaceAttr, updateAttrs } from './merge-attrs.js'
import { parseAttributeFragment } from './parse-entity.js'

const C0 = '2024-01-01T00:00:00.000Z'
const NOW = '2024-05-01T10:00:00.000Z'
const OLD = { createdAt: C0, modifiedAt: C0 }
const NEW = { createdAt: NOW, modifiedAt: NOW }
const TEMP = `${V}temperature`
const SPEED = `${V}speed`
const OWNER = `${V}owner`
const HUM = `${V}humidity`

const temperature: AttrInstance = {
  type: 'Property',
  value: 25,
  unitCode: 'CEL',
  observedAt: '2022-03-14T01:59:26.535Z',
  [`${V}accuracy`]: { type: 'Property', value: 0.5, ...OLD },
  [`${V}sensor`]: { type: 'Relationship', object: 'urn:ngsi-ld:Device:1', ...OLD },
  ...OLD,
}
const gps: AttrInstance = { type: 'Property', value: 55, datasetId: 'urn:d:gps', ...OLD }
const speedDefault: AttrInstance = { type: 'Property', value: 54, ...OLD }
const owner: AttrInstance = { type: 'Relationship', object: 'urn:ngsi-ld:Person:1', ...OLD }
const current: StoredEntity = {
  id: 'urn:ngsi-ld:T:1',
  types: [`${V}T`],
  scopes: ['/a'],
  attrs: { [TEMP]: [temperature], [SPEED]: [gps, speedDefault], [OWNER]: [owner] },
  ...OLD,
}

function appError(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    if (e instanceof AppError) return e
  }
  throw new Error('expected an AppError')
}

describe('appendAttrs (5.6.3)', () => {
  const incoming = {
    attrs: {
      [HUM]: [{ type: 'Property' as const, value: 40, ...NEW }],
      [SPEED]: [
        { type: 'Property' as const, value: 60, ...NEW },
        { type: 'Property' as const, value: 61, datasetId: 'urn:d:radar', ...NEW },
      ],
    },
    types: [`${V}U`],
    scopes: ['/b'],
  }

  it('appends new attributes and instances, overwrites existing ones keeping createdAt, adds types, replaces scopes', () => {
    const r = appendAttrs(current, incoming, { now: NOW })
    const speed60 = { type: 'Property', value: 60, createdAt: C0, modifiedAt: NOW }
    const radar = { type: 'Property', value: 61, datasetId: 'urn:d:radar', ...NEW }
    expect(r.entity).toEqual({
      id: 'urn:ngsi-ld:T:1',
      types: [`${V}T`, `${V}U`],
      scopes: ['/b'],
      attrs: {
        [TEMP]: [temperature],
        [SPEED]: [gps, speed60, radar],
        [OWNER]: [owner],
        [HUM]: [{ type: 'Property', value: 40, ...NEW }],
      },
      createdAt: C0,
      modifiedAt: NOW,
    })
    expect(r.attrs).toBe(r.entity.attrs)
    expect(r.updated).toEqual([HUM, SPEED])
    expect(r.notUpdated).toEqual([])
    expect(r.modified).toBe(true)
    expect(r.changes).toEqual([
      { attr: HUM, kind: 'created', current: { type: 'Property', value: 40, ...NEW } },
      { attr: SPEED, kind: 'updated', previous: speedDefault, current: speed60 },
      { attr: SPEED, datasetId: 'urn:d:radar', kind: 'created', current: radar },
    ])
    expect(current.attrs[SPEED]).toEqual([gps, speedDefault]) // inputs untouched
  })

  it('with noOverwrite leaves existing instances alone, reports them, and merges scopes', () => {
    const r = appendAttrs(current, incoming, { now: NOW, noOverwrite: true })
    expect(r.entity.attrs[SPEED]).toEqual([
      gps,
      speedDefault,
      { type: 'Property', value: 61, datasetId: 'urn:d:radar', ...NEW },
    ])
    expect(r.entity.attrs[HUM]).toEqual([{ type: 'Property', value: 40, ...NEW }])
    expect(r.entity.scopes).toEqual(['/a', '/b'])
    expect(r.updated).toEqual([HUM, SPEED])
    expect(r.notUpdated).toEqual([{ attr: SPEED, reason: `${SPEED} already exists and noOverwrite was requested` }])
  })

  it('reports an unchanged entity when nothing could be appended', () => {
    const r = appendAttrs(current, { attrs: { [OWNER]: [{ ...owner, ...NEW }] } }, { now: NOW, noOverwrite: true })
    expect(r.modified).toBe(false)
    expect(r.entity).toEqual(current)
    expect(r.changes).toEqual([])
    expect(r.notUpdated).toHaveLength(1)
  })
})

describe('updateAttrs (5.6.2)', () => {
  it('replaces existing instances whole (5.5.8 example 2), deletes with Null, reports the others', () => {
    const newTemp = { type: 'Property' as const, value: 100, observedAt: '2022-03-14T13:00:00.000Z', ...NEW }
    const r = updateAttrs(
      current,
      {
        attrs: {
          [TEMP]: [newTemp],
          [HUM]: [{ type: 'Property', value: 1, ...NEW }],
          [SPEED]: [{ type: 'Property', value: 1, datasetId: 'urn:d:radar', ...NEW }],
          [OWNER]: [{ type: 'Relationship', object: NULL, ...NEW }],
        },
        types: [`${V}U`],
        scopes: ['/c'],
      },
      { now: NOW },
    )
    expect(r.entity.attrs).toEqual({ [TEMP]: [{ ...newTemp, createdAt: C0 }], [SPEED]: [gps, speedDefault] })
    expect(r.entity.types).toEqual([`${V}T`, `${V}U`])
    expect(r.entity.scopes).toEqual(['/c'])
    expect(r.updated).toEqual([TEMP, OWNER])
    expect(r.notUpdated).toEqual([
      { attr: HUM, reason: 'the attribute does not exist' },
      { attr: SPEED, datasetId: 'urn:d:radar', reason: 'the attribute has no instance with datasetId urn:d:radar' },
    ])
    expect(r.changes.map((c) => [c.attr, c.kind])).toEqual([
      [TEMP, 'updated'],
      [OWNER, 'deleted'],
    ])
  })

  it('ignores scopes when the entity has none', () => {
    const { scopes: _s, ...noScopes } = current
    const r = updateAttrs(noScopes, { attrs: {}, scopes: ['/c'] }, { now: NOW })
    expect(r.entity.scopes).toBeUndefined()
    expect(r.modified).toBe(false)
  })
})

describe('partialAttrUpdate (5.6.4)', () => {
  const ctx = fakeContext()
  const fragment = (body: unknown, existing?: AttrInstance) =>
    parseAttributeFragment(body, ctx, { now: NOW, attrIri: TEMP, attrName: 'temperature', existing })

  it('overwrites the given members only (5.5.8 example 1)', () => {
    const f = fragment({ type: 'Property', value: 100, observedAt: '2022-03-14T13:00:00.000Z' })
    const r = partialAttrUpdate(current, TEMP, f, { now: NOW })
    expect(r.entity.attrs[TEMP]).toEqual([
      { ...temperature, value: 100, observedAt: '2022-03-14T13:00:00.000Z', modifiedAt: NOW },
    ])
    expect(r.changes).toEqual([
      { attr: TEMP, kind: 'updated', previous: temperature, current: r.entity.attrs[TEMP]![0] },
    ])
    expect(r.entity.modifiedAt).toBe(NOW)
  })

  it('deletes members and sub-attributes with Null, replaces or adds sub-attributes', () => {
    const f = fragment({ unitCode: NULL, sensor: NULL, accuracy: { value: 0.1 }, method: 'calibrated' })
    const r = partialAttrUpdate(current, TEMP, f, { now: NOW })
    expect(r.entity.attrs[TEMP]).toEqual([
      {
        type: 'Property',
        value: 25,
        observedAt: '2022-03-14T01:59:26.535Z',
        [`${V}accuracy`]: { type: 'Property', value: 0.1, createdAt: C0, modifiedAt: NOW },
        [`${V}method`]: { type: 'Property', value: 'calibrated', ...NEW },
        createdAt: C0,
        modifiedAt: NOW,
      },
    ])
  })

  it('targets the instance of the datasetId given in the options or the fragment ("@none" = default)', () => {
    const f = parseAttributeFragment({ value: 70 }, ctx, { now: NOW, attrIri: SPEED })
    expect(partialAttrUpdate(current, SPEED, f, { now: NOW, datasetId: 'urn:d:gps' }).entity.attrs[SPEED]).toEqual([
      { ...gps, value: 70, modifiedAt: NOW },
      speedDefault,
    ])
    expect(partialAttrUpdate(current, SPEED, f, { now: NOW, datasetId: '@none' }).entity.attrs[SPEED]).toEqual([
      gps,
      { ...speedDefault, value: 70, modifiedAt: NOW },
    ])
    const g = parseAttributeFragment({ value: 71, datasetId: 'urn:d:gps' }, ctx, { now: NOW, attrIri: SPEED })
    expect(partialAttrUpdate(current, SPEED, g, { now: NOW }).entity.attrs[SPEED]?.[0]?.value).toBe(71)
  })

  it('raises ResourceNotFound for a missing attribute or instance, BadRequestData for a type change', () => {
    const f = fragment({ value: 1 })
    expect(appError(() => partialAttrUpdate(current, HUM, f, { now: NOW })).code).toBe('ResourceNotFound')
    const e = appError(() => partialAttrUpdate(current, SPEED, f, { now: NOW, datasetId: 'urn:d:radar' }))
    expect([e.code, e.message]).toEqual([
      'ResourceNotFound',
      `The entity has no instance with datasetId urn:d:radar of attribute ${SPEED}`,
    ])
    const t = appError(() =>
      partialAttrUpdate(current, TEMP, fragment({ type: 'Relationship', object: 'urn:a:b' }), { now: NOW }),
    )
    expect([t.code, t.message]).toEqual([
      'BadRequestData',
      `${TEMP}: the type of an attribute cannot change (Property -> Relationship)`,
    ])
    const m = appError(() => partialAttrUpdate(current, OWNER, fragment({ value: 'x' }), { now: NOW }))
    expect(m.message).toBe(`${OWNER}: "value" does not fit a Relationship (expected "object")`)
  })
  it('validates a new geometry of a GeoProperty', () => {
    const AREA = `${V}area`
    const withArea: StoredEntity = {
      ...current,
      attrs: { [AREA]: [{ type: 'GeoProperty', value: { type: 'Point', coordinates: [1, 2] }, ...OLD }] },
    }
    const ok = parseAttributeFragment({ value: { type: 'Point', coordinates: [3, 4] } }, ctx, {
      now: NOW,
      attrIri: AREA,
    })
    expect(partialAttrUpdate(withArea, AREA, ok, { now: NOW }).entity.attrs[AREA]?.[0]?.value).toEqual({
      type: 'Point',
      coordinates: [3, 4],
    })
    const bad = parseAttributeFragment({ value: 'Lucca' }, ctx, { now: NOW, attrIri: AREA, attrName: 'area' })
    expect(appError(() => partialAttrUpdate(withArea, AREA, bad, { now: NOW })).message).toBe(
      `${AREA}.value: a GeoProperty value must be a GeoJSON geometry (or a string holding one)`,
    )
    const LOC = 'https://uri.etsi.org/ngsi-ld/location'
    expect(() =>
      parseAttributeFragment({ value: 'Lucca' }, ctx, { now: NOW, attrIri: LOC, attrName: 'location' }),
    ).toThrow('location.value: a GeoProperty value must be a GeoJSON geometry')
  })
})

describe('replaceAttr (5.6.19)', () => {
  it('replaces the instance with the same datasetId, keeping createdAt', () => {
    const r = replaceAttr(current, SPEED, { type: 'Property', value: 80, datasetId: 'urn:d:gps', ...NEW }, { now: NOW })
    expect(r.entity.attrs[SPEED]).toEqual([
      { type: 'Property', value: 80, datasetId: 'urn:d:gps', createdAt: C0, modifiedAt: NOW },
      speedDefault,
    ])
    const t = replaceAttr(current, TEMP, { type: 'Property', value: 1, ...NEW }, { now: NOW })
    expect(t.entity.attrs[TEMP]).toEqual([{ type: 'Property', value: 1, createdAt: C0, modifiedAt: NOW }])
  })

  it('raises ResourceNotFound when there is no such instance', () => {
    const e = appError(() => replaceAttr(current, OWNER, { ...owner, datasetId: 'urn:d:x' }, { now: NOW }))
    expect(e.code).toBe('ResourceNotFound')
    expect(appError(() => replaceAttr(current, HUM, owner, { now: NOW })).code).toBe('ResourceNotFound')
  })
})

describe('deleteAttr (5.6.5)', () => {
  it('deletes the default instance, a datasetId ("@none" = default), or all instances', () => {
    expect(deleteAttr(current, SPEED, { now: NOW }).entity.attrs[SPEED]).toEqual([gps])
    expect(deleteAttr(current, SPEED, { now: NOW, datasetId: '@none' }).entity.attrs[SPEED]).toEqual([gps])
    expect(deleteAttr(current, SPEED, { now: NOW, datasetId: 'urn:d:gps' }).entity.attrs[SPEED]).toEqual([speedDefault])
    const all = deleteAttr(current, SPEED, { now: NOW, deleteAll: true })
    expect(SPEED in all.entity.attrs).toBe(false)
    expect(all.changes).toEqual([
      { attr: SPEED, datasetId: 'urn:d:gps', kind: 'deleted', previous: gps },
      { attr: SPEED, kind: 'deleted', previous: speedDefault },
    ])
    expect(all.updated).toEqual([SPEED])
    expect(all.entity.modifiedAt).toBe(NOW)
  })

  it('removes the attribute with its last instance', () => {
    expect(OWNER in deleteAttr(current, OWNER, { now: NOW }).entity.attrs).toBe(false)
  })

  it('raises ResourceNotFound when nothing matches', () => {
    expect(appError(() => deleteAttr(current, HUM, { now: NOW })).code).toBe('ResourceNotFound')
    expect(appError(() => deleteAttr(current, HUM, { now: NOW, deleteAll: true })).code).toBe('ResourceNotFound')
    expect(appError(() => deleteAttr(current, OWNER, { now: NOW, datasetId: 'urn:d:gps' })).code).toBe(
      'ResourceNotFound',
    )
  })
})

describe('appendAttrs with keepNewer (the device gateway)', () => {
  const at = (observedAt: string, value: number) => ({
    attrs: { [TEMP]: [{ type: 'Property' as const, value, observedAt, ...NEW }] },
    types: [],
  })
  const base: StoredEntity = { ...current, scopes: [] }

  it('keeps a newer stored observation and reports the late one as a history-only change', () => {
    const r = appendAttrs(base, at('2022-03-14T00:00:00.000Z', 10), { now: NOW, keepNewer: true })
    expect(r.modified).toBe(false)
    expect(r.entity.attrs[TEMP]![0]!.value).toBe(25)
    expect(r.changes).toHaveLength(1)
    expect(r.changes[0]).toMatchObject({ attr: TEMP, kind: 'updated', late: true, previous: { value: 25 } })
    expect(r.changes[0]!.current).toMatchObject({ value: 10, observedAt: '2022-03-14T00:00:00.000Z' })
  })

  it('replaces it with a newer observation, and without keepNewer whatever the times', () => {
    const newer = appendAttrs(base, at('2022-03-15T00:00:00.000Z', 30), { now: NOW, keepNewer: true })
    expect(newer.modified).toBe(true)
    expect(newer.entity.attrs[TEMP]![0]!.value).toBe(30)
    expect(newer.changes[0]!.late).toBeUndefined()
    const plain = appendAttrs(base, at('2022-03-14T00:00:00.000Z', 10), { now: NOW })
    expect(plain.entity.attrs[TEMP]![0]!.value).toBe(10)
  })
})
