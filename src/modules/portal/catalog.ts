/**
 * The category table (categories.ts) resolved against the Smart Data Models @contexts (built in, read from disk):
 * type and attribute IRIs per member, and the shaping of a stored entity's attributes into a PortalEntity.
 */
import type { ActiveContext, ContextResolver } from '../ngsi-ld/context/index.js'
import type { AttrInstance } from '../ngsi-ld/model.js'
import { CATEGORIES, type Category, type Member, SDM_CONTEXT } from './categories.js'

export interface ResolvedMember {
  /** Position in `Catalog.members` (the SQL answers it for each entity). */
  index: number
  category: Category
  member: Member
  ctx: ActiveContext
  typeIri: string
  /** IRI of `measurementType` and the value the entity must have, for DeviceMeasurement members. */
  measurementType?: { iri: string; value: string }
  /** Shown attributes: IRI -> short name. */
  attrs: Map<string, string>
  /** IRIs of the measured attributes. */
  measured: Set<string>
  nameIri: string
  locationIri: string
  primaryAttr: string
}

export interface Catalog {
  members: ResolvedMember[]
  /** Every attribute IRI any member shows (name and location included): the projection of the SQL. */
  attrIris: string[]
  /** Every public type IRI. */
  typeIris: Set<string>
  /** The members of one category, or of all. */
  select(category?: string): ResolvedMember[]
}

export interface PortalValue {
  value: unknown
  unitCode?: string
  observedAt?: string
}

export interface PortalEntity {
  id: string
  type: string
  category: string
  name: string
  /** GeoJSON geometry. */
  location: unknown
  observedAt: string | null
  values: Record<string, PortalValue>
  /** The attribute the map colours this entity by (the category's primary attribute, or its own for gas meters). */
  primaryAttr: string
}

export async function resolveCatalog(resolver: ContextResolver): Promise<Catalog> {
  const members: ResolvedMember[] = []
  for (const category of CATEGORIES) {
    for (const member of category.members) {
      const ctx = await resolver.resolve(SDM_CONTEXT(member.domain))
      const attrs = new Map<string, string>()
      for (const a of [...member.measured, ...member.statics]) attrs.set(ctx.expand(a), a)
      members.push({
        index: members.length,
        category,
        member,
        ctx,
        typeIri: ctx.expand(member.type),
        ...(member.measurementType
          ? { measurementType: { iri: ctx.expand('measurementType'), value: member.measurementType } }
          : {}),
        attrs,
        measured: new Set(member.measured.map((a) => ctx.expand(a))),
        nameIri: ctx.expand('name'),
        locationIri: ctx.expand('location'),
        primaryAttr: member.primaryAttr ?? category.primary.attr,
      })
    }
  }
  const iris = new Set<string>()
  for (const m of members) {
    for (const k of m.attrs.keys()) iris.add(k)
    iris.add(m.nameIri)
    iris.add(m.locationIri)
  }
  return {
    members,
    attrIris: [...iris].sort(),
    typeIris: new Set(members.map((m) => m.typeIri)),
    select: (category) => (category ? members.filter((m) => m.category.id === category) : members),
  }
}

/** The default instance of an attribute (no datasetId), else the first one. */
function instanceOf(attrs: Record<string, AttrInstance[]>, iri: string): AttrInstance | undefined {
  const list = attrs[iri]
  if (!Array.isArray(list) || list.length === 0) return undefined
  return list.find((i) => !i.datasetId) ?? list[0]
}

function attrValue(i: AttrInstance): unknown {
  return i.value ?? i.object ?? i.languageMap ?? i.json ?? i.valueList ?? i.objectList ?? i.vocab ?? null
}

function nameOf(i: AttrInstance | undefined, fallback: string): string {
  const v = i ? attrValue(i) : undefined
  if (typeof v === 'string') return v
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const map = v as Record<string, unknown>
    const s = map.it ?? map.en ?? Object.values(map)[0]
    if (typeof s === 'string') return s
  }
  return fallback
}

/** A PortalEntity from the attributes the SQL projected (attrs keyed by IRI). */
export function toPortalEntity(m: ResolvedMember, id: string, attrs: Record<string, AttrInstance[]>): PortalEntity {
  const values: Record<string, PortalValue> = {}
  let observedAt: string | null = null
  for (const [iri, short] of m.attrs) {
    const i = instanceOf(attrs, iri)
    if (!i) continue
    const v: PortalValue = { value: attrValue(i) }
    if (typeof i.unitCode === 'string') v.unitCode = i.unitCode
    if (typeof i.observedAt === 'string') {
      v.observedAt = i.observedAt
      if (m.measured.has(iri) && (observedAt === null || i.observedAt > observedAt)) observedAt = i.observedAt
    }
    values[short] = v
  }
  const loc = instanceOf(attrs, m.locationIri)
  return {
    id,
    type: m.member.type,
    category: m.category.id,
    name: nameOf(instanceOf(attrs, m.nameIri), id),
    location: loc?.type === 'GeoProperty' && loc.value ? loc.value : null,
    observedAt,
    values,
    primaryAttr: m.primaryAttr,
  }
}
