/**
 * The live feeds (Server-Sent Events) of one process: per tenant, the open streams; changed entity ids coming from
 * the broker (live-listener.ts, live-source.ts) are coalesced per tenant so that an entity is pushed at most once per
 * `coalesceMs` (the first change goes out at once, later ones wait for the next flush), the changed public entities
 * are read in one statement and written to every stream of that tenant. On PostgreSQL the LISTEN connection is opened
 * with the first stream and closed a while after the last one ends.
 */
import type { ServerResponse } from 'node:http'
import { AppError } from '../../errors.js'
import type { PortalEntity } from './catalog.js'
import type { LiveMessage } from './live-listener.js'
import type { LiveSource } from './live-source.js'

export interface LiveHubOptions {
  max: number
  coalesceMs?: number
  pingMs?: number
  /** How long the LISTEN connection stays open once no stream is. */
  idleCloseMs?: number
  fetch(tenant: string, ids: string[]): Promise<PortalEntity[]>
  /** PostgreSQL: opens the LISTEN connection. Absent: changes come through `changed()` (in-process). */
  source?: (onMessage: (m: LiveMessage) => void) => LiveSource
  log: { warn(o: object, m: string): void; error(o: object, m: string): void }
}

interface Stream {
  tenant: string
  res: ServerResponse
}

interface TenantState {
  streams: Set<Stream>
  pending: Set<string>
  timer?: NodeJS.Timeout | undefined
  flushing: boolean
  lastFlush: number
}

/** A stream whose unsent output grows beyond this is dropped (the client reconnects and starts afresh). */
const MAX_BUFFERED = 1 << 20

export function createLiveHub(opts: LiveHubOptions) {
  const coalesceMs = opts.coalesceMs ?? 500
  const pingMs = opts.pingMs ?? 15_000
  const tenants = new Map<string, TenantState>()
  let count = 0
  let closing = false
  let ping: NodeJS.Timeout | undefined
  let source: LiveSource | undefined
  let idleTimer: NodeJS.Timeout | undefined

  const stateOf = (tenant: string) => {
    let s = tenants.get(tenant)
    if (!s) {
      s = { streams: new Set(), pending: new Set(), flushing: false, lastFlush: 0 }
      tenants.set(tenant, s)
    }
    return s
  }

  function write(st: Stream, text: string) {
    if (st.res.destroyed || st.res.writableEnded) return
    if (st.res.writableLength > MAX_BUFFERED) {
      st.res.destroy()
      return
    }
    st.res.write(text)
  }

  function schedule(tenant: string, s: TenantState) {
    if (s.timer || s.flushing || s.pending.size === 0) return
    const wait = Math.max(0, s.lastFlush + coalesceMs - Date.now())
    s.timer = setTimeout(() => {
      s.timer = undefined
      void flush(tenant, s)
    }, wait)
  }

  async function flush(tenant: string, s: TenantState) {
    if (s.streams.size === 0) {
      s.pending.clear()
      return
    }
    const ids = [...s.pending]
    s.pending.clear()
    s.flushing = true
    s.lastFlush = Date.now()
    try {
      const entities = await opts.fetch(tenant, ids)
      for (const e of entities) {
        const text = `event: entity\ndata: ${JSON.stringify(e)}\n\n`
        for (const st of s.streams) write(st, text)
      }
    } catch (e) {
      opts.log.error({ err: e, tenant }, 'live feed: reading the changed entities failed')
    } finally {
      s.flushing = false
      schedule(tenant, s)
    }
  }

  function changed(tenant: string, ids: readonly string[]) {
    const s = tenants.get(tenant)
    if (!s || s.streams.size === 0) return
    for (const id of ids) s.pending.add(id)
    schedule(tenant, s)
  }

  function remove(st: Stream) {
    const s = tenants.get(st.tenant)
    if (!s?.streams.delete(st)) return
    count--
    if (s.streams.size === 0) {
      clearTimeout(s.timer)
      tenants.delete(st.tenant)
    }
    if (count === 0) {
      clearInterval(ping)
      ping = undefined
      if (source && !idleTimer) {
        idleTimer = setTimeout(() => {
          idleTimer = undefined
          if (count > 0) return
          const src = source
          source = undefined
          void src?.close()
        }, opts.idleCloseMs ?? 30_000)
        idleTimer.unref()
      }
    }
  }

  return {
    /** Feeds open in this process. */
    get size() {
      return count
    },
    /** Whether a feed of this tenant is open here (the in-process path does nothing otherwise). */
    wanted: (tenant: string) => (tenants.get(tenant)?.streams.size ?? 0) > 0,
    changed,

    /**
     * Opens a feed: checks the cap (503 beyond), makes sure the LISTEN connection is up (PostgreSQL), then calls
     * `hijack()` and writes the stream's head. The feed ends when the client goes or the server closes.
     */
    async open(tenant: string, res: ServerResponse, hijack: () => void, requestId: string) {
      if (closing) throw new AppError('Unavailable', 'The server is shutting down')
      if (count >= opts.max) {
        throw new AppError('Unavailable', `Too many live feeds open on this server (${opts.max}): retry later`)
      }
      count++
      let registered = false
      try {
        if (opts.source) {
          clearTimeout(idleTimer)
          idleTimer = undefined
          source ??= opts.source((m) => changed(m.tenant, m.ids))
          await source.ready(5000).catch(() => {
            throw new AppError('Unavailable', 'The live feed is not available right now: retry later')
          })
        }
        if (closing) throw new AppError('Unavailable', 'The server is shutting down')
        if (res.destroyed) throw new AppError('InvalidRequest', 'The client went away')
        hijack()
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
          'x-request-id': requestId,
        })
        res.write('retry: 3000\n\n')
        const st: Stream = { tenant, res }
        stateOf(tenant).streams.add(st)
        registered = true
        // (the response's close: the request's own 'close' fires as soon as it has been read)
        res.on('close', () => remove(st))
        ping ??= setInterval(() => {
          for (const s of tenants.values()) for (const x of s.streams) write(x, ': ping\n\n')
        }, pingMs)
        ping.unref()
      } finally {
        // when not registered, the slot was only reserved: give it back
        if (!registered) count--
      }
    },

    /** Ends every feed and stops listening (server close: app.close() must not wait for the clients). */
    async close() {
      closing = true
      clearInterval(ping)
      clearTimeout(idleTimer)
      for (const s of tenants.values()) {
        clearTimeout(s.timer)
        for (const st of s.streams) st.res.end()
      }
      tenants.clear()
      count = 0
      const src = source
      source = undefined
      await src?.close()
    },
  }
}

export type LiveHub = ReturnType<typeof createLiveHub>
