/** Requests index.html starts before the app's code has loaded (see its inline script), taken over once. */
import type { Category, CityNow, Tenant } from './types'

interface Boot {
  tenants?: Promise<Tenant[]>
  city?: Promise<{ id: string; now: Promise<CityNow>; categories: Promise<Category[]> } | null>
}

function boot(): Boot {
  const g = globalThis as { __urbeBoot?: Boot }
  if (!g.__urbeBoot) g.__urbeBoot = {}
  return g.__urbeBoot
}

export function takeTenants(): Promise<Tenant[]> | undefined {
  const b = boot()
  const p = b.tenants
  b.tenants = undefined
  return p
}

/** The city's first "now" and categories, when index.html started them for this Comune. */
export async function takeCity(id: string, what: 'now'): Promise<CityNow | undefined>
export async function takeCity(id: string, what: 'categories'): Promise<Category[] | undefined>
export async function takeCity(id: string, what: 'now' | 'categories'): Promise<unknown> {
  const b = boot()
  if (!b.city) return undefined
  try {
    const c = await b.city
    if (!c || c.id !== id) return undefined
    const p = c[what]
    // each is used once: later loads go to the network
    ;(c as Record<string, unknown>)[what] = undefined
    return p ? await p : undefined
  } catch {
    return undefined
  }
}
