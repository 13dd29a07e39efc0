/**
 * A test app on a fresh database, with two tenants and users, sessions and API keys for every role in each.
 * Tenant A = 046017 (Lucca), tenant B = 015170 (Pero).
 */
import type { InjectOptions } from 'fastify'
import type { Response as InjectResponse } from 'light-my-request'
import { type App, buildApp } from '../../src/app.js'
import type { Config, Role } from '../../src/config.js'
import { loadConfig } from '../../src/config.js'
import { openTestDatabase, type TestDatabase } from './test-db.js'

export const A = '046017'
export const B = '015170'
export const PASSWORD = 'correct horse battery'
const SYS = { name: 'test' }

export interface Session {
  cookie: string
  csrf: string
}

export interface TestApp extends App {
  database: TestDatabase
  config: Config
  keys: Record<string, Record<Role, string>>
  /** Log in (user names: root, a-admin, a-operator, a-viewer, b-admin). */
  login(username: string, password?: string): Promise<Session>
  /** inject with an API key, a session, or nothing. */
  call(opts: InjectOptions & { key?: string; session?: Session }): Promise<InjectResponse>
  close(): Promise<void>
}

export async function createTestApp(
  env: Record<string, string> = {},
  overrides: Partial<Config> = {},
): Promise<TestApp> {
  const database = await openTestDatabase()
  // No built web app unless a test gives one (URBE_WEB_DIR / webDir): unknown paths stay 404 whether web/dist exists.
  const config = loadConfig(
    { LOG_LEVEL: 'silent', URBE_DEMO: 'false', URBE_WEB_DIR: 'test/fixtures/no-web-app', ...env },
    overrides,
  )
  const built = await buildApp({ database, config })
  const { services, app } = built
  await services.tenants.create({ id: A, name: 'Lucca', province: 'Lucca', region: 'Toscana', population: 89000 }, SYS)
  await services.tenants.create(
    { id: B, name: 'Pero', province: 'Milano', region: 'Lombardia', population: 11000 },
    SYS,
  )
  await services.users.create({ username: 'root', password: PASSWORD, superadmin: true }, SYS)
  const users: [string, string, Role][] = [
    ['a-admin', A, 'admin'],
    ['a-operator', A, 'operator'],
    ['a-viewer', A, 'viewer'],
    ['b-admin', B, 'admin'],
  ]
  for (const [name, tenant, role] of users) {
    const u = await services.users.create({ username: name, password: PASSWORD }, SYS)
    await services.users.setRole(tenant, u.id, role, SYS)
  }
  const keys: TestApp['keys'] = {}
  for (const t of [A, B]) {
    keys[t] = {} as Record<Role, string>
    for (const role of ['viewer', 'operator', 'admin'] as Role[]) {
      keys[t]![role] = (await services.apiKeys.create(t, { name: `${role} key`, role }, SYS)).key
    }
  }

  async function login(username: string, password = PASSWORD): Promise<Session> {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`)
    const c = res.cookies.find((x) => x.name === 'urbe_session')!
    return { cookie: `urbe_session=${c.value}`, csrf: res.json().csrfToken }
  }

  function call(opts: InjectOptions & { key?: string; session?: Session }): Promise<InjectResponse> {
    const { key, session, ...rest } = opts
    const headers: Record<string, string> = { ...((rest.headers as Record<string, string>) ?? {}) }
    if (key) headers.authorization = `Bearer ${key}`
    if (session) {
      headers.cookie = session.cookie
      headers['x-csrf-token'] = session.csrf
    }
    return app.inject({ ...rest, headers })
  }

  return {
    ...built,
    database,
    config,
    keys,
    login,
    call,
    async close() {
      await app.close()
      await database.close()
    },
  }
}

/**
 * A caller of the NGSI-LD API (`/ngsi-ld/v1` + url) with an optional JSON payload; `key` is read at each call (tests
 * set their key in beforeAll).
 */
export function ngsiCaller(app: () => TestApp, key: () => string) {
  return (method: string, url: string, payload?: unknown) =>
    app().call({
      method: method as 'GET',
      url: `/ngsi-ld/v1${url}`,
      key: key(),
      ...(payload === undefined ? {} : { payload: payload as object }),
    })
}
