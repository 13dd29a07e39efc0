/**
 * Payloads of the temporal write operations (clauses 5.6.11, 5.6.12): an entity (or fragment) in the normalized
 * temporal representation, where each attribute is one instance or an array of instances (several may share a
 * datasetId: they are instances at different times). Each instance is parsed like the body of Replace Attribute
 * (normalized or concise); `instanceId`, `createdAt`, `modifiedAt` and `deletedAt` sent by the client are ignored.
 */
import type { ActiveContext } from '../context/index.js'
import { ENTITY_MEMBERS, RESERVED_ATTR_NAMES, SYSTEM_MEMBERS } from '../format/constants.js'
import { parseAttributeInstance, parseEntity } from '../format/index.js'
import { fail, isPlainObject, isValidName } from '../format/validation.js'
import type { AttrInstance } from '../model.js'

export interface TemporalPayload {
  id?: string
  types?: string[]
  /** Expanded attribute name -> its instances, in payload order. */
  attrs: Map<string, AttrInstance[]>
}

export const MAX_INSTANCES = 100_000

export function parseTemporalPayload(
  body: unknown,
  ctx: ActiveContext,
  opts: { now: string; entityId?: string },
): TemporalPayload {
  if (!isPlainObject(body)) fail('', 'the payload must be a JSON object (a temporal entity)')
  const out: TemporalPayload = { attrs: new Map() }
  const id = body.id ?? body['@id']
  if (id !== undefined || body.type !== undefined || body['@type'] !== undefined) {
    // id and type validated and expanded by the entity parser (without the attributes)
    const head = parseEntity(
      { id: id ?? opts.entityId ?? 'urn:ngsi-ld:placeholder', type: body.type ?? body['@type'] },
      ctx,
      { now: opts.now, requireType: false },
    )
    if (id !== undefined) out.id = head.id
    if (head.types.length) out.types = head.types
  }
  if (out.id !== undefined && opts.entityId !== undefined && out.id !== opts.entityId) {
    fail('id', `the id in the payload (${out.id}) is not the id of the target entity (${opts.entityId})`)
  }
  let count = 0
  for (const [name, raw] of Object.entries(body)) {
    if (ENTITY_MEMBERS.has(name) || SYSTEM_MEMBERS.has(name)) continue
    if (RESERVED_ATTR_NAMES.has(name) || name.startsWith('@')) {
      fail(name, `"${name}" is a reserved name and cannot be an attribute name`)
    }
    if (!isValidName(name)) fail(name, `"${name}" is not a valid attribute name (clause 4.6.2)`)
    const attrIri = ctx.expand(name)
    if (out.attrs.has(attrIri)) fail(name, `the same attribute as another member (${attrIri})`)
    const items = Array.isArray(raw) ? raw : [raw]
    if (items.length === 0) fail(name, 'an attribute needs at least one instance')
    count += items.length
    if (count > MAX_INSTANCES) fail(name, `more than ${MAX_INSTANCES} instances in one request`)
    out.attrs.set(
      attrIri,
      items.map((item, i) =>
        parseAttributeInstance(item, ctx, {
          now: opts.now,
          attrIri,
          attrName: Array.isArray(raw) ? `${name}[${i}]` : name,
        }),
      ),
    )
  }
  return out
}
