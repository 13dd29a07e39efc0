/**
 * The embedded MQTT broker (Aedes) that `urbe serve` starts when MQTT_URL is unset (port URBE_MQTT_PORT, 1884).
 * Messages are taken from the broker in-process (no client loop back): `authorizePublish` hands each device message
 * to the gateway and answers only once it is queued, so a QoS 1 PUBACK means "accepted", and a full queue slows the
 * publisher down (its next packets wait).
 *
 * Authentication: a client may connect anonymously, or with a service group's API key as its password (any user
 * name) or as its user name. It may publish only on device topics whose key is a known key (its own, if it
 * authenticated); a wrong key closes the connection (MQTT 3.1.1 has no negative PUBACK). It may subscribe only to
 * topics under a key it knows (no wildcard in the key level): a device subscribes to `/{apikey}/{deviceId}/cmd`.
 *
 * NGSI-LD notifications: a receiver that connects with an Urbe API key (`urbe_...`, as password or user name) may
 * subscribe to `ngsi-ld/{its tenant}/...`, where the notifier of that tenant's subscriptions publishes in-process.
 * Nobody publishes there over the network.
 */
import net from 'node:net'
import { Aedes, type Client } from 'aedes'
import type { Logger } from 'pino'
import type { Publisher } from '../commands/worker.js'
import { type Ingest, mqttInbound } from '../ingest.js'
import type { DeviceMetrics } from '../metrics.js'
import type { RegistryCache } from '../registry-cache.js'
import { NOTIFY_TOPIC_ROOT, notificationTopicTenant } from '../../ngsi-ld/subscriptions/local-mqtt.js'
import { parseTopic } from '../topics.js'

export interface EmbeddedBrokerDeps {
  host: string
  port: number
  ingest: Ingest
  registry: RegistryCache
  metrics: DeviceMetrics
  log: Logger
  /** Checks an Urbe API key; resolves to its tenant (receivers of NGSI-LD notifications). */
  verifyApiKey?: (key: string) => Promise<{ kind: string; tenant?: string }>
}

export interface EmbeddedBroker {
  port: number
  publisher: Publisher
  close(): Promise<void>
}

type AuthClient = Client & { urbeKey?: string; urbeTenant?: string }

function refused(message: string, returnCode = 4) {
  return Object.assign(new Error(message), { returnCode })
}

/** The key level of a subscription filter, when the filter is a device topic pattern under one key. */
function filterKey(filter: string): string | undefined {
  const seg = filter.split('/')
  if (seg[seg.length - 1] === '#') {
    const key = seg[seg.length - 2]
    return key && key !== '+' && !seg.slice(0, -2).includes('#') ? key : undefined
  }
  const t = parseTopic(filter)
  return t && !t.apikey.includes('+') && !t.apikey.includes('#') ? t.apikey : undefined
}

export async function startEmbeddedBroker(deps: EmbeddedBrokerDeps): Promise<EmbeddedBroker> {
  const { ingest, registry, metrics, log } = deps
  const aedes = await Aedes.createBroker({ maxClientsIdLength: 256, drainTimeout: 30_000, heartbeatInterval: 60_000 })

  aedes.authenticate = (client, username, password, done) => {
    const c = client as AuthClient
    const candidates = [password?.toString('utf8'), username].filter((x): x is string => !!x)
    if (candidates.length === 0) return done(null, true)
    void (async () => {
      for (const key of candidates) {
        if (key.startsWith('urbe_') && deps.verifyApiKey) {
          const p = await deps.verifyApiKey(key).catch(() => undefined)
          if (p?.kind === 'apikey' && p.tenant) {
            c.urbeTenant = p.tenant
            return done(null, true)
          }
          continue
        }
        if (await registry.group(key).catch(() => undefined)) {
          c.urbeKey = key
          return done(null, true)
        }
      }
      metrics.reject('_unknown', 'wrong_key')
      log.warn({ clientId: client.id }, 'MQTT connection refused: unknown API key')
      done(refused('unknown API key'), false)
    })()
  }

  aedes.authorizePublish = (client, packet, done) => {
    if (!client) return done(null)
    const c = client as AuthClient
    if (c.urbeTenant) return done(new Error('a notification receiver may not publish'))
    const t = parseTopic(packet.topic)
    if (!t || t.kind === 'cmd') {
      metrics.reject('_unknown', t ? 'not_allowed' : 'invalid_topic')
      return done(new Error(`publishing on "${packet.topic.slice(0, 100)}" is not allowed`))
    }
    if (c.urbeKey && c.urbeKey !== t.apikey) {
      metrics.reject('_unknown', 'wrong_key')
      return done(new Error('the topic names another API key than the connection'))
    }
    ingest.handle(mqttInbound(t, packet, client.id)).then((outcome) => {
      if (!outcome.ok && outcome.reason === 'wrong_key') done(new Error('unknown API key'))
      else done(null)
    }, done)
  }

  aedes.authorizeSubscribe = (client, sub, done) => {
    const c = client as AuthClient
    if (sub.topic.split('/')[0] === NOTIFY_TOPIC_ROOT) {
      const tenant = notificationTopicTenant(sub.topic)
      return done(null, tenant !== undefined && tenant === c.urbeTenant ? sub : null)
    }
    if (c.urbeTenant) return done(null, null)
    const key = filterKey(sub.topic)
    if (!key || (c.urbeKey && c.urbeKey !== key)) return done(null, null)
    registry.group(key).then(
      (g) => done(null, g ? sub : null),
      () => done(null, null),
    )
  }

  aedes.on('clientError', (client, err) => log.debug({ clientId: client.id, err: err.message }, 'MQTT client error'))
  aedes.on('connectionError', (client, err) =>
    log.debug({ clientId: client?.id, err: err.message }, 'MQTT connection error'),
  )

  const server = net.createServer(aedes.handle)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(deps.port, deps.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : deps.port
  metrics.mqttConnected.set(1)

  const publisher: Publisher = {
    get connected() {
      return !aedes.closed
    },
    publish(topic, payload, qos) {
      return new Promise((resolve, reject) =>
        aedes.publish(
          { cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: false, dup: false },
          (err) => (err ? reject(err) : resolve()),
        ),
      )
    },
  }

  return {
    port,
    publisher,
    async close() {
      metrics.mqttConnected.set(0)
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        aedes.close()
      })
    },
  }
}
