// Settings of the benchmark: environment variables and command-line flags, with defaults sized for a 2-core machine
// and a run of under ten minutes. `node bench/run.js --help` lists them.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

const HELP = `npm run bench [-- options]

Runs the NGSI-LD broker benchmark against a fresh PostgreSQL database (created and dropped) and against the embedded
database (PGlite), prints a table and writes bench/results/latest.json.

Options (environment variable in brackets):
  --only=postgres|embedded    run one database only
  --entities=N                entities on PostgreSQL            [BENCH_ENTITIES, 100000]
  --embedded-entities=N       entities on the embedded database [BENCH_EMBEDDED_ENTITIES, 10000]
  --duration=S                seconds per throughput scenario   [BENCH_DURATION, 10]
  --connections=N             autocannon connections            [BENCH_CONNECTIONS, 50]
  --samples=N                 requests per latency scenario     [BENCH_SAMPLES, 300]
  --quick                     1/10 of the data, 3 s scenarios (a smoke test; figures are not comparable)
  --profile                   run the servers with --cpu-prof (profiles in bench/results/profiles/)
  --wait-idle[=M]             first wait up to M minutes (default 15) for the machine to be idle
PostgreSQL: BENCH_PG_URL [postgres://postgres@127.0.0.1:5432/postgres], a role that may CREATE DATABASE and
CREATE EXTENSION postgis. Load only ever goes to 127.0.0.1.`

function flag(argv, name) {
  const hit = argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))
  if (hit === undefined) return undefined
  return hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : 'true'
}

function int(v, def, name) {
  if (v === undefined || v === '') return def
  const n = Number(v)
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, not "${v}"`)
  return n
}

export function loadSettings(argv = process.argv.slice(2), env = process.env) {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${HELP}\n`)
    process.exit(0)
  }
  const quick = flag(argv, 'quick') === 'true'
  const only = flag(argv, 'only')
  if (only && only !== 'postgres' && only !== 'embedded') throw new Error('--only must be postgres or embedded')
  const s = {
    quick,
    only,
    profile: flag(argv, 'profile') === 'true',
    waitIdleMinutes: (() => {
      const w = flag(argv, 'wait-idle')
      return w === undefined ? 0 : w === 'true' ? 15 : int(w, 15, 'wait-idle')
    })(),
    pgUrl: env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    entities: int(flag(argv, 'entities') ?? env.BENCH_ENTITIES, quick ? 10_000 : 100_000, 'entities'),
    embeddedEntities: int(
      flag(argv, 'embedded-entities') ?? env.BENCH_EMBEDDED_ENTITIES,
      quick ? 2_000 : 10_000,
      'embedded-entities',
    ),
    duration: int(flag(argv, 'duration') ?? env.BENCH_DURATION, quick ? 3 : 10, 'duration'),
    warmup: quick ? 1 : 3,
    connections: int(flag(argv, 'connections') ?? env.BENCH_CONNECTIONS, 50, 'connections'),
    samples: int(flag(argv, 'samples') ?? env.BENCH_SAMPLES, quick ? 100 : 300, 'samples'),
    batchSize: 1000,
    /** Batches in flight while loading (one per core of this machine is plenty). */
    loadConcurrency: 2,
    resultsDir: path.join(ROOT, 'bench/results'),
  }
  const u = new URL(s.pgUrl)
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
    throw new Error(`BENCH_PG_URL must point to this machine (127.0.0.1), not ${u.hostname}`)
  }
  return s
}
