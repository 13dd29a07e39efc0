/** The platform's services, built once per app from explicit dependencies (no container, no globals). */
import type { Config } from './config.js'
import type { Database } from './db/database.js'
import { createAuditService } from './modules/audit/service.js'
import { createApiKeyService } from './modules/auth/apikey-service.js'
import { createSessionService } from './modules/auth/session-service.js'
import { createUserService } from './modules/auth/users-service.js'
import { createTenantService } from './modules/tenants/service.js'

export function createServices(database: Database, config: Config) {
  const db = database.db
  const audit = createAuditService(db)
  return {
    audit,
    tenants: createTenantService(db, audit),
    users: createUserService(db, audit),
    sessions: createSessionService(db, config, audit),
    apiKeys: createApiKeyService(db, audit),
  }
}

export type Services = ReturnType<typeof createServices>
