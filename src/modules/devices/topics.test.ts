import { describe, expect, it } from 'vitest'
import { commandTopic, parseTopic, subscriptionFilters } from './topics.js'

describe('topics', () => {
  it('parses the FIWARE layout', () => {
    expect(parseTopic('/k1/dev1/attrs')).toEqual({ prefix: '', apikey: 'k1', deviceId: 'dev1', kind: 'attrs' })
    expect(parseTopic('/k1/dev1/attrs/t')).toEqual({
      prefix: '',
      apikey: 'k1',
      deviceId: 'dev1',
      kind: 'attr',
      objectId: 't',
    })
    expect(parseTopic('/k1/dev1/cmdexe')?.kind).toBe('cmdexe')
    expect(parseTopic('/ul/k1/dev1/attrs')).toMatchObject({ prefix: '', format: 'ul' })
    expect(parseTopic('lucca/air/k1/d/attrs')).toMatchObject({ prefix: 'lucca/air', apikey: 'k1', deviceId: 'd' })
  })
  it('refuses other topics', () => {
    for (const t of ['/k1/attrs', 'attrs', '/k1/dev1/other', '/k1/dev1/attrs/', '//dev1/attrs']) {
      expect(parseTopic(t), t).toBeUndefined()
    }
  })
  it('formats command topics and subscription filters', () => {
    expect(commandTopic('', 'k', 'd')).toBe('/k/d/cmd')
    expect(commandTopic('p/q', 'k', 'd')).toBe('p/q/k/d/cmd')
    expect(subscriptionFilters(['', 'p'])).toContain('p/+/+/attrs/+')
    expect(subscriptionFilters([''])).toContain('/ul/+/+/cmdexe')
  })
})
