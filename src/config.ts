/**
 * Configuration is parsed once from the environment into a frozen, typed object. Every setting has a default that
 * works on a laptop; the README lists them all (keep `CONFIG_DOCS` and the README table in step).
 */
import os from 'node:os'
import path from 'node:path'
import { PROJECT_ROOT } from './paths.js'

export type Role = 'viewer' | 'operator' | 'admin'
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin']

export interface Config {
  readonly port: number
  readonly host: string
  readonly dataDir: string
  readonly databaseUrl: string | undefined
  readonly dbPoolSize: number
  readonly dbPrepare: boolean
  readonly logLevel: string
  readonly bodyLimit: number
  /** Largest mobility import (streamed CSV), bytes. */
  readonly mobilityImportLimit: number
  /** Days of synthetic mobility data (presence and flows) for the demo Comuni, up to yesterday; 0 = none. */
  readonly mobilityDemoDays: number
  readonly defaultTenant: string
  readonly anonymousRole: Role | undefined
  readonly sessionTtlHours: number
  readonly secureCookies: 'auto' | 'always' | 'never'
  readonly trustProxy: boolean
  readonly loginMaxAttempts: number
  readonly loginWindowMinutes: number
  readonly demo: boolean
  readonly demoAdminPassword: string
  readonly batchLimit: number
  readonly contextFetchTimeoutMs: number
  readonly shutdownTimeoutMs: number
  /** Device gateway (src/modules/devices) and demo simulator: see the README's configuration table. */
  readonly mqttUrl: string | undefined
  readonly mqttPort: number
  readonly mqttClientId: string
  readonly mqttSharedGroup: string
  readonly iotFlushMs: number
  readonly iotBatchSize: number
  readonly iotQueueLimit: number
  readonly iotDedupeSeconds: number
  readonly simulate: boolean
  readonly simulateBackfillDays: number
  /** Most attribute instances per attribute in one temporal API answer (clause 6.3.10; more: 206 + Content-Range). */
  readonly temporalInstanceLimit: number
  /** Months of NGSI-LD history kept (0 = all), by default and per tenant; whole monthly partitions are dropped. */
  readonly historyRetention: HistoryRetention
  /** NGSI-LD notifications (subscriptions): see the README's configuration table. */
  readonly notifyDelivery: boolean
  readonly notifyTimeoutMs: number
  readonly notifyRetryHours: number
  readonly notifyBackoffMaxMs: number
  readonly notifyEndpointConcurrency: number
  readonly notifyParallel: number
  readonly notifyBatch: number
  readonly notifyPollMs: number
  /** Public city portal (src/modules/portal) and its web app: see the README's configuration table. */
  readonly portalLiveMax: number
  readonly webDir: string
}

export interface HistoryRetention {
  readonly months: number
  readonly tenants: Readonly<Record<string, number>>
}

interface Setting {
  env: string
  default: string
  help: string
}

/** The documented settings (the README's configuration table mirrors this list). */
export const CONFIG_DOCS: readonly Setting[] = [
  { env: 'PORT', default: '8080', help: 'HTTP port' },
  { env: 'HOST', default: '0.0.0.0', help: 'HTTP listen address' },
  {
    env: 'URBE_DATA_DIR',
    default: './.urbe',
    help: 'folder of the embedded database (used when DATABASE_URL is unset)',
  },
  {
    env: 'DATABASE_URL',
    default: '(unset: embedded PGlite)',
    help: 'PostgreSQL URL, e.g. postgres://user@127.0.0.1:5432/urbe',
  },
  { env: 'URBE_DB_POOL', default: '10', help: 'PostgreSQL pool size' },
  {
    env: 'URBE_DB_PREPARE',
    default: 'true',
    help: 'named (prepared) statements for repeated SQL; false behind a transaction-pooling PgBouncer',
  },
  { env: 'LOG_LEVEL', default: 'info', help: 'pino level: fatal, error, warn, info, debug, trace, silent' },
  { env: 'URBE_BODY_LIMIT', default: '10485760', help: 'largest request body in bytes (10 MB)' },
  {
    env: 'URBE_MOBILITY_IMPORT_LIMIT',
    default: '4294967296',
    help: 'largest mobility import file in bytes (4 GiB; the file streams, it is never held in memory)',
  },
  {
    env: 'URBE_MOBILITY_DEMO_DAYS',
    default: '400',
    help: 'with the demo city: days of synthetic mobile-network presence and flows for the demo Comuni (0 = none)',
  },
  { env: 'URBE_DEFAULT_TENANT', default: '046017', help: 'tenant (ISTAT code) used when a request names none' },
  {
    env: 'URBE_ANONYMOUS_ROLE',
    default: '(unset)',
    help: 'open mode: requests without credentials act with this role (viewer, operator, admin)',
  },
  { env: 'URBE_SESSION_TTL_HOURS', default: '12', help: 'lifetime of a login session' },
  {
    env: 'URBE_SECURE_COOKIES',
    default: 'auto',
    help: 'Secure cookie flag: auto (when the request came over TLS), always, never',
  },
  { env: 'URBE_TRUST_PROXY', default: 'false', help: 'trust X-Forwarded-* headers from a reverse proxy' },
  {
    env: 'URBE_LOGIN_MAX_ATTEMPTS',
    default: '10',
    help: 'failed logins allowed per user name and per address in the window',
  },
  { env: 'URBE_LOGIN_WINDOW_MINUTES', default: '15', help: 'window of the login rate limit' },
  { env: 'URBE_DEMO', default: 'true', help: 'seed the demo Comuni and the demo login at start' },
  { env: 'URBE_DEMO_PASSWORD', default: 'urbe-demo', help: 'password of the demo superadmin `admin` (created once)' },
  { env: 'URBE_BATCH_LIMIT', default: '1000', help: 'most entities in one NGSI-LD batch operation' },
  { env: 'URBE_CONTEXT_TIMEOUT_MS', default: '5000', help: 'timeout for fetching a user @context' },
  { env: 'URBE_SHUTDOWN_TIMEOUT_MS', default: '10000', help: 'how long a shutdown waits for in-flight requests' },
  {
    env: 'MQTT_URL',
    default: '(unset: embedded broker)',
    help: 'external MQTT broker of the device gateway, e.g. mqtt://127.0.0.1:1883 (Mosquitto)',
  },
  { env: 'URBE_MQTT_PORT', default: '1884', help: 'port of the embedded MQTT broker (when MQTT_URL is unset)' },
  {
    env: 'URBE_MQTT_CLIENT_ID',
    default: 'urbe-<host>-<PORT>',
    help: 'client id (persistent session) of the gateway on the external broker',
  },
  {
    env: 'URBE_MQTT_SHARED_GROUP',
    default: 'urbe',
    help: 'external broker: shared subscription group ($share/<group>/...), so that several servers split the messages; empty: plain subscriptions',
  },
  { env: 'URBE_IOT_FLUSH_MS', default: '50', help: 'the gateway writes queued measurements at least this often' },
  { env: 'URBE_IOT_BATCH_SIZE', default: '8000', help: 'measurements that trigger a write at once' },
  {
    env: 'URBE_IOT_QUEUE_LIMIT',
    default: '12000',
    help: 'measurements queued in memory before devices are slowed down (MQTT) or refused with 503 (HTTP)',
  },
  {
    env: 'URBE_IOT_DEDUPE_SECONDS',
    default: '600',
    help: 'window in which a repeated timestamped payload of a device (a QoS 1 redelivery) is dropped',
  },
  { env: 'URBE_SIMULATE', default: 'true', help: '`urbe serve` with the demo: simulate the demo sensor network' },
  {
    env: 'URBE_SIMULATE_BACKFILL_DAYS',
    default: '30',
    help: 'days of hourly history the simulator writes once, in the background, on the first start',
  },
  {
    env: 'URBE_TEMPORAL_INSTANCE_LIMIT',
    default: '1000',
    help: 'most instances per attribute in one temporal API answer (more: 206 with Content-Range)',
  },
  {
    env: 'URBE_HISTORY_RETENTION_MONTHS',
    default: '0',
    help: 'months of NGSI-LD history kept (0 = all); per tenant: 24,046017=60,015170=12',
  },
  {
    env: 'URBE_NOTIFY_DELIVERY',
    default: 'true',
    help: 'deliver NGSI-LD notifications from this process (false: only record them for other processes)',
  },
  { env: 'URBE_NOTIFY_TIMEOUT_MS', default: '10000', help: 'timeout of one notification (an endpoint timeout wins)' },
  {
    env: 'URBE_NOTIFY_RETRY_HOURS',
    default: '24',
    help: 'how long an undelivered notification is retried before it is dropped',
  },
  {
    env: 'URBE_NOTIFY_BACKOFF_MAX_MS',
    default: '60000',
    help: 'longest wait between two retries to a failing endpoint (the wait doubles from 250 ms)',
  },
  {
    env: 'URBE_NOTIFY_ENDPOINT_CONCURRENCY',
    default: '4',
    help: 'notifications in flight at once to one endpoint (host:port), per process',
  },
  { env: 'URBE_NOTIFY_PARALLEL', default: '32', help: 'subscriptions being delivered at once, per process' },
  { env: 'URBE_NOTIFY_BATCH', default: '200', help: 'most entities in one notification' },
  {
    env: 'URBE_NOTIFY_POLL_MS',
    default: '1000',
    help: 'how often a process looks for due notifications when nothing woke it',
  },
  {
    env: 'URBE_PORTAL_LIVE_MAX',
    default: '500',
    help: 'open live feeds (/api/portal/{tenant}/live, Server-Sent Events) per process; more answer 503',
  },
  {
    env: 'URBE_WEB_DIR',
    default: 'web/dist',
    help: 'built web app served at / (with index.html for every other page); missing: a placeholder page',
  },
]

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return def
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`)
  }
  return n
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name]?.toLowerCase()
  if (raw === undefined || raw === '') return def
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`)
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], def: T | undefined): T | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return def
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`)
  }
  return raw as T
}

export const TENANT_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

/** `N` or `N,<tenant>=M,...`: months of history kept by default and per tenant (0 = keep everything). */
function retention(env: Env, name: string): HistoryRetention {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return Object.freeze({ months: 0, tenants: Object.freeze({}) })
  const months = (v: string | undefined) => {
    const n = Number(v)
    if (v === undefined || !/^\d+$/.test(v) || n > 1200) {
      throw new ConfigError(`${name} must be months (0 to 1200), optionally with <tenant>=<months> items, got "${raw}"`)
    }
    return n
  }
  const [first, ...rest] = raw.split(',').map((x) => x.trim())
  const tenants: Record<string, number> = {}
  let def = 0
  for (const [i, item] of [first ?? '', ...rest].entries()) {
    const eq = item.indexOf('=')
    if (eq < 0 && i === 0) def = months(item)
    else {
      const tenant = item.slice(0, eq)
      if (eq < 0 || !TENANT_ID_RE.test(tenant)) throw new ConfigError(`${name}: "${item}" is not <tenant>=<months>`)
      tenants[tenant] = months(item.slice(eq + 1))
    }
  }
  return Object.freeze({ months: def, tenants: Object.freeze(tenants) })
}

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const defaultTenant = env.URBE_DEFAULT_TENANT || '046017'
  if (!TENANT_ID_RE.test(defaultTenant))
    throw new ConfigError(`URBE_DEFAULT_TENANT is not a valid tenant id: "${defaultTenant}"`)
  const config: Config = {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.URBE_DATA_DIR || '.urbe'),
    databaseUrl: env.DATABASE_URL || undefined,
    dbPoolSize: int(env, 'URBE_DB_POOL', 10, 1, 500),
    dbPrepare: bool(env, 'URBE_DB_PREPARE', true),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info') as string,
    bodyLimit: int(env, 'URBE_BODY_LIMIT', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    mobilityImportLimit: int(env, 'URBE_MOBILITY_IMPORT_LIMIT', 4 * 1024 ** 3, 1024, 1024 ** 4),
    mobilityDemoDays: int(env, 'URBE_MOBILITY_DEMO_DAYS', 400, 0, 1000),
    defaultTenant,
    anonymousRole: oneOf(env, 'URBE_ANONYMOUS_ROLE', ['viewer', 'operator', 'admin'], undefined),
    sessionTtlHours: int(env, 'URBE_SESSION_TTL_HOURS', 12, 1, 24 * 365),
    secureCookies: oneOf(env, 'URBE_SECURE_COOKIES', ['auto', 'always', 'never'], 'auto') as 'auto',
    trustProxy: bool(env, 'URBE_TRUST_PROXY', false),
    loginMaxAttempts: int(env, 'URBE_LOGIN_MAX_ATTEMPTS', 10, 1, 10_000),
    loginWindowMinutes: int(env, 'URBE_LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60),
    demo: bool(env, 'URBE_DEMO', true),
    demoAdminPassword: env.URBE_DEMO_PASSWORD || 'urbe-demo',
    batchLimit: int(env, 'URBE_BATCH_LIMIT', 1000, 1, 100_000),
    contextFetchTimeoutMs: int(env, 'URBE_CONTEXT_TIMEOUT_MS', 5000, 50, 120_000),
    shutdownTimeoutMs: int(env, 'URBE_SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    mqttUrl: env.MQTT_URL || undefined,
    mqttPort: int(env, 'URBE_MQTT_PORT', 1884, 0, 65535),
    mqttClientId: env.URBE_MQTT_CLIENT_ID || `urbe-${os.hostname()}-${env.PORT || '8080'}`,
    mqttSharedGroup: env.URBE_MQTT_SHARED_GROUP ?? 'urbe',
    iotFlushMs: int(env, 'URBE_IOT_FLUSH_MS', 50, 1, 10_000),
    iotBatchSize: int(env, 'URBE_IOT_BATCH_SIZE', 8000, 1, 100_000),
    iotQueueLimit: int(env, 'URBE_IOT_QUEUE_LIMIT', 12_000, 100, 10_000_000),
    iotDedupeSeconds: int(env, 'URBE_IOT_DEDUPE_SECONDS', 600, 0, 86_400),
    simulate: bool(env, 'URBE_SIMULATE', true),
    simulateBackfillDays: int(env, 'URBE_SIMULATE_BACKFILL_DAYS', 30, 0, 3650),
    temporalInstanceLimit: int(env, 'URBE_TEMPORAL_INSTANCE_LIMIT', 1000, 1, 100_000),
    historyRetention: retention(env, 'URBE_HISTORY_RETENTION_MONTHS'),
    notifyDelivery: bool(env, 'URBE_NOTIFY_DELIVERY', true),
    notifyTimeoutMs: int(env, 'URBE_NOTIFY_TIMEOUT_MS', 10_000, 100, 600_000),
    notifyRetryHours: int(env, 'URBE_NOTIFY_RETRY_HOURS', 24, 1, 24 * 30),
    notifyBackoffMaxMs: int(env, 'URBE_NOTIFY_BACKOFF_MAX_MS', 60_000, 10, 3_600_000),
    notifyEndpointConcurrency: int(env, 'URBE_NOTIFY_ENDPOINT_CONCURRENCY', 4, 1, 1000),
    notifyParallel: int(env, 'URBE_NOTIFY_PARALLEL', 32, 1, 10_000),
    notifyBatch: int(env, 'URBE_NOTIFY_BATCH', 200, 1, 10_000),
    notifyPollMs: int(env, 'URBE_NOTIFY_POLL_MS', 1000, 10, 600_000),
    portalLiveMax: int(env, 'URBE_PORTAL_LIVE_MAX', 500, 1, 100_000),
    webDir: path.resolve(PROJECT_ROOT, env.URBE_WEB_DIR || path.join('web', 'dist')),
    ...overrides,
  }
  return Object.freeze(config)
}
