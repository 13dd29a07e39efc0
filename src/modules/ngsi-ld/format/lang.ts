/**
 * The NGSI-LD language filter (clause 4.15): `lang=it`, `lang=fr-CH,fr`, `lang=*`, `lang=fr;q=0.9,en;q=0.8,*;q=0.5`.
 */
import { fail, isValidLangTag } from './validation.js'

export interface LangRange {
  /** Lower-cased language range, or "*". */
  tag: string
  q: number
}

const Q_RE = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i

/** Parses the `lang` parameter into ranges ordered by preference (quality, then position); q=0 ranges are dropped. */
export function parseLangParam(lang: string): LangRange[] {
  const ranges = lang.split(',').map((part, position) => {
    const [tag = '', ...params] = part.split(';').map((s) => s.trim())
    if (tag !== '*' && (!isValidLangTag(tag) || tag === '@none')) fail('lang', `"${tag}" is not a language tag`)
    let q = 1
    for (const p of params) {
      const m = Q_RE.exec(p)
      if (!m) fail('lang', `"${p}" is not a quality value (q=0..1)`)
      q = Number(m[1])
    }
    return { tag: tag.toLowerCase(), q, position }
  })
  return ranges
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.position - b.position)
    .map(({ tag, q }) => ({ tag, q }))
}

export interface LangChoice {
  lang: string
  value: string | string[]
}

function anyLanguage(map: Record<string, string | string[]>, keys: string[]): LangChoice | undefined {
  const key = '@none' in map ? '@none' : keys[0]
  return key === undefined ? undefined : { lang: key, value: map[key]! }
}

/**
 * Picks the string of a languageMap best matching the ranges: exact tag, then the range truncated (RFC 4647 lookup:
 * fr-CH -> fr), then a more specific tag (fr -> fr-CH). `*` or no match at all falls back to "any supported language"
 * (clause 4.15): the `@none` entry if present, else the first entry.
 */
export function pickLanguage(
  map: Record<string, string | string[]>,
  ranges: readonly LangRange[],
): LangChoice | undefined {
  const keys = Object.keys(map)
  const lower = new Map(keys.map((k) => [k.toLowerCase(), k]))
  for (const { tag } of ranges) {
    if (tag === '*') return anyLanguage(map, keys)
    const subtags = tag.split('-')
    for (let n = subtags.length; n > 0; n--) {
      const key = lower.get(subtags.slice(0, n).join('-'))
      if (key !== undefined) return { lang: key, value: map[key]! }
    }
    const specific = keys.find((k) => k.toLowerCase().startsWith(`${tag}-`))
    if (specific !== undefined) return { lang: specific, value: map[specific]! }
  }
  return anyLanguage(map, keys)
}
