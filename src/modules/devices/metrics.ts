/**
 * Prometheus metrics of the device gateway, on the app's registry. Per-device series exist only for devices that had
 * an error (and at most MAX_DEVICE_SERIES of them, the rest as device="_other"), so that a large healthy fleet, or a
 * flood of made-up device ids, does not explode the number of series.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { RejectReason } from './model.js'

const MAX_DEVICE_SERIES = 2000

export function createDeviceMetrics(registry: Registry) {
  const registers = [registry]
  const messages = new Counter({
    name: 'urbe_iot_messages_total',
    help: 'Device messages received, by tenant and transport',
    labelNames: ['tenant', 'transport'] as const,
    registers,
  })
  const measurements = new Counter({
    name: 'urbe_iot_measurements_total',
    help: 'Measured attribute values written to the context broker, by tenant',
    labelNames: ['tenant'] as const,
    registers,
  })
  const rejected = new Counter({
    name: 'urbe_iot_rejected_total',
    help: 'Device messages (or parts of them) not stored, by tenant and reason',
    labelNames: ['tenant', 'reason'] as const,
    registers,
  })
  const deviceErrors = new Counter({
    name: 'urbe_iot_device_errors_total',
    help: 'Errors per device (malformed payload, unknown device, wrong key), for devices that had any',
    labelNames: ['tenant', 'device', 'reason'] as const,
    registers,
  })
  const duplicates = new Counter({
    name: 'urbe_iot_duplicates_total',
    help: 'Redelivered messages dropped (QoS 1 duplicates), by tenant',
    labelNames: ['tenant'] as const,
    registers,
  })
  const queued = new Gauge({
    name: 'urbe_iot_queue_measurements',
    help: 'Measurements waiting in memory for the next batch write',
    registers,
  })
  const flushSeconds = new Histogram({
    name: 'urbe_iot_flush_duration_seconds',
    help: 'Duration of one batch write of measurements',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  })
  const latency = new Histogram({
    name: 'urbe_iot_ingest_latency_seconds',
    help: 'From receipt of a message to the commit of its measurements',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  })
  const writeFailures = new Counter({
    name: 'urbe_iot_write_failures_total',
    help: 'Batch writes that failed and were retried',
    registers,
  })
  const commands = new Counter({
    name: 'urbe_iot_commands_total',
    help: 'Device commands by tenant and state reached (PENDING when published, OK, ERROR, EXPIRED)',
    labelNames: ['tenant', 'status'] as const,
    registers,
  })
  const mqttConnected = new Gauge({
    name: 'urbe_iot_mqtt_connected',
    help: '1 when the gateway is connected to its MQTT broker (embedded: listening)',
    registers,
  })
  const mqttReconnects = new Counter({
    name: 'urbe_iot_mqtt_reconnects_total',
    help: 'Reconnection attempts to the external MQTT broker',
    registers,
  })
  const deviceSeries = new Set<string>()

  return {
    messages,
    measurements,
    duplicates,
    queued,
    flushSeconds,
    latency,
    writeFailures,
    commands,
    mqttConnected,
    mqttReconnects,
    reject(tenant: string, reason: RejectReason, device?: string) {
      rejected.inc({ tenant, reason })
      if (device === undefined) return
      const id = `${tenant}/${device}`
      if (!deviceSeries.has(id) && deviceSeries.size >= MAX_DEVICE_SERIES) device = '_other'
      else deviceSeries.add(id)
      deviceErrors.inc({ tenant, device, reason })
    },
  }
}

export type DeviceMetrics = ReturnType<typeof createDeviceMetrics>
