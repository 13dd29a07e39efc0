import { describe, expect, it } from 'vitest'
import type { EntityChange } from '../service.js'
import type { TemporalEntityRow } from './history-rows.js'
import { unregistered } from './listener.js'

const row = (id: string, types: string[], attrNames: string[]): TemporalEntityRow => ({
  id,
  types,
  attrNames,
  createdAt: '2026-11-24T10:00:00Z',
})
const change = (entityId: string, temporal?: EntityChange['temporal']): EntityChange => ({
  entityId,
  kind: 'updated',
  changes: [],
  ...(temporal !== undefined ? { temporal } : {}),
})

describe('the temporal records a write must register', () => {
  const record = { types: ['T', 'U'], attrNames: ['a', 'b', 'c'] }

  it('leaves out a record that already holds the types and every attribute name', () => {
    expect(unregistered([row('x', ['T', 'U'], ['b', 'a'])], [change('x', record)])).toEqual([])
  })

  it('keeps a new attribute name, other types (order included), a missing record and an unknown one', () => {
    const rows = [
      row('new-attr', ['T', 'U'], ['a', 'd']),
      row('types', ['U', 'T'], ['a']),
      row('fewer-types', ['T'], ['a']),
      row('none', ['T', 'U'], ['a']),
      row('unknown', ['T', 'U'], ['a']),
      row('covered', ['T', 'U'], ['c']),
    ]
    const events = [
      change('new-attr', record),
      change('types', record),
      change('fewer-types', record),
      change('none', null),
      change('unknown'),
      change('covered', record),
    ]
    expect(unregistered(rows, events).map((r) => r.id)).toEqual(['new-attr', 'types', 'fewer-types', 'none', 'unknown'])
  })

  it('registers everything when no write read the records (the transactional paths)', () => {
    const rows = [row('x', ['T'], ['a'])]
    expect(unregistered(rows, [change('x')])).toBe(rows)
  })
})
