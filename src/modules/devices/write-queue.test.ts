import { AsyncLocalStorage } from 'node:async_hooks'
import { describe, expect, it } from 'vitest'
import { coreActiveContext } from '../ngsi-ld/context/index.js'
import { createWriteQueue, type Measurement, planSequences } from './write-queue.js'

const ctx = coreActiveContext()
const m = (entityId: string, attrs: string[], tenant = 't'): Measurement => ({
  tenant,
  entityId,
  entityType: 'T',
  ctx,
  attrs: Object.fromEntries(attrs.map((a) => [a, { type: 'Property', value: 1 }])),
  count: attrs.length,
  deviceId: entityId,
  receivedAt: 0,
})

describe('planSequences', () => {
  it('merges different attributes of an entity, and puts a later value of the same attribute in a later item', () => {
    const plan = planSequences([
      m('e1', ['a']),
      m('e2', ['a']),
      m('e1', ['b']),
      m('e1', ['a']),
      m('e1', ['b']),
      m('e2', ['a']),
      m('x', ['a'], 'u'),
    ])
    const items = plan.get('t')!
    expect(items.map((i) => [i.body.id, Object.keys(i.body).filter((k) => k.length === 1)])).toEqual([
      ['e1', ['a', 'b']],
      ['e2', ['a']],
      ['e1', ['a', 'b']],
      ['e2', ['a']],
    ])
    expect(items.map((i) => i.members.length)).toEqual([2, 1, 2, 1])
    expect(plan.get('u')).toHaveLength(1)
  })
})

describe('createWriteQueue', () => {
  it('flushes with empty lanes, and a lane that was empty at a flush drains later measurements', async () => {
    const written: string[][] = []
    const counter = { inc() {}, set() {}, observe() {} }
    const q = createWriteQueue({
      batch: {
        upsertSequence: async (_tenant: string, items: { body: Record<string, unknown> }[]) => {
          await new Promise((r) => setTimeout(r, 1))
          written.push(items.map((i) => i.body.id as string))
          return { failed: new Map() }
        },
      } as never,
      gatewayWrite: new AsyncLocalStorage<boolean>(),
      flushMs: 10,
      batchSize: 100,
      limit: 1000,
      lanes: 4,
      metrics: {
        measurements: counter,
        latency: counter,
        writeFailures: counter,
        queued: counter,
        flushSeconds: counter,
      } as never,
      log: { warn() {}, error() {} } as never,
      onRejected() {},
    })
    q.push(m('e1', ['a'])) // one lane has work, three are empty
    await Promise.race([q.flush(), new Promise((_, no) => setTimeout(() => no(new Error('flush hangs')), 2000))])
    expect(written.flat()).toEqual(['e1'])
    for (let i = 2; i <= 9; i++) q.push(m(`e${i}`, ['a'])) // spread over every lane, the empty ones included
    await new Promise((r) => setTimeout(r, 200)) // the flush timer, not flush(), must write them
    expect(written.flat().sort()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9'])
    await q.close()
  })
})
