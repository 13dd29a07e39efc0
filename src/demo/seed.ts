/**
 * Seeds the demo: the three Comuni with their boundaries, and the demo superadmin `admin` (created once; its password
 * is URBE_DEMO_PASSWORD). Idempotent: safe at every start.
 */
import type { Config } from '../config.js'
import type { Services } from '../services.js'
import { boundaryOf, DEMO_COMUNI } from './comuni.js'

const ACTOR = { name: 'system:demo-seed' }

export interface SeedResult {
  createdTenants: string[]
  createdAdmin: boolean
}

export async function seedDemo(services: Services, config: Config): Promise<SeedResult> {
  const createdTenants: string[] = []
  for (const c of DEMO_COMUNI) {
    if (await services.tenants.exists(c.id)) continue
    await services.tenants.create(
      {
        id: c.id,
        name: c.name,
        province: c.province,
        region: c.region,
        population: c.population,
        timezone: 'Europe/Rome',
        boundary: boundaryOf(c.id, c.boundaryFile),
      },
      ACTOR,
    )
    createdTenants.push(c.id)
  }
  let createdAdmin = false
  if (!(await services.users.findByName('admin'))) {
    await services.users.create(
      { username: 'admin', password: config.demoAdminPassword, displayName: 'Amministratore demo', superadmin: true },
      ACTOR,
    )
    createdAdmin = true
  }
  return { createdTenants, createdAdmin }
}
