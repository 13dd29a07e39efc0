/**
 * What the write path changed (EntityChange, see ../service.ts) -> history rows: one per created or updated attribute
 * instance, one deletion marker per deleted instance (also for every instance of a deleted entity), and the temporal
 * entities whose types or attribute names must be recorded.
 *
 * The time of an instance is its `observedAt`, else its `modifiedAt` (the write). A deletion is an instance with the
 * NGSI-LD Null as value and `deletedAt` (clause 4.5.x "deletedAt", 5.6.5/5.6.6 with temporal support).
 */
import type { AttrInstance, AttrType, StoredEntity } from '../model.js'
import { VALUE_MEMBER } from '../model.js'
import type { EntityChange } from '../service.js'
import { nullMarker } from '../format/shape.js'

export interface HistoryRow {
  entityId: string
  attr: string
  /** '' for the default instance. */
  datasetId: string
  /** ISO date-times. */
  time: string
  createdAt: string
  modifiedAt: string
  deleted: boolean
  /** The value when it is a number (fast aggregation), else null. */
  num: number | null
  /** The stored instance without createdAt, modifiedAt and datasetId (kept in columns). */
  inst: Record<string, unknown>
}

/** A temporal entity to record: its types, and attribute names it may not have yet. */
export interface TemporalEntityRow {
  id: string
  types: string[]
  attrNames: string[]
  createdAt: string
}

export function instanceRow(entityId: string, attr: string, inst: AttrInstance, fallbackTime: string): HistoryRow {
  const { createdAt, modifiedAt, datasetId, ...rest } = inst
  const modified = modifiedAt ?? fallbackTime
  return {
    entityId,
    attr,
    datasetId: datasetId ?? '',
    time: inst.observedAt ?? modified,
    createdAt: createdAt ?? modified,
    modifiedAt: modified,
    deleted: false,
    num: inst.type === 'Property' && typeof inst.value === 'number' ? inst.value : null,
    inst: rest,
  }
}

export function deletionRow(entityId: string, attr: string, previous: AttrInstance, at: string): HistoryRow {
  const type: AttrType = previous.type
  return {
    entityId,
    attr,
    datasetId: previous.datasetId ?? '',
    time: at,
    createdAt: previous.createdAt ?? at,
    modifiedAt: at,
    deleted: true,
    num: null,
    inst: { type, [VALUE_MEMBER[type]]: nullMarker(type), deletedAt: at },
  }
}

function entityDeletion(e: StoredEntity, at: string): HistoryRow[] {
  return Object.entries(e.attrs).flatMap(([attr, insts]) => insts.map((i) => deletionRow(e.id, attr, i, at)))
}

/**
 * History rows and temporal-entity records for one write. Every entity written is recorded with its types and the
 * names of the attributes written (insertHistory only touches the records that lack them), so that history is always
 * reachable, also after its temporal representation was deleted.
 */
export function changesToRows(
  events: readonly EntityChange[],
  now: string,
): { rows: HistoryRow[]; entities: TemporalEntityRow[] } {
  const rows: HistoryRow[] = []
  const entities: TemporalEntityRow[] = []
  for (const ev of events) {
    if (ev.kind === 'deleted') {
      if (!ev.previous) continue
      rows.push(...entityDeletion(ev.previous, now))
      entities.push({
        id: ev.previous.id,
        types: ev.previous.types,
        attrNames: Object.keys(ev.previous.attrs),
        createdAt: ev.previous.createdAt,
      })
      continue
    }
    const at = ev.current?.modifiedAt ?? now
    for (const c of ev.changes) {
      if (c.kind === 'deleted') {
        if (c.previous) rows.push(deletionRow(ev.entityId, c.attr, c.previous, at))
      } else if (c.current) rows.push(instanceRow(ev.entityId, c.attr, c.current, at))
    }
    const cur = ev.current
    if (!cur) continue
    const names = ev.kind === 'created' ? Object.keys(cur.attrs) : [...new Set(ev.changes.map((c) => c.attr))]
    entities.push({ id: cur.id, types: cur.types, attrNames: names, createdAt: cur.createdAt })
  }
  return { rows, entities }
}
