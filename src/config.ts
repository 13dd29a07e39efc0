/**
 * Configuration is parsed once from the environment into a frozen, typed object. Every setting has a default that
 * works on a laptop; the README lists them all (keep `CONFIG_DOCS` and the README table in step).
 */
import path from 'node:path'

export type Role = 'viewer' | 'operator' | 'admin'
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin']

export interface Config {
  readonly port: number
  readonly host: string
  readonly dataDir: string
  readonly databaseUrl: string | undefined
  readonly dbPoolSize: number
  readonly logLevel: string
  readonly bodyLimit: number
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
  { env: 'LOG_LEVEL', default: 'info', help: 'pino level: fatal, error, warn, info, debug, trace, silent' },
  { env: 'URBE_BODY_LIMIT', default: '10485760', help: 'largest request body in bytes (10 MB)' },
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
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info') as string,
    bodyLimit: int(env, 'URBE_BODY_LIMIT', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
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
    ...overrides,
  }
  return Object.freeze(config)
}
