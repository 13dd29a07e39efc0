/**
 * Regular expressions of the `~=` / `!~=` operators, validated and translated to a PostgreSQL ARE (the `~` operator)
 * BEFORE they reach the database, so that a bad pattern is a 400 and never a database error.
 *
 * Accepted syntax (the common subset of JavaScript / XSD / POSIX ARE):
 *   alternation `|`, groups `(...)` and `(?:...)`, quantifiers `* + ?` and `{n}` `{n,}` `{n,m}` (n, m <= 255),
 *   lazy quantifiers (`*?` ...), anchors `^ $`, `.`, classes `[...]` / `[^...]` with ranges, escapes `\d \D \w \W \s
 *   \S \b \B \n \r \t \f \v \uXXXX` and backslash-escaped punctuation; a leading `(?i)` makes the match
 *   case-insensitive. Back-references, look-arounds, named groups and other flags are rejected.
 * The output escapes every literal ASCII punctuation character as `\uXXXX`, so no literal can be read as syntax.
 */
import { badRequest } from '../../../errors.js'

export interface PgRegex {
  /** ARE source, to be bound as a parameter of `~` / `~*`. */
  readonly source: string
  readonly caseInsensitive: boolean
}

export const MAX_PATTERN_LENGTH = 512
const MAX_REPEAT = 255
const MAX_DEPTH = 16
/** Bound on the size of the expanded pattern (atoms times enclosing repetition bounds): keeps the NFA small. */
const MAX_WEIGHT = 4000

/** A bounded repetition `{n}`, `{n,}` or `{n,m}`. */
const BRACES = /^\{(\d{1,4})(,(\d{0,4}))?\}/
const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c)
const hex4 = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
/** A literal character in ARE syntax: alphanumerics and non-ASCII as is, everything else escaped. */
const lit = (c: string) => (isAlnum(c) || c.charCodeAt(0) > 0x7f ? c : hex4(c))

class RegexParser {
  private i = 0
  private weight = 0

  constructor(
    private readonly src: string,
    private readonly offset: number,
  ) {}

  fail(msg: string, at = this.i): never {
    throw badRequest(`Invalid regular expression at position ${this.offset + at}: ${msg}`, {
      position: this.offset + at,
    })
  }

  parse(): string {
    const out = this.alternation(0)
    if (this.i < this.src.length) this.fail(`unbalanced ')'`)
    return out
  }

  private alternation(depth: number): string {
    const parts = [this.sequence(depth)]
    while (this.src[this.i] === '|') {
      this.i++
      parts.push(this.sequence(depth))
    }
    return parts.join('|')
  }

  private sequence(depth: number): string {
    let out = ''
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const start = this.i
      if (this.peekQuantifier()) this.fail('nothing to repeat')
      const atom = this.atom(depth, start)
      out += atom.text
      const quant = this.quantifier()
      if (quant) {
        if (!atom.quantifiable) this.fail('nothing to repeat', start)
        out += quant.text
        // Charge the atom again for the repetitions (approximation of the NFA growth).
        this.charge(atom.weight * (quant.max - 1))
      }
    }
    return out
  }

  private charge(w: number): void {
    this.weight += w
    if (this.weight > MAX_WEIGHT) this.fail('pattern too complex')
  }

  private atom(depth: number, start: number): { text: string; quantifiable: boolean; weight: number } {
    const c = this.src[this.i]!
    const before = this.weight
    if (c === '(') {
      if (depth + 1 > MAX_DEPTH) this.fail('groups nested too deeply')
      this.i++
      if (this.src[this.i] === '?') {
        if (this.src[this.i + 1] !== ':') this.fail('unsupported group (only (?:...) and a leading (?i) are allowed)')
        this.i += 2
      }
      const inner = this.alternation(depth + 1)
      if (this.src[this.i] !== ')') this.fail(`missing ')'`, start)
      this.i++
      return { text: `(?:${inner})`, quantifiable: true, weight: this.weight - before }
    }
    this.charge(1)
    if (c === '[') return { text: this.charClass(), quantifiable: true, weight: 1 }
    this.i++
    if (c === '.') return { text: '.', quantifiable: true, weight: 1 }
    if (c === '^' || c === '$') return { text: c, quantifiable: false, weight: 1 }
    if (c === '\\') return this.escape(false)
    return { text: lit(c), quantifiable: true, weight: 1 }
  }

  /** After a backslash (already consumed). */
  private escape(inClass: boolean): { text: string; quantifiable: boolean; weight: number } {
    const c = this.src[this.i]
    if (c === undefined) this.fail('pattern ends with a backslash')
    this.i++
    if ('dws'.includes(c)) return { text: `\\${c}`, quantifiable: true, weight: 1 }
    if ('DWS'.includes(c)) {
      if (inClass) this.fail(`\\${c} is not allowed inside a character class`, this.i - 2)
      return { text: `\\${c}`, quantifiable: true, weight: 1 }
    }
    if (c === 'b' || c === 'B') {
      if (inClass) this.fail(`\\${c} is not allowed inside a character class`, this.i - 2)
      return { text: c === 'b' ? '\\y' : '\\Y', quantifiable: false, weight: 1 }
    }
    const ctl: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' }
    const ctlChar = ctl[c]
    if (ctlChar) return { text: hex4(ctlChar), quantifiable: true, weight: 1 }
    if (c === 'u') {
      const h = this.src.slice(this.i, this.i + 4)
      if (!/^[0-9A-Fa-f]{4}$/.test(h)) this.fail('\\u needs 4 hexadecimal digits', this.i - 2)
      const code = Number.parseInt(h, 16)
      if (code === 0 || (code >= 0xd800 && code <= 0xdfff)) this.fail(`\\u${h} is not allowed`, this.i - 2)
      this.i += 4
      return { text: `\\u${h.toLowerCase()}`, quantifiable: true, weight: 1 }
    }
    if (isAlnum(c)) this.fail(`unsupported escape \\${c}`, this.i - 2)
    return { text: this.literalAt(c), quantifiable: true, weight: 1 }
  }

  /** A literal char (the current code point may be a surrogate pair: keep it whole). */
  private literalAt(c: string): string {
    const code = c.charCodeAt(0)
    if (code >= 0xd800 && code <= 0xdbff && this.i < this.src.length) {
      const pair = c + this.src[this.i]!
      this.i++
      return pair
    }
    return lit(c)
  }

  private charClass(): string {
    const start = this.i
    this.i++
    let out = '['
    if (this.src[this.i] === '^') {
      out += '^'
      this.i++
    }
    let items = 0
    while (this.src[this.i] !== ']') {
      if (this.i >= this.src.length) this.fail(`missing ']'`, start)
      const lo = this.classChar()
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++
        const hi = this.classChar()
        if (lo.code === undefined || hi.code === undefined) this.fail('invalid range in character class')
        if (lo.code > hi.code) this.fail('range out of order in character class')
        out += `${lo.text}-${hi.text}`
      } else out += lo.text
      items++
    }
    this.i++
    if (items === 0) this.fail('empty character class', start)
    return `${out}]`
  }

  private classChar(): { text: string; code: number | undefined } {
    const c = this.src[this.i]!
    if (c === '\\') {
      this.i++
      const e = this.escape(true)
      const m = /^\\u([0-9a-f]{4})$/.exec(e.text)
      if (m) return { text: e.text, code: Number.parseInt(m[1]!, 16) }
      // A shorthand class (\d, \w, \s) cannot be a range endpoint; a raw non-ASCII literal can.
      return { text: e.text, code: e.text.startsWith('\\') ? undefined : e.text.codePointAt(0) }
    }
    const cp = this.src.codePointAt(this.i)!
    const ch = String.fromCodePoint(cp)
    this.i += ch.length
    return { text: cp > 0x7f ? ch : lit(ch), code: cp }
  }

  private peekQuantifier(): boolean {
    const c = this.src[this.i]
    return c === '*' || c === '+' || c === '?' || (c === '{' && BRACES.test(this.src.slice(this.i, this.i + 12)))
  }

  private quantifier(): { text: string; max: number } | undefined {
    const c = this.src[this.i]
    let text: string
    let max: number
    if (c === '*' || c === '+' || c === '?') {
      this.i++
      text = c
      max = c === '?' ? 1 : 2
    } else if (c === '{') {
      // Not a valid {n,m}: a literal brace, as in JavaScript.
      const m = BRACES.exec(this.src.slice(this.i, this.i + 12))
      if (!m) return undefined
      const n = Number(m[1])
      const upper = m[2] === undefined ? n : m[3] === '' ? undefined : Number(m[3])
      if (n > MAX_REPEAT || (upper ?? 0) > MAX_REPEAT) this.fail(`repetition count above ${MAX_REPEAT}`)
      if (upper !== undefined && upper < n) this.fail('repetition bounds out of order')
      this.i += m[0].length
      text = m[0]
      max = Math.max(1, upper ?? n + 1)
    } else return undefined
    if (this.src[this.i] === '?') {
      text += '?'
      this.i++
    }
    if (this.peekQuantifier()) this.fail('nothing to repeat')
    return { text, max }
  }
}

/**
 * Validates a pattern and translates it to a PostgreSQL ARE. `offset` is the position of the pattern in the whole
 * query, for error messages. Throws BadRequestData.
 */
export function toPgRegex(pattern: string, offset = 0): PgRegex {
  if (pattern.length === 0) throw badRequest(`Invalid regular expression at position ${offset}: empty pattern`)
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw badRequest(`Invalid regular expression at position ${offset}: longer than ${MAX_PATTERN_LENGTH} characters`)
  }
  let body = pattern
  let caseInsensitive = false
  if (body.startsWith('(?i)')) {
    caseInsensitive = true
    body = body.slice(4)
    offset += 4
  }
  if (body.length === 0) return { source: '', caseInsensitive }
  return { source: new RegexParser(body, offset).parse(), caseInsensitive }
}
