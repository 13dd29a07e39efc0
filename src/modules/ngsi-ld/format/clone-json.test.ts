import { describe, expect, it } from 'vitest'
import { cloneJson } from './clone-json.js'

describe('cloneJson', () => {
  it('copies in depth: the copy is equal and shares nothing', () => {
    const v = { a: 1, b: 'x', c: null, d: [1, { e: true }], f: { g: { h: [] } } }
    const c = cloneJson(v)
    expect(c).toEqual(v)
    c.d.push(2)
    ;(c.d[1] as { e: boolean }).e = false
    c.f.g.h = [1] as never
    expect(v).toEqual({ a: 1, b: 'x', c: null, d: [1, { e: true }], f: { g: { h: [] } } })
  })

  it('keeps a "__proto__" member as data, not as the prototype', () => {
    const v = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}')
    const c = cloneJson(v)
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype)
    expect((c as { polluted?: boolean }).polluted).toBeUndefined()
    expect(Object.keys(c)).toEqual(['__proto__', 'a'])
    expect(JSON.stringify(c)).toBe('{"__proto__":{"polluted":true},"a":1}')
  })

  it('returns primitives as they are', () => {
    for (const x of [0, -1.5, 'é', true, false, null]) expect(cloneJson(x)).toBe(x)
  })
})
