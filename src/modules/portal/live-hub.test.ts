import { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PortalEntity } from './catalog.js'
import { createLiveHub } from './live-hub.js'

/** Enough of a ServerResponse for the hub. */
class FakeResponse extends EventEmitter {
  out = ''
  status = 0
  destroyed = false
  writableEnded = false
  writableLength = 0
  writeHead(status: number) {
    this.status = status
    return this
  }
  write(s: string) {
    this.out += s
    return true
  }
  end() {
    this.writableEnded = true
    this.emit('close')
  }
  destroy() {
    this.destroyed = true
    this.emit('close')
  }
}

const entity = (id: string, n: number) => ({ id, values: { n: { value: n } } }) as unknown as PortalEntity
/** Fake time: the hub's timers and Date.now move only when the test says. */
const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms)
const log = { warn() {}, error() {} }

describe('live hub', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('pings, coalesces per tenant, keeps tenants apart, caps feeds and ends them on close', async () => {
    let version = 0
    const fetched: string[][] = []
    const hub = createLiveHub({
      max: 2,
      coalesceMs: 200,
      pingMs: 50,
      fetch: async (tenant, ids) => {
        fetched.push(ids)
        return ids.map((id) => entity(`${tenant}/${id}`, version))
      },
      log,
    })
    const a = new FakeResponse()
    const b = new FakeResponse()
    const open = (tenant: string, r: FakeResponse) =>
      hub.open(tenant, r as unknown as ServerResponse, () => {}, 'req-1')
    await open('A', a)
    await open('B', b)
    expect(a.status).toBe(200)
    expect(a.out.startsWith('retry: 3000\n\n')).toBe(true)
    await expect(open('A', new FakeResponse())).rejects.toMatchObject({ code: 'Unavailable' })
    expect(hub.size).toBe(2)

    version = 1
    hub.changed('A', ['x'])
    await sleep(20)
    // the first change goes out at once
    expect(a.out).toContain('"id":"A/x","values":{"n":{"value":1}}')
    version = 2
    hub.changed('A', ['x', 'y'])
    hub.changed('A', ['x'])
    await sleep(60)
    expect(a.out).not.toContain('"value":2')
    await sleep(200)
    // the later ones together, once, after the coalescing delay
    expect(fetched).toEqual([['x'], ['x', 'y']])
    expect(a.out.match(/"id":"A\/x"/g)).toHaveLength(2)
    expect(b.out).not.toContain('event: entity')
    expect(a.out).toContain(': ping\n\n')
    hub.changed('C', ['z'])
    await sleep(250)
    expect(fetched).toHaveLength(2)

    b.destroy()
    expect(hub.size).toBe(1)
    await hub.close()
    expect(a.writableEnded).toBe(true)
    expect(hub.size).toBe(0)
    await expect(open('A', new FakeResponse())).rejects.toMatchObject({ code: 'Unavailable' })
  })
})
