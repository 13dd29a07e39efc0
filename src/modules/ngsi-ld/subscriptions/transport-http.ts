/**
 * HTTP(S) notifications: a POST with keep-alive connections and a deadline covering the whole exchange. Any 2xx is a
 * delivery; anything else (status, refused connection, timeout) a failure to retry.
 */
import http from 'node:http'
import https from 'node:https'

export interface SendResult {
  ok: boolean
  /** What went wrong, for the log and lastError. */
  error?: string
}

export interface HttpTransport {
  post(uri: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SendResult>
  close(): void
}

export function createHttpTransport(): HttpTransport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16 }),
  }
  const inflight = new Set<http.ClientRequest>()
  return {
    post(uri, body, headers, timeoutMs) {
      return new Promise<SendResult>((resolve) => {
        const url = new URL(uri)
        const lib = url.protocol === 'https:' ? https : http
        const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:']
        let done = false
        const finish = (r: SendResult) => {
          if (done) return
          done = true
          clearTimeout(timer)
          inflight.delete(req)
          resolve(r)
        }
        const req = lib.request(
          url,
          {
            method: 'POST',
            agent,
            headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
          },
          (res) => {
            const status = res.statusCode ?? 0
            res.on('error', (e) => finish({ ok: false, error: `response: ${e.message}` }))
            res.on('end', () =>
              finish(status >= 200 && status < 300 ? { ok: true } : { ok: false, error: `HTTP ${status}` }),
            )
            res.resume()
          },
        )
        const timer = setTimeout(() => {
          finish({ ok: false, error: `timeout after ${timeoutMs} ms` })
          req.destroy()
        }, timeoutMs)
        inflight.add(req)
        req.on('error', (e) => finish({ ok: false, error: e.message || String(e) }))
        req.end(body)
      })
    },
    close() {
      for (const r of inflight) r.destroy()
      agents['http:'].destroy()
      agents['https:'].destroy()
    },
  }
}
