import { describe, expect, it } from 'vitest'
import { coreActiveContext } from '../context/index.js'
import type { SubscriptionDef } from './model.js'
import { buildNotification } from './notification.js'
import type { OutboxRow } from './outbox.js'

const ctx = coreActiveContext()
const V = 'https://uri.etsi.org/ngsi-ld/default-context/'
const def = (format: 'normalized' | 'concise' | 'keyValues'): SubscriptionDef => ({
  triggers: ['attributeUpdated'],
  isActive: true,
  notification: {
    format,
    sysAttrs: false,
    showChanges: true,
    endpoint: { uri: 'http://x/', accept: 'application/json', receiverInfo: [{ key: 'X-A', value: '1' }] },
  },
})
const row: OutboxRow = {
  seq: 1,
  entityId: 'urn:x:1',
  trigger: 'attributeUpdated',
  changes: [
    { a: `${V}t`, k: 'updated', p: { type: 'Property', value: 20 } },
    { a: `${V}gone`, k: 'deleted', p: { type: 'Relationship', object: 'urn:x:9' } },
  ],
  types: [`${V}Room`],
  scopes: null,
  attrs: { [`${V}t`]: [{ type: 'Property', value: 21 }] },
  createdAt: '2030-01-01T00:00:00.000Z',
  modifiedAt: '2030-01-02T00:00:00.000Z',
}
const build = (format: 'normalized' | 'concise' | 'keyValues') =>
  buildNotification({
    notificationId: '7d7c0b8e-0000-4000-8000-000000000001',
    subscriptionId: 'urn:s:1',
    tenant: 'T',
    def: def(format),
    ctx,
    items: [row],
    now: new Date('2030-01-03T00:00:00Z'),
  })

describe('buildNotification', () => {
  it('normalized: previous values and deleted attributes', () => {
    const n = build('normalized')
    expect(n.payload).toEqual({
      id: 'urn:ngsi-ld:Notification:7d7c0b8e-0000-4000-8000-000000000001',
      type: 'Notification',
      subscriptionId: 'urn:s:1',
      notifiedAt: '2030-01-03T00:00:00.000Z',
      data: [
        {
          id: 'urn:x:1',
          type: 'Room',
          t: { type: 'Property', value: 21, previousValue: 20 },
          gone: {
            type: 'Relationship',
            object: 'urn:ngsi-ld:null',
            deletedAt: '2030-01-02T00:00:00.000Z',
            previousObject: 'urn:x:9',
          },
        },
      ],
    })
    expect(n.headers).toMatchObject({ 'Content-Type': 'application/json', 'NGSILD-Tenant': 'T', 'X-A': '1' })
    expect(n.headers['Idempotency-Key']).toBe(n.payload.id)
  })

  it('concise wraps a bare value to show the previous one; keyValues shows the NGSI-LD Null', () => {
    expect((build('concise').payload.data as any[])[0].t).toEqual({ value: 21, previousValue: 20 })
    expect((build('keyValues').payload.data as any[])[0]).toEqual({
      id: 'urn:x:1',
      type: 'Room',
      t: 21,
      gone: 'urn:ngsi-ld:null',
    })
  })
})
