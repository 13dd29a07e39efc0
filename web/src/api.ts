/** The HTTP client: JSON in and out, problem+json errors as ApiError, the session's CSRF token on writes. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message)
  }
}

let csrfToken: string | null = null

export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

export function getCsrfToken(): string | null {
  return csrfToken
}

export interface RequestOptions {
  method?: string
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function buildHeaders(method: string, opts: RequestOptions): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers }
  if (opts.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json'
  if (WRITE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken
  return headers
}

export async function request<T = unknown>(
  url: string,
  opts: RequestOptions = {},
): Promise<{ data: T; headers: Headers; status: number }> {
  const method = (opts.method ?? 'GET').toUpperCase()
  const res = await fetch(url, {
    method,
    headers: buildHeaders(method, opts),
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    credentials: 'same-origin',
    signal: opts.signal,
  })
  const text = await res.text()
  let data: unknown = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = text
    }
  }
  if (!res.ok) {
    const p = (data ?? {}) as { detail?: string; title?: string; code?: string; message?: string }
    throw new ApiError(res.status, p.detail || p.title || p.message || `HTTP ${res.status}`, p.code)
  }
  return { data: data as T, headers: res.headers, status: res.status }
}

export async function getJson<T>(url: string, opts: RequestOptions = {}): Promise<T> {
  return (await request<T>(url, opts)).data
}

export async function send<T = unknown>(
  method: string,
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<T> {
  return (await request<T>(url, { method, body, headers })).data
}
