/** `urbe`: the command line. Exit codes: 0 ok, 1 failure, 2 usage error. */
import { ConfigError, loadConfig } from '../config.js'
import { DataDirLockedError } from '../db/data-dir-lock.js'
import { AppError } from '../errors.js'
import { startServer } from '../server.js'
import { VERSION } from '../version.js'
import { UsageError, parse } from './args.js'
import { apikeyCmd, HELP, type Io, migrateCmd, tenantCmd, userCmd } from './commands.js'
import { DEVICE_HELP, deviceCmd } from './devices.js'
import { mobilityCmd } from './mobility.js'
import { SIMULATE_HELP, simulateCmd } from './simulate.js'
import { ServerError } from '../modules/simulator/http-client.js'

const MAIN_HELP = `urbe ${VERSION}: open smart-city platform

Usage: urbe <command> [options]

Commands:
  serve                 run the platform (default port 8080; see the README for settings)
  migrate               apply database migrations
  tenant add|list       manage Comuni (tenants)
  user add|passwd       manage local accounts
  apikey create|list|revoke   manage API keys of a Comune
  device group|add|list|show|import|remove   manage the device registry (sensors) of a Comune
  mobility import|zones|imports|k   mobility data of a Comune: presence and flows, zones, k-threshold
  simulate              publish the demo Comuni's simulated sensor network over MQTT

Run "urbe <command> --help" for a command's options. Settings come from environment variables
(DATABASE_URL, URBE_DATA_DIR, PORT, ...): see the README's configuration table.`

const SERVE_HELP = `urbe serve [--port N] [--no-demo] [--no-simulate]
  Run the platform. Without DATABASE_URL it uses the embedded database in URBE_DATA_DIR (./.urbe).
  Without MQTT_URL it starts the embedded MQTT broker on URBE_MQTT_PORT (1884). With the demo it also simulates the
  demo Comuni's sensor network (--no-simulate or URBE_SIMULATE=false: not).`

export async function run(argv: string[], io: Io = { out: (s) => process.stdout.write(`${s}\n`) }): Promise<number> {
  const [cmd, ...rest] = argv
  try {
    if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      io.out(MAIN_HELP)
      return cmd ? 0 : 2
    }
    if (cmd === '--version' || cmd === '-v') {
      io.out(VERSION)
      return 0
    }
    const config = loadConfig()
    switch (cmd) {
      case 'serve': {
        const { values } = parse(rest, {
          port: { type: 'string' },
          'no-demo': { type: 'boolean' },
          'no-simulate': { type: 'boolean' },
        })
        if (values.help) {
          io.out(SERVE_HELP)
          return 0
        }
        const port = values.port === undefined ? undefined : Number(values.port)
        if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
          throw new UsageError('--port must be 0..65535')
        await startServer(
          loadConfig(process.env, {
            ...(port !== undefined ? { port } : {}),
            ...(values['no-demo'] ? { demo: false } : {}),
            ...(values['no-simulate'] ? { simulate: false } : {}),
          }),
          { handleSignals: true },
        )
        return -1 // keeps running
      }
      case 'migrate':
        await migrateCmd(rest, config, io)
        return 0
      case 'tenant':
        await tenantCmd(rest, config, io)
        return 0
      case 'user':
        await userCmd(rest, config, io)
        return 0
      case 'apikey':
        await apikeyCmd(rest, config, io)
        return 0
      case 'device':
        await deviceCmd(rest, config, io)
        return 0
      case 'simulate':
        await simulateCmd(rest, config, io)
        return 0
      case 'mobility':
        await mobilityCmd(rest, config, io)
        return 0
      default:
        throw new UsageError(`unknown command "${cmd}"\n\n${MAIN_HELP}`)
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`urbe: ${e.message}\n`)
      return 2
    }
    if (
      e instanceof AppError ||
      e instanceof ConfigError ||
      e instanceof DataDirLockedError ||
      e instanceof ServerError
    ) {
      process.stderr.write(`urbe: ${e.message}\n`)
      return 1
    }
    process.stderr.write(`urbe: unexpected error: ${(e as Error).stack ?? e}\n`)
    return 1
  }
}

export { DEVICE_HELP, HELP, SIMULATE_HELP }
