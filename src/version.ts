import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
/** The package version, read from package.json (works from src/ and from dist/). */
export const VERSION: string = (() => {
  for (const p of ['../package.json', '../../package.json']) {
    try {
      return (require(p) as { version: string }).version
    } catch {}
  }
  return '0.0.0'
})()
