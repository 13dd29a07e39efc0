import { describe, expect, it } from 'vitest'
import type { StoredEntity } from '../model.js'
import type { EntityChange } from '../service.js'
import { compileSubscription, firedBy } from './compile.js'
import type { SubscriptionDef, Trigger } from './model.js'

const V = 'https://uri.etsi.org/ngsi-ld/default-context/'
const def = (o: Partial<SubscriptionDef> = {}): SubscriptionDef => ({
  entities: [{ type: 'Room', typeIris: { Room: `${V}Room` } }],
  triggers: ['attributeCreated', 'attributeUpdated'],
  isActive: true,
  notification: {
    format: 'normalized',
    sysAttrs: false,
    showChanges: false,
    endpoint: { uri: 'http://x/', accept: 'application/json' },
  },
  ...o,
})
const entity = (attrs: string[]): StoredEntity => ({
  id: 'urn:x:1',
  types: [`${V}Room`],
  attrs: Object.fromEntries(attrs.map((a) => [`${V}${a}`, [{ type: 'Property', value: 1 }]])),
  createdAt: '2030-01-01T00:00:00Z',
  modifiedAt: '2030-01-01T00:00:00Z',
})
const ch = (
  kind: EntityChange['kind'],
  attrKinds: [string, 'created' | 'updated' | 'deleted'][] = [],
): EntityChange => ({
  entityId: 'urn:x:1',
  kind,
  ...(kind !== 'created' ? { previous: entity(['t', 'h']) } : {}),
  ...(kind !== 'deleted' ? { current: entity(['t', 'h']) } : {}),
  changes: attrKinds.map(([a, k]) => ({ attr: `${V}${a}`, kind: k })),
})

describe('firedBy', () => {
  const fires = (triggers: Trigger[], c: EntityChange, watched?: string[]) =>
    firedBy(compileSubscription('s', def({ triggers, ...(watched ? { watched: watched.map((w) => V + w) } : {}) })), c)
      ?.trigger

  it('maps changes to triggers', () => {
    expect(fires(['entityCreated'], ch('created', [['t', 'created']]))).toBe('entityCreated')
    expect(fires(['attributeCreated'], ch('created', [['t', 'created']]))).toBe('attributeCreated')
    expect(fires(['attributeUpdated'], ch('created', [['t', 'created']]))).toBeUndefined()
    expect(fires(['attributeUpdated'], ch('updated', [['t', 'updated']]))).toBe('attributeUpdated')
    expect(fires(['attributeDeleted'], ch('updated', [['t', 'updated']]))).toBeUndefined()
    expect(fires(['attributeDeleted'], ch('updated', [['t', 'deleted']]))).toBe('attributeDeleted')
    expect(fires(['entityUpdated'], ch('updated', [['t', 'deleted']]))).toBe('entityUpdated')
    expect(fires(['entityUpdated'], ch('updated'))).toBe('entityUpdated') // types or scopes changed
    expect(fires(['entityDeleted'], ch('deleted'))).toBe('entityDeleted')
    expect(fires(['attributeDeleted'], ch('deleted'))).toBeUndefined()
  })

  it('counts only watched attributes', () => {
    expect(fires(['attributeUpdated'], ch('updated', [['h', 'updated']]), ['t'])).toBeUndefined()
    expect(fires(['attributeUpdated'], ch('updated', [['t', 'updated']]), ['t'])).toBe('attributeUpdated')
    expect(fires(['entityDeleted'], ch('deleted'), ['nope'])).toBeUndefined()
  })
})

describe('compileSubscription', () => {
  it('checks plain types and ids in memory, leaving SQL only for what needs it', () => {
    const plain = compileSubscription('s', def())
    expect(plain.where).toBeUndefined()
    expect(plain.fullWhere).toBeDefined()
    expect(plain.mayMatch('urn:x:1', [`${V}Room`])).toBe(true)
    expect(plain.mayMatch('urn:x:1', [`${V}Car`])).toBe(false)
    const byId = compileSubscription('s', def({ entities: [{ id: 'urn:x:2' }] }))
    expect(byId.mayMatch('urn:x:1', [`${V}Room`])).toBe(false)
    const q = compileSubscription('s', def({ q: 'temperature>1', qTerms: { temperature: `${V}temperature` } }))
    expect(q.where).toBeDefined()
    const pattern = compileSubscription('s', def({ entities: [{ idPattern: 'urn:x:.*' }] }))
    expect(pattern.where).toBeDefined()
    expect(pattern.mayMatch('anything', [])).toBe(true)
  })
})
