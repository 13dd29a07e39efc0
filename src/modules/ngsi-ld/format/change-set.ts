/**
 * Bookkeeping of an update operation on an entity's attributes: the new AttrMap (copy-on-write, inputs are never
 * mutated) and what changed, so that the caller can write once and then record history and notify.
 */
import type { AttrInstance, AttrMap, StoredEntity } from '../model.js'
import type { EntityFragment } from './parse-entity.js'

export interface AttrChange {
  /** Expanded attribute name. */
  attr: string
  datasetId?: string
  kind: 'created' | 'updated' | 'deleted'
  previous?: AttrInstance
  current?: AttrInstance
  /**
   * A late observation (`observedAt` older than the stored instance's, from a writer that asked to keep newer
   * values): it goes to history, the state keeps `previous`, and subscriptions ignore it.
   */
  late?: true
}

/**
 * Whether the changes move a geometry (a GeoProperty created, deleted, or given another value): only then is the
 * entity's PostGIS projection written again. Late observations leave the state, hence the geometry, alone.
 */
export function movesGeometry(changes: readonly AttrChange[]): boolean {
  return changes.some((c) => {
    if (c.late || (c.current?.type !== 'GeoProperty' && c.previous?.type !== 'GeoProperty')) return false
    if (!c.current || !c.previous || c.current.type !== c.previous.type) return true
    return JSON.stringify(c.current.value) !== JSON.stringify(c.previous.value)
  })
}

export interface NotUpdated {
  attr: string
  datasetId?: string
  reason: string
}

export interface MergeResult {
  entity: StoredEntity
  /** Same as entity.attrs. */
  attrs: AttrMap
  /** Expanded names of the attributes that were created, updated or deleted (in order, once each). */
  updated: string[]
  notUpdated: NotUpdated[]
  changes: AttrChange[]
  /** Whether anything changed (attributes, types or scopes); when false, entity is the current entity unchanged. */
  modified: boolean
}

const withDataset = <T extends object>(o: T, datasetId: string | undefined): T =>
  datasetId === undefined ? o : { ...o, datasetId }

export class ChangeSet {
  readonly attrs: AttrMap
  private readonly updated: string[] = []
  private readonly notUpdated: NotUpdated[] = []
  private readonly changes: AttrChange[] = []

  constructor(current: AttrMap) {
    this.attrs = { ...current }
  }

  get(attr: string, datasetId: string | undefined): AttrInstance | undefined {
    return this.attrs[attr]?.find((i) => i.datasetId === datasetId)
  }

  has(attr: string): boolean {
    return (this.attrs[attr]?.length ?? 0) > 0
  }

  private touch(attr: string): void {
    if (!this.updated.includes(attr)) this.updated.push(attr)
  }

  /** Puts an instance, replacing the one with the same datasetId (keeping its position) or appending it. */
  set(attr: string, inst: AttrInstance): void {
    const list = [...(this.attrs[attr] ?? [])]
    const at = list.findIndex((i) => i.datasetId === inst.datasetId)
    const previous = at >= 0 ? list[at] : undefined
    if (at >= 0) list[at] = inst
    else list.push(inst)
    this.attrs[attr] = list
    const kind = previous ? 'updated' : 'created'
    this.changes.push(withDataset({ attr, kind, ...(previous ? { previous } : {}), current: inst }, inst.datasetId))
    this.touch(attr)
  }

  /** Records a late observation: a change for history, the state left as it is. */
  late(attr: string, inst: AttrInstance, previous: AttrInstance): void {
    this.changes.push(
      withDataset({ attr, kind: 'updated' as const, previous, current: inst, late: true as const }, inst.datasetId),
    )
  }

  /** Removes the instance with this datasetId; false if there is none. */
  delete(attr: string, datasetId: string | undefined): boolean {
    const list = this.attrs[attr] ?? []
    const previous = list.find((i) => i.datasetId === datasetId)
    if (!previous) return false
    const rest = list.filter((i) => i !== previous)
    if (rest.length > 0) this.attrs[attr] = rest
    else delete this.attrs[attr]
    this.changes.push(withDataset({ attr, kind: 'deleted' as const, previous }, datasetId))
    this.touch(attr)
    return true
  }

  skip(attr: string, datasetId: string | undefined, reason: string): void {
    this.notUpdated.push(withDataset({ attr, reason }, datasetId))
  }

  /** The resulting entity; `types`/`scopes` are the entity members after the operation. */
  finish(current: StoredEntity, now: string, types: string[], scopes: string[] | undefined): MergeResult {
    const sameTypes = types.length === current.types.length && types.every((t, i) => t === current.types[i])
    const cur = current.scopes ?? []
    const next = scopes ?? []
    const sameScopes = cur.length === next.length && cur.every((s, i) => s === next[i])
    const modified = this.changes.some((c) => !c.late) || !sameTypes || !sameScopes
    const entity: StoredEntity = modified
      ? { ...current, types, attrs: this.attrs, modifiedAt: now }
      : { ...current, attrs: { ...current.attrs } }
    if (modified) {
      if (scopes?.length) entity.scopes = scopes
      else delete entity.scopes
    }
    return {
      entity,
      attrs: entity.attrs,
      updated: this.updated,
      notUpdated: this.notUpdated,
      changes: this.changes,
      modified,
    }
  }
}

/** Entity types after adding the fragment's types (append, update, merge: types are only ever added). */
export function addTypes(current: readonly string[], incoming?: readonly string[]): string[] {
  return [...current, ...(incoming ?? []).filter((t) => !current.includes(t))]
}

/** Scopes after append/merge (5.6.3, 5.6.17): replaced when overwriting is allowed, else merged. */
export function appendScopes(
  current: StoredEntity,
  fragment: EntityFragment,
  noOverwrite: boolean,
): string[] | undefined {
  if (!fragment.scopes) return current.scopes
  if (!noOverwrite) return fragment.scopes
  const cur = current.scopes ?? []
  return [...cur, ...fragment.scopes.filter((s) => !cur.includes(s))]
}
