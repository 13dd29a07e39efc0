/**
 * The stored form -> NGSI-LD entity representations: normalized, concise, simplified (keyValues) (clause 4.5), with
 * sysAttrs, attribute projection (attrs, pick/omit: clause 4.21), datasetId selection (4.5.5) and the language filter
 * (4.15). GeoJSON output is in format-feature.ts.
 */
import type { ActiveContext } from '../context/types.js'
import type { AttrInstance, StoredEntity } from '../model.js'
import { type AttrFormatState, conciseInstance, normalizedInstance, simplifiedAttribute } from './format-attribute.js'
import { parseLangParam } from './lang.js'

export type EntityFormat = 'normalized' | 'keyValues' | 'concise'

export interface FormatOptions {
  format: EntityFormat
  /** Include createdAt/modifiedAt on the entity, attributes and sub-attributes. */
  sysAttrs?: boolean
  /** Expanded attribute IRIs to include (the `attrs` parameter, already expanded). */
  attrs?: readonly string[]
  /** Attribute projection (clause 4.21): short names (expanded with the context), plus `id`, `type`, `scope`. */
  pick?: readonly string[]
  omit?: readonly string[]
  /** Language filter (clause 4.15), e.g. `it`, `fr-CH,fr;q=0.9`, `*`. */
  lang?: string
  /** Only these attribute instances; `@none` stands for the default instance (clause 4.5.5). */
  datasetId?: readonly string[]
}

const ENTITY_KEYS = new Set(['id', 'type', 'scope'])

function projection(names: readonly string[] | undefined, ctx: ActiveContext): Set<string> | undefined {
  return names && new Set(names.map((n) => (ENTITY_KEYS.has(n) ? n : ctx.expand(n))))
}

/** Selects the instances named by the datasetId option (all of them without it). */
export function selectInstances(
  instances: readonly AttrInstance[],
  datasetIds?: readonly string[],
): readonly AttrInstance[] {
  if (!datasetIds) return instances
  return instances.filter((i) => datasetIds.includes(i.datasetId ?? '@none'))
}

/** Entity types as returned: a string for one type, an array otherwise (clause 4.5.1). */
export function compactTypes(types: readonly string[], ctx: ActiveContext): string | string[] {
  const names = types.map((t) => ctx.compact(t))
  return names.length === 1 ? names[0]! : names
}

/** Formats one entity. Attribute names are compacted with the context; the caller adds `@context` if needed. */
export function formatEntity(entity: StoredEntity, ctx: ActiveContext, opts: FormatOptions): Record<string, unknown> {
  const pick = projection(opts.pick, ctx)
  const omit = projection(opts.omit, ctx)
  const shown = (key: string) => (!pick || pick.has(key)) && !omit?.has(key)
  const st: AttrFormatState = {
    ctx,
    sysAttrs: opts.sysAttrs === true,
    lang: opts.lang === undefined ? undefined : parseLangParam(opts.lang),
  }
  const out: Record<string, unknown> = {}
  if (shown('id')) out.id = entity.id
  if (shown('type')) out.type = compactTypes(entity.types, ctx)
  if (entity.scopes?.length && shown('scope')) {
    out.scope = entity.scopes.length === 1 ? entity.scopes[0] : [...entity.scopes]
  }
  for (const iri in entity.attrs) {
    if (opts.attrs && !opts.attrs.includes(iri)) continue
    if (!shown(iri)) continue
    const instances = selectInstances(entity.attrs[iri]!, opts.datasetId)
    if (instances.length === 0) continue
    const name = ctx.compact(iri)
    if (opts.format === 'keyValues') {
      out[name] = simplifiedAttribute(instances, st)
    } else if (opts.format === 'concise') {
      const many = instances.length > 1
      const forms = instances.map((i) => conciseInstance(i, st, many))
      out[name] = many ? forms : forms[0]
    } else {
      out[name] =
        instances.length === 1 ? normalizedInstance(instances[0]!, st) : instances.map((i) => normalizedInstance(i, st))
    }
  }
  if (st.sysAttrs) {
    out.createdAt = entity.createdAt
    out.modifiedAt = entity.modifiedAt
  }
  return out
}
