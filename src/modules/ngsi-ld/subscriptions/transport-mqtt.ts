/**
 * MQTT notifications (endpoint `mqtt://[user:pass@]host[:port]/topic`, `mqtts://`): the message is
 * `{ "metadata": { headers }, "body": notification }` published to the topic of the URI with the QoS of the
 * `MQTT-QoS` notifierInfo (or receiverInfo) entry, default 0, and MQTT 3.1.1 unless `MQTT-Version` says mqtt5.0.
 * One connection per broker (and credentials), kept while it is used and closed after a minute idle.
 */
import { randomBytes } from 'node:crypto'
import { connectAsync, type MqttClient } from 'mqtt'
import { type LocalMqtt, NOTIFY_TOPIC_ROOT, notificationTopicTenant } from './local-mqtt.js'
import type { KeyValue } from './model.js'
import type { SendResult } from './transport-http.js'

export interface MqttTransport {
  publish(
    uri: string,
    message: string,
    info: { notifierInfo?: KeyValue[]; receiverInfo?: KeyValue[] },
    timeoutMs: number,
    tenant: string,
  ): Promise<SendResult>
  close(): Promise<void>
}

interface Conn {
  client: Promise<MqttClient>
  lastUsed: number
}

const IDLE_MS = 60_000

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)
  })
  return Promise.race([p, t]).finally(() => clearTimeout(timer))
}

export function mqttInfo(info: { notifierInfo?: KeyValue[]; receiverInfo?: KeyValue[] }) {
  const all = [...(info.receiverInfo ?? []), ...(info.notifierInfo ?? [])]
  const get = (k: string) => all.filter((kv) => kv.key === k).at(-1)?.value
  return { qos: Number(get('MQTT-QoS') ?? 0) as 0 | 1 | 2, version: get('MQTT-Version') === 'mqtt5.0' ? 5 : 4 }
}

export function createMqttTransport(local?: LocalMqtt): MqttTransport {
  const conns = new Map<string, Conn>()
  const sweeper = setInterval(() => {
    const now = Date.now()
    for (const [key, c] of conns) {
      if (now - c.lastUsed < IDLE_MS) continue
      conns.delete(key)
      c.client.then((cl) => cl.endAsync()).catch(() => {})
    }
  }, IDLE_MS / 2)
  sweeper.unref()

  function connection(url: URL, version: 4 | 5, timeoutMs: number): Promise<MqttClient> {
    const broker = `${url.protocol}//${url.host}`
    const key = `${url.username}:${url.password}@${broker}#${version}`
    const hit = conns.get(key)
    if (hit) {
      hit.lastUsed = Date.now()
      return hit.client
    }
    const client = connectAsync(broker, {
      clientId: `urbe-notifier-${randomBytes(6).toString('hex')}`,
      protocolVersion: version,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
      clean: true,
    })
    const conn: Conn = { client, lastUsed: Date.now() }
    conns.set(key, conn)
    const forget = () => {
      if (conns.get(key) === conn) conns.delete(key)
    }
    client.then((c) => c.on('close', forget), forget)
    return client
  }

  return {
    async publish(uri, message, info, timeoutMs, tenant) {
      const url = new URL(uri)
      const topic = decodeURIComponent(url.pathname.replace(/^\//, ''))
      const { qos, version } = mqttInfo(info)
      const embedded = local?.target(url)
      if (embedded) {
        if (notificationTopicTenant(topic) !== tenant) {
          return {
            ok: false,
            error: `MQTT: on the embedded broker, notification topics lie under ${NOTIFY_TOPIC_ROOT}/${tenant}/`,
          }
        }
        try {
          await withTimeout(embedded.publish(topic, message, qos > 0 ? 1 : 0), timeoutMs, 'MQTT publish')
          return { ok: true }
        } catch (e) {
          return { ok: false, error: `MQTT: ${(e as Error).message ?? String(e)}` }
        }
      }
      try {
        const client = await withTimeout(connection(url, version as 4 | 5, timeoutMs), timeoutMs, 'MQTT connect')
        await withTimeout(client.publishAsync(topic, message, { qos }), timeoutMs, 'MQTT publish')
        return { ok: true }
      } catch (e) {
        return { ok: false, error: `MQTT: ${(e as Error).message ?? String(e)}` }
      }
    },
    async close() {
      clearInterval(sweeper)
      const all = [...conns.values()]
      conns.clear()
      await Promise.all(all.map((c) => c.client.then((cl) => cl.endAsync(true)).catch(() => {})))
    },
  }
}
