/**
 * The gateway on an external broker (MQTT_URL, e.g. Mosquitto): subscribes (QoS 1, persistent session) to the device
 * topics of every group's prefix, as a shared subscription (`$share/<group>/...`) so that several Urbe servers split
 * the messages. A message is acknowledged (PUBACK) once queued; while the queue is full the acknowledgement waits,
 * which stops the broker from sending more (its in-flight window). When the broker goes away the client reconnects
 * with exponential backoff (0.5 s doubling to 30 s); the persistent session keeps what arrived meanwhile.
 */
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import type { Publisher } from '../commands/worker.js'
import { type Ingest, mqttInbound } from '../ingest.js'
import type { DeviceMetrics } from '../metrics.js'
import { parseTopic, subscriptionFilters } from '../topics.js'

export interface ExternalClientDeps {
  url: string
  clientId: string
  sharedGroup: string
  ingest: Ingest
  /** The topic prefixes of all groups (the subscriptions follow them). */
  prefixes(): Promise<string[]>
  metrics: DeviceMetrics
  log: Logger
}

export interface ExternalClient {
  publisher: Publisher
  refreshSubscriptions(): Promise<void>
  close(): Promise<void>
}

const MAX_BACKOFF_MS = 30_000

function redact(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'mqtt://?'
  }
}

export function connectExternal(deps: ExternalClientDeps): ExternalClient {
  const { ingest, metrics, log } = deps
  let attempts = 0
  let subscribed = new Set<string>()
  let closing = false
  const client: MqttClient = mqtt.connect(deps.url, {
    clientId: deps.clientId,
    clean: false,
    reconnectPeriod: 500,
    connectTimeout: 10_000,
    keepalive: 30,
    resubscribe: true,
    // mqtt.js traces every packet through `debug` (several calls per message even when disabled): no tracing
    log: () => {},
  })

  const share = (f: string) => (deps.sharedGroup ? `$share/${deps.sharedGroup}/${f}` : f)

  // mqtt.js handles one packet at a time and writes each PUBACK as it goes (one socket write, one system call, per
  // message). Corking the socket until the packets of this read are handled sends their acknowledgements together.
  let corked: NodeJS.WritableStream | undefined
  const uncork = () => {
    const s = corked as unknown as { uncork?: () => void } | undefined
    corked = undefined
    s?.uncork?.()
  }
  client.handleMessage = (packet: IPublishPacket, callback: (err?: Error) => void) => {
    const stream = client.stream as unknown as { cork?: () => void } | undefined
    if (!corked && stream?.cork) {
      stream.cork()
      corked = client.stream
      setImmediate(uncork)
    }
    const t = parseTopic(packet.topic)
    if (!t || t.kind === 'cmd') return callback()
    ingest.handle(mqttInbound(t, packet, deps.clientId)).then(
      () => callback(),
      () => callback(),
    )
  }

  client.on('connect', () => {
    if (attempts > 0) log.info({ broker: redact(deps.url) }, 'MQTT: reconnected')
    attempts = 0
    client.options.reconnectPeriod = 500
    metrics.mqttConnected.set(1)
    void refresh().catch((e) => log.warn({ err: e }, 'MQTT: subscribing failed'))
  })
  client.on('close', () => {
    metrics.mqttConnected.set(0)
    if (closing) return
    attempts++
    metrics.mqttReconnects.inc()
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(attempts, 6)) * (0.8 + Math.random() * 0.4)
    // mqtt.js retries at a fixed period: re-arm its timer with the backoff delay.
    const c = client as unknown as { reconnectTimer?: NodeJS.Timeout | null; _setupReconnect(): void }
    if (c.reconnectTimer) {
      clearInterval(c.reconnectTimer)
      c.reconnectTimer = null
      client.options.reconnectPeriod = Math.round(delay)
      c._setupReconnect()
    }
    if (attempts === 1 || attempts % 10 === 0) {
      log.warn({ broker: redact(deps.url), attempts, retryInMs: Math.round(delay) }, 'MQTT: broker unreachable')
    }
  })
  client.on('error', (e) => log.debug({ err: e.message }, 'MQTT client error'))

  async function refresh(): Promise<void> {
    if (!client.connected) return
    const wanted = new Set(subscriptionFilters(await deps.prefixes()).map(share))
    const add = [...wanted].filter((f) => !subscribed.has(f))
    const remove = [...subscribed].filter((f) => !wanted.has(f))
    if (add.length) await client.subscribeAsync(add, { qos: 1 })
    if (remove.length) await client.unsubscribeAsync(remove)
    subscribed = wanted
  }

  const publisher: Publisher = {
    get connected() {
      return client.connected
    },
    async publish(topic, payload, qos) {
      let timer: NodeJS.Timeout | undefined
      try {
        await Promise.race([
          client.publishAsync(topic, payload, { qos }),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('MQTT publish timed out')), 10_000)
          }),
        ])
      } finally {
        clearTimeout(timer)
      }
    },
  }

  return {
    publisher,
    refreshSubscriptions: refresh,
    async close() {
      closing = true
      metrics.mqttConnected.set(0)
      await client.endAsync(false).catch(() => client.end(true))
    },
  }
}
