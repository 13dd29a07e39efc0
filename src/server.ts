/**
 * Runs the platform: opens the database (embedded or PostgreSQL), applies migrations, seeds the demo, listens, and on
 * SIGINT/SIGTERM stops taking requests, finishes those in flight and closes the database cleanly.
 */
import pino from 'pino'
import { buildApp } from './app.js'
import type { Config } from './config.js'
import { openDatabase } from './db/database.js'
import { migrate } from './db/migrate.js'
import { seedDemo } from './demo/seed.js'
import { seedMobilityDemo } from './modules/mobility/demo/seed.js'
import { startDemoSimulation } from './modules/simulator/runner.js'

export interface RunningServer {
  url: string
  close(): Promise<void>
}

export async function startServer(config: Config, opts: { handleSignals?: boolean } = {}): Promise<RunningServer> {
  const started = Date.now()
  const log = pino({
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
  })
  log.info({ database: config.databaseUrl ? 'postgres' : `embedded (${config.dataDir})` }, 'opening database')
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
    prepare: config.dbPrepare,
  })
  const m = await migrate(database, undefined, (mig) =>
    log.info({ version: mig.version }, `applying migration ${mig.name}`),
  )
  log.info({ applied: m.applied.length, version: m.current }, 'database schema up to date')
  const { app, services, devices } = await buildApp({ database, config, log })
  if (config.demo) {
    const seeded = await seedDemo(services, config)
    if (seeded.createdTenants.length) log.info({ tenants: seeded.createdTenants }, 'demo Comuni created')
  }
  if (config.anonymousRole) {
    log.warn(
      `OPEN MODE: requests without credentials act with the "${config.anonymousRole}" role (URBE_ANONYMOUS_ROLE). Do not use in production.`,
    )
  }
  // The device gateway: the embedded MQTT broker (or the connection to MQTT_URL) and its workers.
  await devices.start()
  await app.listen({ port: config.port, host: config.host })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr ? addr.port : config.port
  const url = `http://localhost:${port}`

  let simulation: { stop(): Promise<void> } | undefined
  let mobilitySeed: Promise<unknown> | undefined
  let stopping = false
  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      const timer = setTimeout(() => {
        log.error('shutdown timed out; exiting')
        process.exit(1)
      }, config.shutdownTimeoutMs)
      timer.unref()
      // Stop accepting; in-flight requests finish. Keep-alive sockets that turn idle once their request is answered
      // are closed as they do, so the shutdown does not wait for the clients to hang up.
      stopping = true
      await simulation?.stop()
      await mobilitySeed
      const sweeper = setInterval(() => app.server.closeIdleConnections(), 50)
      try {
        await app.close()
      } finally {
        clearInterval(sweeper)
      }
      await database.close()
      clearTimeout(timer)
      log.info('stopped cleanly')
    })()
    return closing
  }
  if (opts.handleSignals) {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.once(sig, () => {
        log.info({ signal: sig }, 'shutting down')
        close().then(
          () => process.exit(0),
          (e) => {
            log.error({ err: e }, 'shutdown failed')
            process.exit(1)
          },
        )
      })
    }
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1)
  log.info({ url, startupSeconds: Number(secs) }, 'Urbe is ready')
  const lines = [`\n  Urbe is ready at ${url}  (started in ${secs} s)`, `  API docs: ${url}/docs`]
  const mq = devices.mqtt
  if (mq)
    lines.push(
      `  MQTT: ${mq.kind === 'embedded' ? `mqtt://localhost:${mq.port} (embedded broker)` : `${config.mqttUrl?.replace(/\/\/[^@/]*@/, '//***@')} (external broker)`}`,
    )
  if (config.demo)
    lines.push(
      `  Demo login: admin / ${config.demoAdminPassword === 'urbe-demo' ? 'urbe-demo' : '(URBE_DEMO_PASSWORD)'}`,
    )
  process.stdout.write(`${lines.join('\n')}\n\n`)
  if (config.demo && config.mobilityDemoDays > 0) {
    // In the background: synthetic presence and flows for the demo Comuni (only the days not stored yet).
    mobilitySeed = seedMobilityDemo({
      db: database.db,
      days: config.mobilityDemoDays,
      log,
      stopped: () => stopping,
    }).catch((e) => log.error({ err: e }, 'mobility demo data failed'))
  }
  if (config.demo && config.simulate) {
    // In the background, after the server is ready: provisioning, live data, then the backfill (logged as it goes).
    simulation = await startDemoSimulation({
      database,
      devices,
      log,
      mqttUrl: config.mqttUrl ?? `mqtt://127.0.0.1:${devices.mqtt?.port ?? config.mqttPort}`,
      backfillDays: config.simulateBackfillDays,
      pace: database.kind === 'pglite' ? 60 : 2000,
    })
  }
  return { url, close }
}
