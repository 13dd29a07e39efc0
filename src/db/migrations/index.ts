import foundation from './001-foundation.js'
import ngsiLd from './002-ngsi-ld.js'

export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/** Versioned migrations, applied in order at start and by `urbe migrate`. Never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'foundation', sql: foundation },
  { version: 2, name: 'ngsi-ld', sql: ngsiLd },
]
