import { useEffect, useState } from 'react'
import { getJson } from '../api'
import { takeTenants } from '../boot'
import type { Tenant } from '../types'
import { useFetch } from '../use-fetch'

/** URL slug of a Comune: its name in lower case ("lucca"), the ISTAT code also works. */
export function tenantSlug(t: Pick<Tenant, 'name'>): string {
  return t.name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

export function findTenant<T extends Pick<Tenant, 'id' | 'name'>>(list: T[], key: string): T | undefined {
  const k = key.toLowerCase()
  return list.find((t) => t.id === key || tenantSlug(t) === k)
}

let listPromise: Promise<Tenant[]> | null = null

/** The list of Comuni, fetched once per page load (index.html starts the request). */
export function tenantList(): Promise<Tenant[]> {
  listPromise ??= (takeTenants() ?? getJson<Tenant[]>('/api/tenants')).catch((e) => {
    listPromise = null
    throw e
  })
  return listPromise
}

/**
 * Resolves a slug or ISTAT code to the Comune: `tenant` as soon as the list is there, `detail` (with the boundary)
 * when its own request answers.
 */
export function useTenant(key: string): {
  tenant: Tenant | undefined
  detail: Tenant | undefined
  error: Error | undefined
  missing: boolean
} {
  const [list, setList] = useState<Tenant[]>()
  const [error, setError] = useState<Error>()
  useEffect(() => {
    let live = true
    tenantList()
      .then((l) => live && setList(l))
      .catch((e: Error) => live && setError(e))
    return () => {
      live = false
    }
  }, [])
  const found = list ? findTenant(list, key) : undefined
  const one = useFetch<Tenant>(found ? `/api/tenants/${found.id}` : null)
  return {
    tenant: found ? { ...found, ...(one.data ?? {}) } : undefined,
    detail: one.data,
    error: error ?? one.error,
    missing: !!list && !found,
  }
}
