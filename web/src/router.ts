/** A minimal history router: the current path as state, `navigate()` and `<a>` clicks intercepted by Link. */
import { useEffect, useState } from 'react'

type Listener = () => void
const listeners = new Set<Listener>()

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  for (const l of listeners) l()
  if (!replace) window.scrollTo?.(0, 0)
}

export function usePath(): string {
  const [path, setPath] = useState(() => location.pathname + location.search)
  useEffect(() => {
    const update = () => setPath(location.pathname + location.search)
    listeners.add(update)
    window.addEventListener('popstate', update)
    return () => {
      listeners.delete(update)
      window.removeEventListener('popstate', update)
    }
  }, [])
  return path
}

/** Matches "/a/:b/c" against a path; returns the params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean)
  const s = path.split('?')[0]!.split('/').filter(Boolean)
  if (p.length !== s.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!
    const b = s[i]!
    if (a.startsWith(':')) params[a.slice(1)] = decodeURIComponent(b)
    else if (a !== b) return null
  }
  return params
}

export function onLinkClick(e: {
  preventDefault(): void
  button: number
  metaKey: boolean
  ctrlKey: boolean
  shiftKey: boolean
  altKey: boolean
  currentTarget: { getAttribute(n: string): string | null }
}): void {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
  const href = e.currentTarget.getAttribute('href')
  if (!href?.startsWith('/')) return
  e.preventDefault()
  navigate(href)
}
