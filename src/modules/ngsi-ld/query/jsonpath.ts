/**
 * Helpers to build SQL/JSON path (jsonpath) texts safely. A jsonpath text is sent as a bound parameter
 * (`$n::jsonpath`); object keys in it are quoted and escaped with `jpKey`, and every user value travels in the
 * separate `vars` JSON object (`$v0`, `$v1`, ... in the path).
 */
import { badRequest } from '../../../errors.js'

/** A quoted jsonpath key (`"https://..."`). JSON string escaping is valid jsonpath string syntax. */
export function jpKey(key: string): string {
  if (key.includes('\u0000') || /\p{Cs}/u.test(key)) throw badRequest(`Invalid name '${key}'`)
  return JSON.stringify(key)
}

/** The variables of one jsonpath, deduplicated; `ref` returns the `$vN` reference to use in the path text. */
export class JpVars {
  private readonly byJson = new Map<string, string>()
  readonly values: Record<string, unknown> = {}

  ref(value: string | number | boolean): string {
    const k = JSON.stringify(value)
    let name = this.byJson.get(k)
    if (!name) {
      name = `v${this.byJson.size}`
      this.byJson.set(k, name)
      this.values[name] = value
    }
    return `$${name}`
  }

  json(): string {
    return JSON.stringify(this.values)
  }
}

/** Disjunction / conjunction of jsonpath predicates (each already parenthesized or atomic). */
export const jpOr = (preds: readonly string[]) => (preds.length === 1 ? preds[0]! : `(${preds.join(' || ')})`)
export const jpAnd = (preds: readonly string[]) => (preds.length === 1 ? preds[0]! : `(${preds.join(' && ')})`)
