/** Helpers of the portal tests: entities written through the NGSI-LD API with their Smart Data Models @context. */
import http from 'node:http'
import { expect } from 'vitest'
import { SDM_CONTEXT } from '../../src/modules/portal/categories.js'
import type { TestApp } from '../support/app.js'

export const CORE = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld'

export const P = (value: unknown, extra: Record<string, unknown> = {}) => ({ type: 'Property', value, ...extra })
export const point = (lon: number, lat: number) => ({
  type: 'GeoProperty',
  value: { type: 'Point', coordinates: [lon, lat] },
})

/** Writes go through an app (the test app, or a second app on the same database). */
export interface Writer {
  inject: TestApp['app']['inject']
}

export async function createEntity(
  t: TestApp,
  tenant: string,
  domain: string,
  body: Record<string, unknown>,
  via: Writer = t.app,
): Promise<void> {
  const r = await via.inject({
    method: 'POST',
    url: '/ngsi-ld/v1/entities',
    headers: {
      authorization: `Bearer ${t.keys[tenant]!.operator}`,
      'ngsild-tenant': tenant,
      'content-type': 'application/ld+json',
    },
    payload: { ...body, '@context': [SDM_CONTEXT(domain), CORE] },
  })
  expect(r.statusCode, r.body).toBe(201)
}

export async function patchAttrs(
  t: TestApp,
  tenant: string,
  domain: string,
  id: string,
  attrs: Record<string, unknown>,
  via: Writer = t.app,
): Promise<void> {
  const r = await via.inject({
    method: 'PATCH',
    url: `/ngsi-ld/v1/entities/${encodeURIComponent(id)}/attrs`,
    headers: {
      authorization: `Bearer ${t.keys[tenant]!.operator}`,
      'ngsild-tenant': tenant,
      'content-type': 'application/json',
      link: `<${SDM_CONTEXT(domain)}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
    },
    payload: attrs,
  })
  expect(r.statusCode, r.body).toBe(204)
}

export interface SseEvent {
  event: string
  data: string
  at: number
}

/** A Server-Sent Events client over a real HTTP connection. */
export interface SseClient {
  status: number
  headers: http.IncomingHttpHeaders
  raw: string
  events: SseEvent[]
  ended: Promise<void>
  /** Waits for an event matching `pred` (rejects after `ms`). */
  next(pred: (e: SseEvent) => boolean, ms?: number): Promise<SseEvent>
  close(): void
}

export function connectSse(base: string, path: string): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, { headers: { accept: 'text/event-stream' } }, (res) => {
      let buf = ''
      const waiters = new Set<() => void>()
      let endedResolve!: () => void
      const client: SseClient = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        raw: '',
        events: [],
        ended: new Promise<void>((r) => {
          endedResolve = r
        }),
        next(pred, ms = 10_000) {
          return new Promise((ok, ko) => {
            const check = () => {
              const e = client.events.find(pred)
              if (!e) return false
              waiters.delete(check as () => void)
              clearTimeout(timer)
              ok(e)
              return true
            }
            const timer = setTimeout(() => {
              waiters.delete(check as () => void)
              ko(
                new Error(
                  `no matching event within ${ms} ms; got ${JSON.stringify(client.events.map((x) => x.event))}`,
                ),
              )
            }, ms)
            if (!check()) waiters.add(check as () => void)
          })
        },
        close() {
          req.destroy()
        },
      }
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        client.raw += chunk
        buf += chunk
        let i = buf.indexOf('\n\n')
        while (i >= 0) {
          const block = buf.slice(0, i)
          buf = buf.slice(i + 2)
          const ev: SseEvent = { event: 'message', data: '', at: Date.now() }
          let hasData = false
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) ev.event = line.slice(7)
            else if (line.startsWith('data: ')) {
              ev.data += line.slice(6)
              hasData = true
            }
          }
          if (hasData) client.events.push(ev)
          i = buf.indexOf('\n\n')
        }
        for (const w of [...waiters]) w()
      })
      res.on('end', () => endedResolve())
      res.on('close', () => endedResolve())
      res.on('error', () => endedResolve())
      resolve(client)
    })
    req.on('error', reject)
  })
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
