/**
 * Builds the Fastify app without listening: `buildApp({ database, config })`. Tests use `app.inject()`;
 * `server.ts` listens. Every module is registered here with its dependencies passed in.
 */
import { randomUUID } from 'node:crypto'
import cookie from '@fastify/cookie'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { Config } from './config.js'
import type { Database } from './db/database.js'
import { registerContentTypes } from './http/content-types.js'
import { createMetrics, type Metrics, registerMetricsHooks } from './http/metrics.js'
import { errorHandler, notFoundHandler } from './http/problem.js'
import { problemSchema } from './http/schemas.js'
import { auditRoutes } from './modules/audit/routes.js'
import { registerAuthHook } from './modules/auth/hook.js'
import { authRoutes } from './modules/auth/routes.js'
import { createDeviceHooks, createDevices, type Devices } from './modules/devices/plugin.js'
import { createMobility, type Mobility } from './modules/mobility/plugin.js'
import { createNgsiLd, type NgsiLd } from './modules/ngsi-ld/plugin.js'
import { opsRoutes } from './modules/ops/routes.js'
import { createPortal, type Portal } from './modules/portal/plugin.js'
import { tenantRoutes } from './modules/tenants/routes.js'
import { webRoutes } from './modules/web/routes.js'
import { createServices, type Services } from './services.js'
import { VERSION } from './version.js'

export interface AppDeps {
  database: Database
  config: Config
  /** A pino logger; by default one at config.logLevel. */
  log?: Logger
}

export interface RouteInfo {
  method: string
  url: string
}

export interface App {
  app: FastifyInstance
  /** Every route of the app (for tests that must cover all routes, and for the docs). */
  routes: RouteInfo[]
  services: Services
  metrics: Metrics
  ngsi: NgsiLd
  /** The device gateway: routes are registered; its MQTT side and workers run after `devices.start()`. */
  devices: Devices
  /** The public portal (/api/portal): its service and live feeds. */
  portal: Portal
  /** Mobility and tourism analytics (/api/mobility). */
  mobility: Mobility
}

const REQUEST_ID_RE = /^[A-Za-z0-9._-]{1,64}$/
const TENANT_IN_PATH = /^\/api\/tenants\/([A-Za-z0-9_-]{1,64})(?:[/?]|$)/

export async function buildApp(deps: AppDeps): Promise<App> {
  const { database, config } = deps
  const app: FastifyInstance = Fastify({
    ...(deps.log
      ? { loggerInstance: deps.log as unknown as FastifyBaseLogger }
      : {
          logger: {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          },
        }),
    // Every log line of a request names its tenant: the /api/tenants/{id}/ path, else the NGSILD-Tenant header.
    childLoggerFactory: (logger, bindings, opts, raw) => {
      const header = raw.headers['ngsild-tenant']
      const tenant =
        TENANT_IN_PATH.exec(raw.url ?? '')?.[1] ?? (typeof header === 'string' ? header.slice(0, 64) : undefined)
      return logger.child(tenant ? { ...bindings, tenant } : bindings, opts)
    },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID()
    },
    routerOptions: { maxParamLength: 1024, ignoreTrailingSlash: true },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  })
  const routes: RouteInfo[] = []
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push({ method: m, url: r.url })
  })
  const services = createServices(database, config)
  const metrics = createMetrics(database)

  app.addSchema({ $id: 'problem', ...problemSchema })
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
  // Hooks on every request are callback-style: an async hook costs a promise and a microtask per request.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id)
    done(null, payload)
  })
  registerContentTypes(app, config.bodyLimit)
  await app.register(cookie)
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Urbe',
        version: VERSION,
        description: 'Open smart-city platform: NGSI-LD context broker, Comuni, users and access, operations.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key: Authorization: Bearer urbe_...' },
          session: { type: 'apiKey', in: 'cookie', name: 'urbe_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: false })
  registerAuthHook(app, services, config)
  registerMetricsHooks(app, metrics)

  opsRoutes(app, { database, config, metrics })
  authRoutes(app, services, config)
  tenantRoutes(app, services)
  auditRoutes(app, services)
  const deviceHooks = createDeviceHooks()
  const portal = createPortal({ database, config, services })
  const ngsi = createNgsiLd({ db: database.db, config, services }, [deviceHooks.listener, portal.listener])
  ngsi.routes(app)
  portal.routes(app, ngsi)
  const devices = createDevices({
    database,
    config,
    services,
    metrics,
    log: app.log as unknown as Logger,
    ngsi,
    hooks: deviceHooks,
  })
  devices.routes(app)
  const mobility = createMobility({ database, config, services, ngsi })
  mobility.routes(app)
  app.addHook('onClose', () => devices.stop())
  webRoutes(app, config)

  await app.ready()
  return { app, routes, services, metrics, ngsi, devices, portal, mobility }
}
