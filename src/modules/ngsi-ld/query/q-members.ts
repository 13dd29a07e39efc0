/**
 * Which members of a stored attribute instance a `q` attribute path compares, as jsonpath suffixes, and with which
 * forms of a query value. See model.ts for the stored layout: `attrs = { <attrIri>: [instance, ...] }`.
 *
 * For a plain path the compared member depends on the instance type (value, object, valueList, objectList,
 * languageMap, vocab, json). An instance only carries the member of its own type, so the compiled predicate simply
 * looks at all of them; arrays are unwrapped with `[*]` so a comparison matches when any element matches.
 */
import { jpKey } from './jsonpath.js'
import type { QAttrPath } from './q-parser.js'
import { type QValue, isStringLike, stringForms } from './q-values.js'

export type MemberKind =
  /** Compared with the value as written (numbers, booleans, strings). */
  | 'plain'
  /** VocabProperty `vocab`: stored expanded, compared with the vocab-expanded query string. */
  | 'vocab'
  /** `value."@value"` of a JSON-LD typed value (`{"@type": "DateTime", "@value": "..."}`): dates and times only. */
  | 'typed'
  /** observedAt / createdAt / modifiedAt of an instance: normalized ISO date-times. */
  | 'timestamp'

export interface Member {
  /** The instance member (`value`, `object`, ..., `observedAt`). */
  readonly name: string
  /** jsonpath steps after the member, e.g. `[*]`. */
  readonly rest: string
  /** jsonpath suffix relative to an instance: `.<name><rest>`, e.g. `.value[*]`. */
  readonly suffix: string
  readonly kind: MemberKind
}

const member = (name: string, rest: string, kind: MemberKind): Member => ({
  name,
  rest,
  suffix: `.${name}${rest}`,
  kind,
})

export interface PathContext {
  readonly expand: (term: string) => string
  readonly expandVocab?: ((value: string) => string) | undefined
}

/** `$."<attrIri>"[*]."<subIri>"...`: the instances (or sub-attribute instances) a path designates. */
export function instancesPath(path: QAttrPath, ctx: PathContext): string {
  let p = `$.${jpKey(ctx.expand(path.attr))}[*]`
  for (const sub of path.subAttrs) p += `.${jpKey(ctx.expand(sub))}`
  return p
}

const TIMESTAMPS = new Set(['observedAt', 'createdAt', 'modifiedAt'])

/** The compared members of the instances of a path. */
export function membersOf(path: QAttrPath): Member[] {
  if (path.member) return [member(path.member, '', TIMESTAMPS.has(path.member) ? 'timestamp' : 'plain')]
  if (path.compound.length > 0) {
    const keys = `${path.compound.map((k) => `.${jpKey(k)}`).join('')}[*]`
    const members = [member('value', keys, 'plain'), member('json', keys, 'plain'), member('valueList', keys, 'plain')]
    // `name[it]` on a LanguageProperty: the string(s) of that language.
    if (path.compound.length === 1) members.push(member('languageMap', keys, 'plain'))
    return members
  }
  return [
    member('value', '[*]', 'plain'),
    member('value', '."@value"', 'typed'),
    member('object', '[*]', 'plain'),
    member('valueList', '[*]', 'plain'),
    member('objectList', '[*]', 'plain'),
    member('objectList', '[*].object', 'plain'),
    member('languageMap', '.*[*]', 'plain'),
    member('vocab', '[*]', 'vocab'),
    member('json', '[*]', 'plain'),
  ]
}

/**
 * The JSON scalars a query value is compared with on a member of the given kind (empty: cannot match there).
 * `equality` is true for `==` / `!=` (a dateTime then also matches its normalized form).
 */
export function valueForms(
  kind: MemberKind,
  v: QValue,
  equality: boolean,
  ctx: PathContext,
): (string | number | boolean)[] {
  if (!isStringLike(v)) return kind === 'plain' ? [v.value] : []
  switch (kind) {
    case 'plain':
      return stringForms(v, 'value', equality)
    case 'timestamp':
      return stringForms(v, 'timestamp', equality)
    case 'typed':
      return v.type === 'dateTime' || v.type === 'date' || v.type === 'time' ? stringForms(v, 'value', equality) : []
    case 'vocab':
      if (v.type !== 'string' && v.type !== 'uri') return []
      return [ctx.expandVocab ? ctx.expandVocab(v.value) : v.value]
  }
}

/**
 * Absolute jsonpaths selecting all the compared values of a path, merging members that share the same steps with
 * `.keyvalue()` (`$..[*].keyvalue() ? (@.key == "value" || @.key == "object").value[*]`), so that few paths are
 * needed (each one is a separate function call in SQL).
 */
export function selectorPaths(base: string, members: readonly Member[]): string[] {
  const byRest = new Map<string, string[]>()
  for (const m of members) byRest.set(m.rest, [...(byRest.get(m.rest) ?? []), m.name])
  return [...byRest].map(([rest, names]) =>
    names.length === 1
      ? `${base}.${names[0]}${rest}`
      : `${base}.keyvalue() ? (${names.map((n) => `@.key == ${jpKey(n)}`).join(' || ')}).value${rest}`,
  )
}
