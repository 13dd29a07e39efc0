/** `urbe simulate`: the demo Comuni's sensor network as an outside fleet, over a running server's API and MQTT. */
import { DEMO_PLANS, fleetOf } from '../modules/simulator/fleet.js'
import { login, provisionOverHttp } from '../modules/simulator/http-client.js'
import { connectFleet } from '../modules/simulator/mqtt-fleet.js'
import { createSimulator } from '../modules/simulator/simulator.js'
import type { Config } from '../config.js'
import { parse, readStdin, UsageError } from './args.js'
import type { Io } from './commands.js'

export const SIMULATE_HELP = `urbe simulate [--server URL] [--mqtt URL] [--comuni 046017,015170,020030] [--seed N]
               [--speed X] [--backfill DAYS] [--start ISO-TIME] [--duration SECONDS]
               [--user NAME] [--password-stdin]
  Simulates the sensor network of the demo Comuni (Lucca, Pero, Mantova: air quality, weather, traffic, parking,
  waste, street lights, energy, council rooms, people counters, Wi-Fi) and publishes it over MQTT like real devices.
  It provisions the devices through the server's API (--server, default http://localhost:$PORT; as --user, default
  admin, password from --password-stdin, URBE_PASSWORD or URBE_DEMO_PASSWORD) and publishes to --mqtt (default
  MQTT_URL or the embedded broker mqtt://localhost:$URBE_MQTT_PORT). --seed makes runs repeatable, --speed runs the
  clock faster (60: a minute per second), --backfill first publishes DAYS days of hourly history (with timestamps),
  --duration stops after that many seconds (default: until Ctrl-C). Run the server with --no-simulate, or its own
  simulator publishes too.`

export async function simulateCmd(args: string[], config: Config, io: Io): Promise<void> {
  const { values } = parse(args, {
    server: { type: 'string' },
    mqtt: { type: 'string' },
    comuni: { type: 'string' },
    seed: { type: 'string' },
    speed: { type: 'string' },
    backfill: { type: 'string' },
    start: { type: 'string' },
    duration: { type: 'string' },
    user: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  })
  if (values.help) return io.out(SIMULATE_HELP)
  const num = (name: string, def: number, min: number, max: number) => {
    const v = values[name] === undefined ? def : Number(values[name])
    if (!Number.isFinite(v) || v < min || v > max)
      throw new UsageError(`--${name} must be a number from ${min} to ${max}`)
    return v
  }
  const seed = num('seed', 1, 0, 2 ** 31)
  const speed = num('speed', 1, 0.01, 100_000)
  const backfillDays = num('backfill', 0, 0, 3650)
  const duration = num('duration', 0, 0, 10 ** 9)
  const start = values.start === undefined ? undefined : Date.parse(values.start)
  if (start !== undefined && Number.isNaN(start)) throw new UsageError('--start is an ISO 8601 time')
  const tenants = (values.comuni ?? DEMO_PLANS.map((p) => p.istat).join(',')).split(',').map((s: string) => s.trim())
  const unknown = tenants.filter((t: string) => !DEMO_PLANS.some((p) => p.istat === t))
  if (unknown.length) throw new UsageError(`not a demo Comune: ${unknown.join(', ')} (046017, 015170, 020030)`)
  const server = (values.server ?? `http://localhost:${config.port}`).replace(/\/$/, '')
  const mqttUrl = values.mqtt ?? config.mqttUrl ?? `mqtt://localhost:${config.mqttPort}`
  const password = values['password-stdin']
    ? await readStdin()
    : (process.env.URBE_PASSWORD ?? config.demoAdminPassword)

  const call = await login(server, values.user ?? 'admin', password)
  const keys = await provisionOverHttp(call, tenants)
  const devices = DEMO_PLANS.filter((p) => keys.has(p.istat)).flatMap(fleetOf)
  io.out(`provisioned ${devices.length} devices in ${[...keys.keys()].join(', ')}`)
  const sim = createSimulator({ seed, speed, devices, ...(start !== undefined ? { start } : {}) })
  await sim.warm()
  const log = { warn: (o: object, m: string) => io.out(`${m} ${JSON.stringify(o)}`) }
  const fleet = await connectFleet(mqttUrl, sim, keys, log)
  let stop = false
  const onSignal = () => {
    stop = true
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    if (backfillDays > 0) {
      const to = sim.now()
      const from = to - backfillDays * 86_400_000
      const hours = backfillDays * 24
      let n = 0
      const began = Date.now()
      for (const { readings } of sim.backfill(from, to)) {
        if (stop) break
        await fleet.publish(readings, 1) // QoS 1: the broker's acknowledgements pace the backfill
        if (++n % 24 === 0) io.out(`backfill: ${n / 24} of ${backfillDays} days (${Math.round((100 * n) / hours)}%)`)
      }
      io.out(`backfill: ${n} hours of ${devices.length} devices in ${Math.round((Date.now() - began) / 1000)} s`)
    }
    io.out(`live: publishing to ${mqttUrl.replace(/\/\/[^@/]*@/, '//***@')} at ${speed}x (Ctrl-C stops)`)
    const ends = duration ? Date.now() + duration * 1000 : Number.POSITIVE_INFINITY
    let sent = 0
    while (!stop && Date.now() < ends) {
      const due = sim.due()
      await fleet.publish(due, 1)
      sent += due.length
      await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, ends - Date.now()))))
    }
    io.out(`live: ${sent} messages`)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await fleet.close()
  }
}
