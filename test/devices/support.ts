/**
 * A test app with the device gateway started: on the embedded broker (Aedes, a free port), or on the real Mosquitto
 * when URBE_TEST_MQTT_URL is set (CI's second pass: mqtt://127.0.0.1:1883). Each app gets its own shared-subscription
 * group and client id, so that test files running at once on one Mosquitto do not take each other's messages.
 */
import { randomBytes } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import { A, createTestApp, type TestApp } from '../support/app.js'

export const EXTERNAL_MQTT = process.env.URBE_TEST_MQTT_URL || undefined

export interface GatewayApp extends TestApp {
  /** URL devices connect to. */
  mqttUrl: string
  /** Connects an MQTT client (closed with the app). */
  client(opts?: mqtt.IClientOptions): Promise<MqttClient>
  /** Creates a service group in tenant A (operator key) and returns it. */
  group(body?: Record<string, unknown>, tenant?: string): Promise<{ apikey: string; topic_prefix: string }>
  /** Provisions devices in tenant A. */
  provision(devices: Record<string, unknown>[], tenant?: string): Promise<void>
  /** The entity in normalized form (tenant A), or undefined. */
  entity(id: string, tenant?: string): Promise<Record<string, any> | undefined>
  /** Polls until `check` returns a truthy value (or fails after `ms`). */
  until<T>(check: () => Promise<T | undefined | false>, ms?: number): Promise<T>
}

export async function createGatewayApp(env: Record<string, string> = {}): Promise<GatewayApp> {
  const run = randomBytes(4).toString('hex')
  const t = await createTestApp({
    HOST: '127.0.0.1',
    URBE_MQTT_PORT: '0',
    URBE_IOT_FLUSH_MS: '20',
    ...(EXTERNAL_MQTT
      ? { MQTT_URL: EXTERNAL_MQTT, URBE_MQTT_CLIENT_ID: `urbe-test-${run}`, URBE_MQTT_SHARED_GROUP: `t${run}` }
      : {}),
    ...env,
  })
  await t.devices.start()
  const port = t.devices.mqtt?.port
  const mqttUrl = EXTERNAL_MQTT ?? `mqtt://127.0.0.1:${port}`
  const clients: MqttClient[] = []
  const operator = (tenant: string) => t.keys[tenant]!.operator

  const app: GatewayApp = {
    ...t,
    mqttUrl,
    async client(opts = {}) {
      const c = await mqtt.connectAsync(mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000, ...opts })
      clients.push(c)
      return c
    },
    async group(body = {}, tenant = A) {
      const res = await t.call({
        method: 'POST',
        url: `/api/tenants/${tenant}/iot/services`,
        key: operator(tenant),
        payload: { entity_type: 'Thing', ...body },
      })
      if (res.statusCode !== 201) throw new Error(`group: ${res.statusCode} ${res.body}`)
      return res.json().services[0]
    },
    async provision(devices, tenant = A) {
      const res = await t.call({
        method: 'POST',
        url: `/api/tenants/${tenant}/iot/devices`,
        key: operator(tenant),
        payload: { devices },
      })
      if (res.statusCode !== 201) throw new Error(`provision: ${res.statusCode} ${res.body}`)
    },
    async entity(id, tenant = A) {
      const res = await t.call({
        method: 'GET',
        url: `/ngsi-ld/v1/entities/${encodeURIComponent(id)}`,
        key: t.keys[tenant]!.viewer,
        headers: { 'ngsild-tenant': tenant },
      })
      return res.statusCode === 200 ? res.json() : undefined
    },
    async until(check, ms = 10_000) {
      const end = Date.now() + ms
      for (;;) {
        const v = await check()
        if (v) return v as never
        if (Date.now() > end) throw new Error('condition not met in time')
        await new Promise((r) => setTimeout(r, 25))
      }
    },
    async close() {
      for (const c of clients) await c.endAsync(true).catch(() => {})
      await t.close()
    },
  }
  return app
}
