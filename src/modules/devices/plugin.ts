/**
 * The device gateway: registry, transports (MQTT embedded or external, HTTP), the measurement queue, commands.
 *
 * Wiring (src/app.ts): `createDeviceHooks()` first, its `listener` given to the NGSI-LD broker (commands are recorded
 * in the transaction of the change), then `createDevices({... ngsi, hooks})`. `buildApp` registers the routes; the
 * MQTT side and the workers run only after `start()` (`urbe serve`, or a test that asks), and `stop()` (on app close)
 * closes the transports first, then writes every queued measurement.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { Config } from '../../config.js'
import type { Database } from '../../db/database.js'
import type { Metrics } from '../../http/metrics.js'
import type { Services } from '../../services.js'
import type { NgsiLd } from '../ngsi-ld/plugin.js'
import { createCommandIndex } from './commands/command-index.js'
import { createCommandListener } from './commands/listener.js'
import { createResultHandler } from './commands/results.js'
import { createStatusWriter } from './commands/status-writer.js'
import { createCommandWorker, type Publisher } from './commands/worker.js'
import { createDeduper } from './dedupe.js'
import { createStatusTracker } from './device-status.js'
import { httpTransportRoutes } from './http-transport.js'
import { createIngest, type Inbound } from './ingest.js'
import { createDeviceMetrics } from './metrics.js'
import type { ServiceGroup } from './model.js'
import { startEmbeddedBroker } from './mqtt/embedded-broker.js'
import { connectExternal } from './mqtt/external-client.js'
import { createRegistryCache, type BoundDevice } from './registry-cache.js'
import * as repo from './repo.js'
import { deviceRoutes } from './routes.js'
import { createDeviceRegistry } from './service.js'
import { createWriteQueue } from './write-queue.js'

export function createDeviceHooks() {
  const gatewayWrite = new AsyncLocalStorage<boolean>()
  const index = createCommandIndex()
  let wake = () => {}
  const listener = createCommandListener(index, gatewayWrite, () => wake())
  return {
    gatewayWrite,
    index,
    /** The NGSI-LD ChangeListener that records commands. */
    listener,
    onCommandRecorded(fn: () => void) {
      wake = fn
    },
  }
}

export type DeviceHooks = ReturnType<typeof createDeviceHooks>

export interface DevicesDeps {
  database: Database
  config: Config
  services: Services
  metrics: Metrics
  log: Logger
  ngsi: NgsiLd
  hooks: DeviceHooks
}

interface Transport {
  kind: 'embedded' | 'external'
  publisher: Publisher
  port?: number
  refreshSubscriptions?(): Promise<void>
  close(): Promise<void>
}

export function createDevices(deps: DevicesDeps) {
  const { database, config, ngsi, hooks } = deps
  const db = database.db
  const log = deps.log.child({ module: 'devices' })
  const metrics = createDeviceMetrics(deps.metrics.registry)
  const cache = createRegistryCache(db, ngsi.resolver)
  const status = createStatusTracker(db)
  const dedupe = createDeduper({ contentWindowMs: config.iotDedupeSeconds * 1000 })
  const queue = createWriteQueue({
    batch: ngsi.batch,
    gatewayWrite: hooks.gatewayWrite,
    flushMs: config.iotFlushMs,
    batchSize: config.iotBatchSize,
    limit: config.iotQueueLimit,
    lanes: database.kind === 'postgres' ? 2 : 1,
    metrics,
    log,
    onRejected: (m, why) => {
      metrics.reject(m.tenant, 'write_failed', m.deviceId)
      status.error(m.tenant, m.deviceId, `not stored: ${why}`)
    },
  })
  let transport: Transport | undefined
  const reloadIndex = () => hooks.index.reload(db, ngsi.resolver)

  const registry = createDeviceRegistry({
    db,
    batch: ngsi.batch,
    resolver: ngsi.resolver,
    audit: deps.services.audit,
    gatewayWrite: hooks.gatewayWrite,
    batchLimit: config.batchLimit,
    onChange(c) {
      if (c.apikey) cache.invalidateGroup(c.apikey, c.tenant)
      for (const id of c.deviceIds ?? []) cache.invalidateDevice(c.tenant, id)
      void reloadIndex().catch((e) => log.warn({ err: e }, 'command index reload failed'))
      if (c.apikey) void transport?.refreshSubscriptions?.().catch(() => {})
    },
    async statusOf(tenant, deviceId) {
      await status.flush()
      return repo.getStatus(db, tenant, deviceId)
    },
  })

  const writeStatus = createStatusWriter(queue, ngsi.resolver)
  const commandResult = createResultHandler({
    db,
    writeStatus,
    metrics,
    report(d, message) {
      metrics.reject(d.tenant, 'malformed', d.deviceId)
      status.error(d.tenant, d.deviceId, message)
    },
  })

  const provisioning = new Map<string, Promise<BoundDevice | undefined>>()
  async function autoprovision(group: ServiceGroup, deviceId: string, m: Inbound) {
    const k = `${group.tenant}\u0000${deviceId}`
    let p = provisioning.get(k)
    if (!p) {
      p = (async () => {
        await registry.provision(
          group.tenant,
          [{ device_id: deviceId, apikey: group.apikey, protocol: m.format ?? group.protocol, transport: m.transport }],
          { existing: 'skip', actor: { name: 'system:iot-autoprovision' }, autoprovisioned: true },
        )
        status.forgetUnknown(group.apikey, deviceId)
        cache.invalidateDevice(group.tenant, deviceId)
        return cache.device(group, deviceId)
      })().finally(() => provisioning.delete(k))
      provisioning.set(k, p)
    }
    return p
  }

  const ingest = createIngest({ registry: cache, queue, dedupe, status, metrics, log, autoprovision, commandResult })

  const worker = createCommandWorker({
    db,
    publisher: () => transport?.publisher,
    writeStatus,
    warmContexts: async (urls) => {
      for (const u of urls) await ngsi.resolver.resolve(u).catch(() => undefined)
    },
    reloadIndex,
    metrics,
    log,
  })
  hooks.onCommandRecorded(() => worker.wake())

  let statusTimer: NodeJS.Timeout | undefined
  let started = false
  let stopping: Promise<void> | undefined

  return {
    registry,
    ingest,
    queue,
    status,
    worker,
    metrics,
    /** The command index must know the commands before the first write that could carry one. */
    reloadIndex,

    routes(app: FastifyInstance) {
      deviceRoutes(app, { services: deps.services, registry, status, db })
      httpTransportRoutes(app, ingest, config.bodyLimit, { registry: cache, worker })
    },

    /** The MQTT transport in use, once started. */
    get mqtt(): { kind: 'embedded' | 'external'; port?: number } | undefined {
      return transport
        ? { kind: transport.kind, ...(transport.port !== undefined ? { port: transport.port } : {}) }
        : undefined
    },

    /** Starts the workers and, unless `mqtt: false`, the embedded broker or the connection to MQTT_URL. */
    async start(opts: { mqtt?: boolean } = {}): Promise<void> {
      if (started) return
      started = true
      await reloadIndex()
      statusTimer = setInterval(() => {
        status.flush().catch((e) => log.warn({ err: e }, 'device status write failed'))
      }, 2000)
      statusTimer.unref()
      if (opts.mqtt !== false) {
        if (config.mqttUrl) {
          const c = connectExternal({
            url: config.mqttUrl,
            clientId: config.mqttClientId,
            sharedGroup: config.mqttSharedGroup,
            ingest,
            prefixes: () => repo.topicPrefixes(db).then((p) => (p.includes('') ? p : ['', ...p])),
            metrics,
            log,
          })
          transport = { kind: 'external', ...c }
        } else {
          const b = await startEmbeddedBroker({
            host: config.host,
            port: config.mqttPort,
            ingest,
            registry: cache,
            metrics,
            log,
            verifyApiKey: (key) => deps.services.apiKeys.verify(key),
          })
          transport = { kind: 'embedded', port: b.port, publisher: b.publisher, close: b.close }
          ngsi.localMqtt.broker = {
            port: b.port,
            publish: (topic, payload, qos) => b.publisher.publish(topic, payload, qos),
          }
        }
      }
      worker.start()
    },

    /** Stops taking messages, writes every queued measurement, stops the workers. Idempotent. */
    stop(): Promise<void> {
      stopping ??= (async () => {
        const t = transport
        transport = undefined
        ngsi.localMqtt.broker = undefined
        if (t) {
          await Promise.race([t.close(), new Promise((r) => setTimeout(r, 3000).unref())]).catch((e) =>
            log.warn({ err: e }, 'MQTT close failed'),
          )
        }
        await worker.stop()
        await queue.close()
        if (statusTimer) clearInterval(statusTimer)
        await status.flush().catch((e) => log.warn({ err: e }, 'device status write failed'))
      })()
      return stopping
    },
  }
}

export type Devices = ReturnType<typeof createDevices>
