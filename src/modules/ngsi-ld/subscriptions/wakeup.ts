/**
 * Cross-process wake-ups on PostgreSQL: a dedicated connection LISTENs on the channel that write transactions
 * NOTIFY when they record notifications (PostgreSQL delivers it at commit, to every process, this one included).
 * Reconnects with a growing delay; the workers' polling covers the gaps.
 */
import pg from 'pg'
import { NOTIFY_CHANNEL } from './record.js'

export interface Listening {
  close(): Promise<void>
}

export function listenForNotifications(
  databaseUrl: string,
  onWake: () => void,
  log: { warn(o: object, m: string): void },
): Listening {
  let client: pg.Client | undefined
  let closed = false
  let delay = 100
  let timer: NodeJS.Timeout | undefined

  const connect = async () => {
    if (closed) return
    const c = new pg.Client({ connectionString: databaseUrl, application_name: 'urbe-notify-listen' })
    client = c
    const retry = (e: unknown) => {
      if (closed || client !== c) return
      client = undefined
      c.end().catch(() => {})
      log.warn({ err: e }, 'notification wake-up connection lost; reconnecting')
      timer = setTimeout(connect, delay)
      timer.unref()
      delay = Math.min(delay * 2, 10_000)
    }
    c.on('error', retry)
    c.on('end', () => retry(new Error('connection ended')))
    c.on('notification', () => onWake())
    try {
      await c.connect()
      await c.query(`LISTEN ${NOTIFY_CHANNEL}`)
      delay = 100
      onWake() // whatever was recorded while not listening
    } catch (e) {
      retry(e)
    }
  }
  void connect()
  return {
    async close() {
      closed = true
      clearTimeout(timer)
      const c = client
      client = undefined
      await c?.end().catch(() => {})
    },
  }
}
