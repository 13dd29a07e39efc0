import type { AnchorHTMLAttributes } from 'react'
import { onLinkClick } from '../router'

/** An anchor that navigates without reloading the page (a real link: Enter, middle click and "open in new tab" work). */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  // biome-ignore lint/a11y/useValidAnchor: a real href; the click handler only avoids a full page load
  // biome-ignore lint/a11y/useKeyWithClickEvents: Enter on a link fires click
  // biome-ignore lint/a11y/noStaticElementInteractions: an anchor with href is interactive
  return <a {...props} onClick={onLinkClick} />
}
