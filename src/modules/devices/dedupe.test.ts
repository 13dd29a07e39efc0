import { describe, expect, it } from 'vitest'
import { createDeduper, hashPayload } from './dedupe.js'

describe('dedupe', () => {
  it('drops a DUP packet with the same id and payload on the same connection', () => {
    const d = createDeduper({ contentWindowMs: 0 })
    const h = hashPayload('t|1')
    expect(d.packetSeen('c1', 7, false, h, 1000)).toBe(false)
    expect(d.packetSeen('c1', 7, true, h, 1500)).toBe(true)
    expect(d.packetSeen('c2', 7, true, h, 1500)).toBe(false)
    expect(d.packetSeen('c1', 7, true, hashPayload('t|2'), 1600)).toBe(false)
    expect(d.packetSeen('c1', 7, false, h, 1700)).toBe(false) // not a DUP: a new message reusing the id
    expect(d.packetSeen('c1', 9, true, h, 200_000)).toBe(false)
  })
  it('drops a repeated timestamped payload within the window, and forgets it after', () => {
    const d = createDeduper({ contentWindowMs: 10_000, maxEntries: 2 })
    expect(d.contentSeen('t', 'd', 'attrs', 'h1', 0)).toBe(false)
    expect(d.contentSeen('t', 'd', 'attrs', 'h1', 5000)).toBe(true)
    expect(d.contentSeen('t', 'd2', 'attrs', 'h1', 5000)).toBe(false)
    expect(d.contentSeen('t', 'd', 'attrs', 'h1', 20_000)).toBe(false)
    d.contentSeen('t', 'a', 'attrs', 'x', 20_001)
    d.contentSeen('t', 'b', 'attrs', 'x', 20_002)
    expect(d.contentSeen('t', 'd', 'attrs', 'h1', 20_003)).toBe(false) // evicted: bounded memory
  })
})
