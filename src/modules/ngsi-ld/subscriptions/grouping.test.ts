import { describe, expect, it } from 'vitest'
import { planGroups } from './grouping.js'
import type { OutboxRow } from './outbox.js'

let seq = 0
const row = (entityId: string, extra: Partial<OutboxRow> = {}): OutboxRow => ({
  seq: ++seq,
  entityId,
  trigger: 'attributeUpdated',
  changes: null,
  types: ['T'],
  scopes: null,
  attrs: {},
  createdAt: undefined,
  modifiedAt: '2030-01-01T00:00:00.000Z',
  ...extra,
})
let ids = 0
const opts = (o: Partial<Parameters<typeof planGroups>[1]> = {}) => ({
  maxEntities: 3,
  maxGroups: 8,
  newId: () => `id-${++ids}`,
  ...o,
})
const shape = (p: ReturnType<typeof planGroups>) => p.groups.map((g) => g.rows.map((r) => r.entityId).join(''))

describe('planGroups', () => {
  it('puts different entities together and each entity once per notification, in order', () => {
    const rows = ['a', 'b', 'a', 'c', 'a', 'b'].map((e) => row(e))
    const p = planGroups(rows, opts())
    expect(shape(p)).toEqual(['abc', 'ab', 'a'])
    expect(new Set(p.groups.map((g) => g.id)).size).toBe(3)
    expect(p.complete).toBe(true)
    // each entity's rows appear in seq order across the groups
    for (const e of ['a', 'b']) {
      const seqs = p.groups.flatMap((g) => g.rows.filter((r) => r.entityId === e).map((r) => r.seq))
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y))
    }
  })

  it('caps the entities of a notification', () => {
    const p = planGroups(
      ['a', 'b', 'c', 'd', 'e'].map((e) => row(e)),
      opts({ maxEntities: 2 }),
    )
    expect(shape(p)).toEqual(['ab', 'cd', 'e'])
  })

  it('sends the notifications that were in flight first, with their ids and remaining rows', () => {
    const rows = ['a', 'b', 'c', 'a'].map((e) => row(e))
    const p = planGroups(rows, opts({ inflight: [{ id: 'n3', seqs: [rows[0]!.seq, rows[1]!.seq, 999_999] }] }))
    expect(p.groups.map((g) => [g.id, g.rows.map((r) => r.entityId).join('')])).toEqual([
      ['n3', 'ab'],
      [expect.stringMatching(/^id-/), 'ca'],
    ])
  })

  it('leaves the rest of an entity for a later round when the notifications are used up', () => {
    const p = planGroups(
      ['a', 'a', 'a', 'b'].map((e) => row(e)),
      opts({ maxGroups: 2 }),
    )
    expect(shape(p)).toEqual(['ab', 'a'])
    expect(p.complete).toBe(false)
  })
})
