import sprite from 'bootstrap-italia/dist/svg/sprites.svg?url'

/** An icon of Bootstrap Italia's sprite (bundled, served from our own origin). Decorative unless a title is given. */
export function Icon({ name, className = '', title }: { name: string; className?: string; title?: string }) {
  if (title) {
    return (
      <svg className={`icon ${className}`} role="img" aria-label={title}>
        <title>{title}</title>
        <use href={`${sprite}#${name}`} />
      </svg>
    )
  }
  return (
    <svg className={`icon ${className}`} aria-hidden="true">
      <use href={`${sprite}#${name}`} />
    </svg>
  )
}
