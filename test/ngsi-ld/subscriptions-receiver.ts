/**
 * Test support for subscriptions: an HTTP receiver on 127.0.0.1 that records the notifications it gets (and can
 * answer with errors, slowly, or be stopped and started again on the same port), and a bounded wait.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  headers: http.IncomingHttpHeaders
  body: {
    id: string
    type: string
    subscriptionId: string
    notifiedAt: string
    data: Record<string, unknown>[]
    '@context'?: unknown
  }
  at: number
}

export interface Receiver {
  url: string
  port: number
  received: Received[]
  /** Entities notified, in arrival order (one entry per entity per notification). */
  entities(): Record<string, unknown>[]
  /** Status to answer (default 200); a function to decide per request. */
  respond: (r: Received) => number | Promise<number>
  /** Stops listening and drops open connections (a dead receiver). */
  stop(): Promise<void>
  /** Listens again on the same port. */
  start(): Promise<void>
  close(): Promise<void>
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = []
  let server: http.Server | undefined
  const sockets = new Set<import('node:net').Socket>()
  const r: Receiver = {
    url: '',
    port,
    received,
    entities: () => received.flatMap((x) => (Array.isArray(x.body.data) ? x.body.data : [])),
    respond: () => 200,
    async start() {
      server = http.createServer((req, res) => {
        const chunks: Buffer[] = []
        req.on('data', (c) => chunks.push(c))
        req.on('end', async () => {
          const item: Received = {
            headers: req.headers,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
            at: Date.now(),
          }
          const status = await r.respond(item)
          if (status >= 200 && status < 300) received.push(item)
          res.writeHead(status).end()
        })
      })
      server.on('connection', (s) => {
        sockets.add(s)
        s.on('close', () => sockets.delete(s))
      })
      await new Promise<void>((resolve) => server!.listen(r.port, '127.0.0.1', resolve))
      r.port = (server.address() as AddressInfo).port
      r.url = `http://127.0.0.1:${r.port}/notify`
    },
    async stop() {
      const s = server
      server = undefined
      if (!s) return
      for (const x of sockets) x.destroy()
      await new Promise<void>((resolve) => s.close(() => resolve()))
    },
    close: () => r.stop(),
  }
  await r.start()
  return r
}

/** Waits until `check` returns a truthy value (polling every 20 ms), at most `ms`; throws with `what` otherwise. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  ms = 10_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const end = Date.now() + ms
  for (;;) {
    const v = await check()
    if (v) return v as NonNullable<T>
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
