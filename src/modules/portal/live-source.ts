/**
 * PostgreSQL side of the live feed: a dedicated connection LISTENs on `urbe_live` (NOTIFYed at commit by the write
 * transactions of every Urbe process, live-listener.ts) and reconnects with a growing delay when it is lost (as
 * subscriptions/wakeup.ts does). Changes committed while the connection is down are not replayed: a feed only shows
 * current state, so the next change of an entity brings it up to date.
 */
import pg from 'pg'
import { LIVE_CHANNEL, type LiveMessage, parseMessage } from './live-listener.js'

export interface LiveSource {
  /** Resolves once the first LISTEN is in place (or rejects after `timeoutMs`). */
  ready(timeoutMs: number): Promise<void>
  close(): Promise<void>
}

export function listenLive(
  databaseUrl: string,
  onMessage: (m: LiveMessage) => void,
  log: { warn(o: object, m: string): void },
): LiveSource {
  let client: pg.Client | undefined
  let closed = false
  let delay = 100
  let timer: NodeJS.Timeout | undefined
  let listening = false
  const waiters = new Set<() => void>()

  const connect = async () => {
    if (closed) return
    const c = new pg.Client({ connectionString: databaseUrl, application_name: 'urbe-portal-live' })
    client = c
    const retry = (e: unknown) => {
      if (closed || client !== c) return
      client = undefined
      listening = false
      c.end().catch(() => {})
      log.warn({ err: e }, 'live feed connection lost; reconnecting')
      timer = setTimeout(connect, delay)
      timer.unref()
      delay = Math.min(delay * 2, 10_000)
    }
    c.on('error', retry)
    c.on('end', () => retry(new Error('connection ended')))
    c.on('notification', (n) => {
      if (n.channel !== LIVE_CHANNEL) return
      const m = parseMessage(n.payload)
      if (m) onMessage(m)
    })
    try {
      await c.connect()
      await c.query(`LISTEN ${LIVE_CHANNEL}`)
      if (closed || client !== c) return
      delay = 100
      listening = true
      for (const w of waiters) w()
      waiters.clear()
    } catch (e) {
      retry(e)
    }
  }
  void connect()
  return {
    ready(timeoutMs) {
      if (listening) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => {
          waiters.delete(done)
          reject(new Error('the live feed is not listening yet'))
        }, timeoutMs)
        const done = () => {
          clearTimeout(t)
          resolve()
        }
        waiters.add(done)
      })
    },
    async close() {
      closed = true
      clearTimeout(timer)
      for (const w of waiters) w()
      waiters.clear()
      const c = client
      client = undefined
      await c?.end().catch(() => {})
    },
  }
}
