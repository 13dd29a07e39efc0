import { useEffect, useRef, useState } from 'react'
import type { PortalEntity } from '../types'

/** Subscribes to the portal's Server-Sent Events; calls onEntity for each changed entity. Returns whether connected. */
export function useLive(tenantId: string | undefined, onEntity: (e: PortalEntity) => void): boolean {
  const cb = useRef(onEntity)
  cb.current = onEntity
  const [connected, setConnected] = useState(false)
  useEffect(() => {
    if (!tenantId || typeof EventSource === 'undefined') return
    const es = new EventSource(`/api/portal/${tenantId}/live`)
    es.onopen = () => setConnected(true)
    es.onerror = () => setConnected(es.readyState === EventSource.OPEN)
    es.addEventListener('entity', (ev) => {
      try {
        cb.current(JSON.parse((ev as MessageEvent<string>).data) as PortalEntity)
      } catch {
        // a malformed event is ignored
      }
    })
    return () => {
      es.close()
      setConnected(false)
    }
  }, [tenantId])
  return connected
}

export function LiveBadge({ on, labels }: { on: boolean; labels: [string, string] }) {
  return (
    <span className="badge bg-light text-dark border" role="status" data-testid="live-status">
      <span className={on ? 'live-dot' : 'live-dot off'} aria-hidden="true" />
      {on ? labels[0] : labels[1]}
    </span>
  )
}
