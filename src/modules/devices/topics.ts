/**
 * MQTT topic layout of the FIWARE IoT agents, under an optional per-group prefix:
 *   {prefix}/{apikey}/{deviceId}/attrs            all measures (JSON object or UltraLight)
 *   {prefix}/{apikey}/{deviceId}/attrs/{objectId} one measure, the payload is its value
 *   {prefix}/{apikey}/{deviceId}/cmd              commands to the device (published by the gateway)
 *   {prefix}/{apikey}/{deviceId}/cmdexe           the device's answers to commands
 * With no prefix the topic starts with "/" (`/{apikey}/...`) as in FIWARE; `/json/{apikey}/...` and `/ul/{apikey}/...`
 * (FIWARE's protocol-tagged topics) are accepted too and fix the payload format.
 */
import type { PayloadFormat } from './model.js'

export interface DeviceTopic {
  prefix: string
  apikey: string
  deviceId: string
  kind: 'attrs' | 'attr' | 'cmd' | 'cmdexe'
  objectId?: string
  format?: PayloadFormat
}

export function parseTopic(topic: string): DeviceTopic | undefined {
  const seg = topic.split('/')
  const n = seg.length
  let kind: DeviceTopic['kind']
  let end: number // index after deviceId
  let objectId: string | undefined
  if (seg[n - 1] === 'attrs' || seg[n - 1] === 'cmd' || seg[n - 1] === 'cmdexe') {
    kind = seg[n - 1] as 'attrs' | 'cmd' | 'cmdexe'
    end = n - 1
  } else if (n >= 4 && seg[n - 2] === 'attrs') {
    kind = 'attr'
    objectId = seg[n - 1]
    end = n - 2
  } else return undefined
  if (end < 2) return undefined
  const deviceId = seg[end - 1]!
  const apikey = seg[end - 2]!
  if (!deviceId || !apikey || objectId === '') return undefined
  let prefix = seg.slice(0, end - 2).join('/')
  if (prefix.startsWith('/')) prefix = prefix.slice(1)
  let format: PayloadFormat | undefined
  if (prefix === 'json' || prefix === 'ul') {
    format = prefix
    prefix = ''
  }
  return { prefix, apikey, deviceId, kind, ...(objectId ? { objectId } : {}), ...(format ? { format } : {}) }
}

const base = (prefix: string) => (prefix ? prefix : '')

export function commandTopic(prefix: string, apikey: string, deviceId: string): string {
  return `${base(prefix)}/${apikey}/${deviceId}/cmd`
}

export function attrsTopic(prefix: string, apikey: string, deviceId: string): string {
  return `${base(prefix)}/${apikey}/${deviceId}/attrs`
}

/** What the gateway subscribes to on an external broker for groups with these prefixes. */
export function subscriptionFilters(prefixes: readonly string[]): string[] {
  const out: string[] = []
  for (const p of new Set(prefixes)) {
    const roots = p ? [p] : ['', '/json', '/ul']
    for (const r of roots) out.push(`${r}/+/+/attrs`, `${r}/+/+/attrs/+`, `${r}/+/+/cmdexe`)
  }
  return out
}
