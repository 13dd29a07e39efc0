/**
 * `urbe simulate` as an outside fleet: provisions the demo devices through a running server's admin API (a login
 * session of a user who administers the Comuni, the demo superadmin by default), then speaks MQTT like real devices.
 */
import { DEMO_GROUP_DESCRIPTION, DEMO_PLANS, demoGroupInput, fleetOf, provisioningInput } from './fleet.js'

export class ServerError extends Error {}

export async function login(server: string, username: string, password: string) {
  const r = await fetch(`${server}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  }).catch((e: Error) => {
    throw new ServerError(`cannot reach ${server}: ${e.message} (is "urbe serve" running? see --server)`)
  })
  if (r.status !== 200) throw new ServerError(`login as ${username} failed: ${r.status} ${await r.text()}`)
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const { csrfToken } = (await r.json()) as { csrfToken: string }
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    const text = await res.text()
    if (res.status >= 400) throw new ServerError(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`)
    return text ? JSON.parse(text) : undefined
  }
}

/** The simulator's group key of each Comune, creating groups and devices where missing. */
export async function provisionOverHttp(
  call: Awaited<ReturnType<typeof login>>,
  tenants: string[],
): Promise<Map<string, string>> {
  const keys = new Map<string, string>()
  for (const plan of DEMO_PLANS.filter((p) => tenants.includes(p.istat))) {
    const base = `/api/tenants/${plan.istat}/iot`
    const list = (await call('GET', `${base}/services`)) as { services: { apikey: string; description?: string }[] }
    let key = list.services.find((g) => g.description === DEMO_GROUP_DESCRIPTION)?.apikey
    if (!key)
      key = ((await call('POST', `${base}/services`, demoGroupInput())) as { services: { apikey: string }[] })
        .services[0]!.apikey
    await call('POST', `${base}/devices?existing=skip`, {
      devices: fleetOf(plan).map((d) => provisioningInput(d, key!)),
    })
    keys.set(plan.istat, key)
  }
  return keys
}
