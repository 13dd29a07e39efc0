import foundation from './001-foundation.js'
import ngsiLd from './002-ngsi-ld.js'
import ngsiHistory from './003-ngsi-history.js'
import ngsiSubscriptions from './004-ngsi-subscriptions.js'
import devices from './005-devices.js'
import ginPendingList from './006-gin-pending-list.js'
import mobility from './007-mobility.js'
import searchDoc from './008-search-doc.js'
import lz4Attrs from './009-lz4-attrs.js'
import historyEntityOrder from './010-history-entity-order.js'
import geoWithoutFk from './011-geo-without-fk.js'

export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/** Versioned migrations, applied in order at start and by `urbe migrate`. Never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'foundation', sql: foundation },
  { version: 2, name: 'ngsi-ld', sql: ngsiLd },
  { version: 3, name: 'ngsi-history', sql: ngsiHistory },
  { version: 4, name: 'ngsi-subscriptions', sql: ngsiSubscriptions },
  { version: 5, name: 'devices', sql: devices },
  { version: 6, name: 'gin-pending-list', sql: ginPendingList },
  { version: 7, name: 'mobility', sql: mobility },
  { version: 8, name: 'search-doc', sql: searchDoc },
  { version: 9, name: 'lz4-attrs', sql: lz4Attrs },
  { version: 10, name: 'history-entity-order', sql: historyEntityOrder },
  { version: 11, name: 'geo-without-fk', sql: geoWithoutFk },
]
