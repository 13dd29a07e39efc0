/**
 * The embedded MQTT broker as the notifier sees it. When a subscription's endpoint names the embedded broker
 * (`mqtt://localhost:1884/...` while this process runs it), the notification is handed to the broker in-process: it
 * needs no credentials, and its topic must lie under `ngsi-ld/{tenant}/` of the subscription's own tenant, where only
 * receivers holding an API key of that tenant may subscribe. Other brokers (Mosquitto) are reached over the network.
 */
export const NOTIFY_TOPIC_ROOT = 'ngsi-ld'

export interface LocalMqttBroker {
  port: number
  publish(topic: string, payload: string, qos: 0 | 1): Promise<void>
}

export interface LocalMqtt {
  /** Set by the device gateway while its embedded broker runs. */
  broker: LocalMqttBroker | undefined
  /** The embedded broker, when `url` names it. */
  target(url: URL): LocalMqttBroker | undefined
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '0.0.0.0'])

export function createLocalMqtt(): LocalMqtt {
  return {
    broker: undefined,
    target(url) {
      const b = this.broker
      if (!b || url.protocol !== 'mqtt:' || !LOCAL_HOSTS.has(url.hostname)) return undefined
      return Number(url.port || 1883) === b.port ? b : undefined
    },
  }
}

/** The tenant a notification topic belongs to (`ngsi-ld/{tenant}/...`), or undefined. */
export function notificationTopicTenant(topic: string): string | undefined {
  const seg = topic.split('/')
  if (seg.length < 3 || seg[0] !== NOTIFY_TOPIC_ROOT) return undefined
  const t = seg[1]!
  return t && !t.includes('+') && !t.includes('#') && seg.slice(2).join('/') !== '' ? t : undefined
}
