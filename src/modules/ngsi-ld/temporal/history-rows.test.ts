import { describe, expect, it } from 'vitest'
import type { StoredEntity } from '../model.js'
import { changesToRows } from './history-rows.js'

const T0 = '2026-01-01T00:00:00.000Z'
const T1 = '2026-01-01T01:00:00.000Z'
const NOW = '2026-01-02T00:00:00.000Z'
const temp = (value: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'Property' as const,
  value,
  createdAt: T0,
  modifiedAt: T1,
  ...extra,
})
const entity = (attrs: StoredEntity['attrs'], types = ['urn:T']): StoredEntity => ({
  id: 'urn:e:1',
  types,
  attrs,
  createdAt: T0,
  modifiedAt: T1,
})

describe('history rows from entity changes', () => {
  it('records created instances with their observedAt, else the modification time, and the temporal entity', () => {
    const current = entity({
      a: [temp(5, { observedAt: '2025-12-31T23:00:00.000Z' })],
      b: [temp('x', { datasetId: 'd1' })],
    })
    const { rows, entities } = changesToRows(
      [
        {
          entityId: 'urn:e:1',
          kind: 'created',
          current,
          changes: [
            { attr: 'a', kind: 'created', current: current.attrs.a![0]! },
            { attr: 'b', kind: 'created', datasetId: 'd1', current: current.attrs.b![0]! },
          ],
        },
      ],
      NOW,
    )
    expect(rows).toEqual([
      {
        entityId: 'urn:e:1',
        attr: 'a',
        datasetId: '',
        time: '2025-12-31T23:00:00.000Z',
        createdAt: T0,
        modifiedAt: T1,
        deleted: false,
        num: 5,
        inst: { type: 'Property', value: 5, observedAt: '2025-12-31T23:00:00.000Z' },
      },
      {
        entityId: 'urn:e:1',
        attr: 'b',
        datasetId: 'd1',
        time: T1,
        createdAt: T0,
        modifiedAt: T1,
        deleted: false,
        num: null,
        inst: { type: 'Property', value: 'x' },
      },
    ])
    expect(entities).toEqual([{ id: 'urn:e:1', types: ['urn:T'], attrNames: ['a', 'b'], createdAt: T0 }])
  })

  it('records deletions with the NGSI-LD Null and deletedAt, and the names written', () => {
    const previous = entity({ a: [temp(1)], r: [{ type: 'Relationship', object: 'urn:x', createdAt: T0 }] })
    const current = entity({ a: [temp(2)], c: [temp(true)] }, ['urn:T', 'urn:U'])
    const { rows, entities } = changesToRows(
      [
        {
          entityId: 'urn:e:1',
          kind: 'updated',
          previous,
          current,
          changes: [
            { attr: 'a', kind: 'updated', previous: previous.attrs.a![0]!, current: current.attrs.a![0]! },
            { attr: 'r', kind: 'deleted', previous: previous.attrs.r![0]! },
            { attr: 'c', kind: 'created', current: current.attrs.c![0]! },
          ],
        },
      ],
      NOW,
    )
    expect(rows.map((r) => [r.attr, r.deleted, r.num, r.inst])).toEqual([
      ['a', false, 2, { type: 'Property', value: 2 }],
      ['r', true, null, { type: 'Relationship', object: 'urn:ngsi-ld:null', deletedAt: T1 }],
      ['c', false, null, { type: 'Property', value: true }],
    ])
    expect(entities).toEqual([{ id: 'urn:e:1', types: ['urn:T', 'urn:U'], attrNames: ['a', 'r', 'c'], createdAt: T0 }])
  })

  it('records every instance of a deleted entity as deleted', () => {
    const previous = entity({ a: [temp(1), temp(2, { datasetId: 'd' })], b: [temp('x')] })
    const { rows, entities } = changesToRows([{ entityId: 'urn:e:1', kind: 'deleted', previous, changes: [] }], NOW)
    expect(rows.map((r) => [r.attr, r.datasetId, r.deleted, r.time])).toEqual([
      ['a', '', true, NOW],
      ['a', 'd', true, NOW],
      ['b', '', true, NOW],
    ])
    expect(entities).toEqual([{ id: 'urn:e:1', types: ['urn:T'], attrNames: ['a', 'b'], createdAt: T0 }])
  })
})
