/**
 * NGSI-LD entity payloads (normalized or concise, clause 4.5) -> the stored form (model.ts), and entity fragments for
 * the update operations (clause 5.4).
 */
import type { ActiveContext } from '../context/types.js'
import type { AttrInstance, AttrMap, StoredEntity } from '../model.js'
import { ENTITY_MEMBERS, RESERVED_ATTR_NAMES, SYSTEM_MEMBERS } from './constants.js'
import { parseAttribute, parseInstance } from './parse-attribute.js'
import type { ParseMode, ParseState } from './parse-value.js'
import type { AttrFragment } from './shape.js'
import { fail, isPlainObject, isUri, isValidName, isValidScope } from './validation.js'

export interface ParseEntityOptions {
  /** Timestamp set as createdAt/modifiedAt on the entity and on every attribute and sub-attribute. */
  now: string
  /** Whether `type` is mandatory (default true). */
  requireType?: boolean
}

export interface ParseFragmentOptions {
  now: string
  /** `create` for append/replace (no NGSI-LD Null), `update` for 5.6.2, `merge` for 5.6.17. Default `create`. */
  mode?: Exclude<ParseMode, 'partial'>
  /** The target entity id: an `id` in the payload must be equal to it. */
  entityId?: string
  /** The current entity (merge): simplified values keep the type of existing attributes, fragments may omit values. */
  existing?: StoredEntity
  /** Merge only: common language tag for bare strings merged into existing LanguageProperties. */
  lang?: string
}

/** An entity fragment: attributes plus the entity members an update may carry. */
export interface EntityFragment {
  attrs: AttrMap
  types?: string[]
  scopes?: string[] | undefined
}

function requireObject(body: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(body)) fail('', `the payload must be a JSON object (${what})`)
  return body
}

function parseId(o: Record<string, unknown>): string | undefined {
  const id = o.id ?? o['@id']
  if (id === undefined) return undefined
  if (!isUri(id)) fail('id', 'the entity id must be a URI (scheme:rest, without spaces)')
  return id
}

function parseTypes(o: Record<string, unknown>, ctx: ActiveContext): string[] | undefined {
  const t = o.type ?? o['@type']
  if (t === undefined) return undefined
  const names = typeof t === 'string' ? [t] : Array.isArray(t) && t.length > 0 ? t : undefined
  if (!names) fail('type', 'type must be an entity type name or a non-empty array of them')
  const out: string[] = []
  for (const n of names) {
    if (typeof n !== 'string' || !isValidName(n)) fail('type', `${JSON.stringify(n)} is not a valid entity type name`)
    const iri = ctx.expand(n)
    if (!out.includes(iri)) out.push(iri)
  }
  return out
}

function parseScopes(o: Record<string, unknown>): string[] | undefined {
  const s = o.scope
  if (s === undefined) return undefined
  const scopes = typeof s === 'string' ? [s] : Array.isArray(s) && s.length > 0 ? s : undefined
  if (!scopes?.every(isValidScope)) fail('scope', 'scope must be a scope such as "/Italy/Lucca" or an array of them')
  return [...new Set(scopes as string[])]
}

function parseAttrMembers(o: Record<string, unknown>, st: ParseState, existing?: AttrMap): AttrMap {
  const attrs: AttrMap = {}
  const pathOf: Record<string, string> = {}
  for (const [name, raw] of Object.entries(o)) {
    if (ENTITY_MEMBERS.has(name) || SYSTEM_MEMBERS.has(name)) continue
    if (RESERVED_ATTR_NAMES.has(name) || name.startsWith('@')) {
      fail(name, `"${name}" is a reserved name and cannot be an attribute name`)
    }
    if (!isValidName(name)) fail(name, `"${name}" is not a valid attribute name (clause 4.6.2)`)
    const iri = st.ctx.expand(name)
    if (attrs[iri]) fail(name, `the same attribute as "${pathOf[iri]}" (${iri})`)
    pathOf[iri] = name
    attrs[iri] = parseAttribute(raw, iri, name, st, existing?.[iri]) as AttrInstance[]
  }
  return attrs
}

/** Parses an entity (create entity, replace entity, batch create/upsert) into the stored form. */
export function parseEntity(body: unknown, ctx: ActiveContext, opts: ParseEntityOptions): StoredEntity {
  const o = requireObject(body, 'an entity')
  const id = parseId(o)
  if (id === undefined) fail('id', 'the entity id is missing')
  const types = parseTypes(o, ctx)
  if (!types && opts.requireType !== false) fail('type', 'the entity type is missing')
  const scopes = parseScopes(o)
  const st: ParseState = { ctx, now: opts.now, mode: 'create' }
  const entity: StoredEntity = {
    id,
    types: types ?? [],
    attrs: parseAttrMembers(o, st),
    createdAt: opts.now,
    modifiedAt: opts.now,
  }
  if (scopes) entity.scopes = scopes
  return entity
}

/**
 * Parses an entity fragment (append, update, merge, batch update): attributes, and `type`/`scope` if present. An `id`
 * member is allowed only if it names the target entity.
 */
export function parseFragment(body: unknown, ctx: ActiveContext, opts: ParseFragmentOptions): EntityFragment {
  const o = requireObject(body, 'an entity fragment')
  const id = parseId(o)
  if (id !== undefined && opts.entityId !== undefined && id !== opts.entityId) {
    fail('id', `the id in the payload (${id}) is not the id of the target entity (${opts.entityId})`)
  }
  const st: ParseState = { ctx, now: opts.now, mode: opts.mode ?? 'create', lang: opts.lang }
  const existing = st.mode === 'merge' ? opts.existing?.attrs : undefined
  const out: EntityFragment = { attrs: parseAttrMembers(o, st, existing) }
  const types = parseTypes(o, ctx)
  if (types) out.types = types
  const scopes = parseScopes(o)
  if (scopes) out.scopes = scopes
  return out
}

/** The attributes of an entity fragment (see parseFragment). */
export function parseAttributes(body: unknown, ctx: ActiveContext, opts: ParseFragmentOptions): AttrMap {
  return parseFragment(body, ctx, opts).attrs
}

export interface ParseAttributeOptions {
  now: string
  /** Expanded name of the target attribute (from the URL). */
  attrIri: string
  /** Name used in error messages (default: attrIri). */
  attrName?: string
}

function requireSingle(body: unknown, path: string): Record<string, unknown> | unknown {
  if (Array.isArray(body) && body.length > 0 && body.some(isPlainObject)) {
    fail(path, 'the payload must be one attribute instance, not an array')
  }
  if (body === null || body === undefined) fail(path, 'the payload must be an attribute')
  return body
}

/** Parses the body of Replace Attribute (PUT .../attrs/{attrId}, 5.6.19): one complete attribute instance. */
export function parseAttributeInstance(body: unknown, ctx: ActiveContext, opts: ParseAttributeOptions): AttrInstance {
  const path = opts.attrName ?? opts.attrIri
  const st: ParseState = { ctx, now: opts.now, mode: 'create' }
  return parseAttribute(requireSingle(body, path), opts.attrIri, path, st)[0] as AttrInstance
}

/**
 * Parses the body of Partial Attribute Update (PATCH .../attrs/{attrId}, 5.6.4): an attribute fragment whose `type`
 * and value may be omitted. Pass the existing instance so that a simplified value keeps the existing type.
 */
export function parseAttributeFragment(
  body: unknown,
  ctx: ActiveContext,
  opts: ParseAttributeOptions & { existing?: AttrInstance },
): AttrFragment {
  const path = opts.attrName ?? opts.attrIri
  const st: ParseState = { ctx, now: opts.now, mode: 'partial' }
  return parseInstance(requireSingle(body, path), opts.attrIri, path, st, 'attr', opts.existing)
}
