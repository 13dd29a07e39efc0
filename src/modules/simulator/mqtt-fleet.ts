/**
 * The simulated devices on MQTT: one connection per Comune (its group's API key as user name, which the embedded
 * broker checks), publishing readings on `/{apikey}/{deviceId}/attrs` and answering commands from
 * `/{apikey}/+/cmd` on `/cmdexe`, as real devices would.
 */
import mqtt, { type MqttClient } from 'mqtt'
import { attrsTopic, parseTopic } from '../devices/topics.js'
import { payloadOf, type Reading, type Simulator } from './simulator.js'

export interface FleetConnection {
  publish(readings: Reading[], qos?: 0 | 1): Promise<void>
  close(): Promise<void>
}

export async function connectFleet(
  url: string,
  sim: Simulator,
  keys: ReadonlyMap<string, string>,
  log: { warn(o: object, m: string): void },
): Promise<FleetConnection> {
  const clients = new Map<string, MqttClient>()
  for (const [istat, apikey] of keys) {
    const c = await mqtt.connectAsync(url, {
      clientId: `urbe-sim-${istat}-${process.pid}`,
      username: apikey,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
    })
    c.on('error', (e) => log.warn({ err: e.message }, 'simulator: MQTT error'))
    c.on('message', (topic, payload) => {
      const t = parseTopic(topic)
      if (t?.kind !== 'cmd') return
      const answer = sim.command(t.deviceId, payload.toString('utf8'))
      if (answer) c.publish(`${topic}exe`, answer, { qos: 1 })
    })
    await c.subscribeAsync(`/${apikey}/+/cmd`, { qos: 1 })
    clients.set(istat, c)
  }
  return {
    async publish(readings, qos = 0) {
      await Promise.all(
        readings.map((r) => {
          const c = clients.get(r.device.plan.istat)
          const key = keys.get(r.device.plan.istat)
          if (!c || !key) return undefined
          return c.publishAsync(attrsTopic('', key, r.device.deviceId), payloadOf(r), { qos })
        }),
      )
    },
    async close() {
      await Promise.all([...clients.values()].map((c) => c.endAsync().catch(() => c.end(true))))
    },
  }
}
