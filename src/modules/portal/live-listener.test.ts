import { describe, expect, it } from 'vitest'
import { chunkPayloads, MAX_PAYLOAD_BYTES, parseMessage } from './live-listener.js'

describe('live feed payloads', () => {
  it('splits many ids into NOTIFY payloads under the limit, keeping every id once and in order', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `urn:ngsi-ld:AirQualityObserved:città-${i}`)
    const payloads = chunkPayloads('046017', ids)
    expect(payloads.length).toBeGreaterThan(5)
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES)
    const back = payloads.map((p) => parseMessage(p)!)
    expect(back.every((m) => m.tenant === '046017')).toBe(true)
    expect(back.flatMap((m) => m.ids)).toEqual(ids)
  })

  it('leaves out an id too long for any payload, and keeps one payload for a few ids', () => {
    const long = `urn:x:${'a'.repeat(9000)}`
    expect(chunkPayloads('t', ['urn:a', long, 'urn:b']).map((p) => parseMessage(p)!.ids)).toEqual([['urn:a', 'urn:b']])
    expect(chunkPayloads('t', [long])).toEqual([])
  })

  it('ignores payloads that are not its own', () => {
    expect(parseMessage('nope')).toBeUndefined()
    expect(parseMessage('{"tenant":1,"ids":[]}')).toBeUndefined()
    expect(parseMessage('{"tenant":"t","ids":["a",2]}')).toEqual({ tenant: 't', ids: ['a'] })
  })
})
