/** The console's session: who is logged in, the CSRF token, which Comuni they may work on. */
import { getJson, send, setCsrfToken } from '../api'

export type Role = 'viewer' | 'operator' | 'admin'

export interface User {
  id: string
  username: string
  displayName: string | null
  superadmin: boolean
  roles: Record<string, Role>
}

export interface Me {
  kind: 'user' | 'apikey' | 'anonymous'
  user?: User
  csrfToken?: string
}

export async function fetchMe(): Promise<User | null> {
  const me = await getJson<Me>('/api/auth/me')
  if (me.kind === 'user' && me.user) {
    setCsrfToken(me.csrfToken ?? null)
    return me.user
  }
  setCsrfToken(null)
  return null
}

export async function login(username: string, password: string): Promise<User> {
  const r = await send<{ user: User; csrfToken: string }>('POST', '/api/auth/login', { username, password })
  setCsrfToken(r.csrfToken)
  return r.user
}

export async function logout(): Promise<void> {
  await send('POST', '/api/auth/logout')
  setCsrfToken(null)
}

export function roleIn(user: User, tenant: string): Role | 'superadmin' | null {
  if (user.superadmin) return 'superadmin'
  return user.roles[tenant] ?? null
}

export function canWrite(user: User, tenant: string): boolean {
  const r = roleIn(user, tenant)
  return r === 'superadmin' || r === 'admin' || r === 'operator'
}

export function isAdmin(user: User, tenant: string): boolean {
  const r = roleIn(user, tenant)
  return r === 'superadmin' || r === 'admin'
}
