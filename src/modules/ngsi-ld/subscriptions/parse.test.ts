import { describe, expect, it } from 'vitest'
import { coreActiveContext } from '../context/index.js'
import { parseSubscription } from './parse.js'

const ctx = coreActiveContext()
const V = 'https://uri.etsi.org/ngsi-ld/default-context/'
const base = {
  type: 'Subscription',
  entities: [{ type: 'Room' }],
  q: 'temperature>20;name=="x"',
  notification: { attributes: ['temperature'], endpoint: { uri: 'http://127.0.0.1/n' } },
}

describe('parseSubscription', () => {
  it('expands names, records the expansions of q, fills the defaults', () => {
    const s = parseSubscription(base, ctx)
    expect(s.def).toMatchObject({
      entities: [{ type: 'Room', typeIris: { Room: `${V}Room` } }],
      q: base.q,
      qTerms: { temperature: `${V}temperature`, name: `${V}name` },
      triggers: ['attributeCreated', 'attributeUpdated'],
      isActive: true,
      notification: {
        attributes: [`${V}temperature`],
        format: 'normalized',
        sysAttrs: false,
        showChanges: false,
        endpoint: { uri: 'http://127.0.0.1/n', accept: 'application/json' },
      },
    })
    expect(s.view.notification).toMatchObject({ attributes: ['temperature'], format: 'normalized' })
  })

  it('merges an update into the stored subscription; null removes a member', () => {
    const stored = parseSubscription({ ...base, throttling: 5 }, ctx)
    const next = parseSubscription(
      { throttling: null, notification: { format: 'keyValues' }, showChanges: true },
      ctx,
      { stored },
    )
    expect(next.def.throttling).toBeUndefined()
    expect(next.view.throttling).toBeUndefined()
    expect(next.def.notification).toMatchObject({
      format: 'keyValues',
      showChanges: true,
      attributes: [`${V}temperature`],
    })
    expect(next.def.q).toBe(base.q)
  })

  it('checks the members together', () => {
    expect(() => parseSubscription({ ...base, entities: undefined }, ctx)).toThrow(/entities or watchedAttributes/)
    expect(() => parseSubscription({ ...base, timeInterval: 5, throttling: 1 }, ctx)).toThrow(/throttling/)
    expect(() => parseSubscription({ ...base, q: 'a==' }, ctx)).toThrow()
  })
})
