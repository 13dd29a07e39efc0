/**
 * Tokenizer for the NGSI-LD query language `q` (ETSI GS CIM 009 clause 4.9).
 *
 * The language is context-sensitive at the lexical level: `.` separates attribute path segments but is part of
 * numbers and URIs in values, `:` is part of compact IRIs and of times, and so on. The lexer therefore has three
 * modes, switched by the tokens it has produced (it is still a plain pull tokenizer for the parser):
 *   - attr:  attribute paths (`name`, `.`, `[`, `]`), operators, `!`, `(`, `)`, `;`, `|`
 *   - value: after a comparison operator: quoted strings, bare words, `,`, `..`, and the closing `)`, `;`, `|`
 *   - regex: after `~=` / `!~=`: a quoted string, or a raw pattern up to an unbalanced `)` or a top-level `;` / `|`
 */
import { badRequest } from '../../../errors.js'

export type TokenType =
  | 'name'
  | 'dot'
  | 'lbracket'
  | 'rbracket'
  | 'op'
  | 'not'
  | 'lparen'
  | 'rparen'
  | 'and'
  | 'or'
  | 'string'
  | 'word'
  | 'regex'
  | 'comma'
  | 'dots'
  | 'eof'

export type QOperator = '==' | '!=' | '>' | '>=' | '<' | '<=' | '~=' | '!~='

export interface Token {
  readonly type: TokenType
  /** Decoded text: the name, the operator, the unescaped string, the raw word or pattern. */
  readonly text: string
  /** 0-based offset of the token in the input. */
  readonly pos: number
  /** True for a double-quoted string or pattern. */
  readonly quoted?: boolean
}

type Mode = 'attr' | 'value' | 'regex'

/** Letters, digits, `_` and `:` (compact IRIs such as `schema:name`). */
const NAME_CHAR = /[\p{L}\p{N}_:]/u
/** Characters that end a bare value word. */
const WORD_END = new Set([';', '|', '(', ')', ',', '"'])
const WS = /\s/u

export const qError = (message: string, pos: number) =>
  badRequest(`Invalid q at position ${pos}: ${message}`, { position: pos })

/** Rejects characters that can never be sent to PostgreSQL as text or JSON (NUL, lone UTF-16 surrogates). */
export function assertSafeText(input: string, what: string): void {
  const nul = input.indexOf('\u0000')
  if (nul >= 0) throw badRequest(`${what} contains a NUL character at position ${nul}`)
  const m = /\p{Cs}/u.exec(input)
  if (m) throw badRequest(`${what} contains an invalid (unpaired surrogate) character at position ${m.index}`)
}

export class QLexer {
  private pos = 0
  private mode: Mode = 'attr'
  private peeked: Token | undefined

  constructor(private readonly src: string) {}

  peek(): Token {
    if (!this.peeked) this.peeked = this.scan()
    return this.peeked
  }

  next(): Token {
    const t = this.peek()
    this.peeked = undefined
    return t
  }

  private scan(): Token {
    this.skipWs()
    const start = this.pos
    if (this.pos >= this.src.length) return { type: 'eof', text: '', pos: start }
    const c = this.src[this.pos]!
    // Structural characters, recognised in every mode (the regex mode handles its own termination).
    if (this.mode !== 'regex') {
      if (c === '(') return this.emit('lparen', c, 1, 'attr')
      if (c === ')') return this.emit('rparen', c, 1, 'attr')
      if (c === ';') return this.emit('and', c, 1, 'attr')
      if (c === '|') return this.emit('or', c, 1, 'attr')
    }
    if (this.mode === 'attr') return this.scanAttr(c, start)
    if (this.mode === 'value') return this.scanValue(c, start)
    return this.scanRegex(c, start)
  }

  private emit(type: TokenType, text: string, len: number, mode: Mode, pos = this.pos): Token {
    this.pos += len
    this.mode = mode
    return { type, text, pos }
  }

  private skipWs(): void {
    while (this.pos < this.src.length && WS.test(this.src[this.pos]!)) this.pos++
  }

  private scanAttr(c: string, start: number): Token {
    const two = this.src.slice(start, start + 2)
    const three = this.src.slice(start, start + 3)
    if (three === '!~=') return this.emit('op', three, 3, 'regex')
    if (two === '==' || two === '!=' || two === '>=' || two === '<=') return this.emit('op', two, 2, 'value')
    if (two === '~=') return this.emit('op', two, 2, 'regex')
    if (c === '>' || c === '<') return this.emit('op', c, 1, 'value')
    if (c === '!') return this.emit('not', c, 1, 'attr')
    if (c === '.') return this.emit('dot', c, 1, 'attr')
    if (c === '[') return this.emit('lbracket', c, 1, 'attr')
    if (c === ']') return this.emit('rbracket', c, 1, 'attr')
    if (c === '=') throw qError(`'=' is not an operator (use '==')`, start)
    let end = start
    while (end < this.src.length) {
      const cp = this.src.codePointAt(end)!
      const ch = String.fromCodePoint(cp)
      if (!NAME_CHAR.test(ch) && ch !== '-' && ch !== '@') break
      end += ch.length
    }
    if (end === start) throw qError(`unexpected character '${c}'`, start)
    return this.emit('name', this.src.slice(start, end), end - start, 'attr')
  }

  private scanValue(c: string, start: number): Token {
    if (c === ',') return this.emit('comma', c, 1, 'value')
    if (c === '"') {
      const s = this.readQuoted(start)
      return { type: 'string', text: s, pos: start, quoted: true }
    }
    if (this.src.startsWith('..', start)) return this.emit('dots', '..', 2, 'value')
    let end = start
    while (end < this.src.length) {
      const ch = this.src[end]!
      if (WORD_END.has(ch) || WS.test(ch) || this.src.startsWith('..', end)) break
      end++
    }
    return this.emit('word', this.src.slice(start, end), end - start, 'value')
  }

  private scanRegex(c: string, start: number): Token {
    if (c === '"') {
      const s = this.readQuoted(start)
      return { type: 'regex', text: s, pos: start, quoted: true }
    }
    // Raw pattern: stop at a top-level `;` or `|`, or at a `)` that closes a group opened before the pattern.
    let depth = 0
    let inClass = false
    let end = start
    while (end < this.src.length) {
      const ch = this.src[end]!
      if (ch === '\\') {
        end += 2
        continue
      }
      if (inClass) {
        if (ch === ']') inClass = false
      } else if (ch === '[') inClass = true
      else if (ch === '(') depth++
      else if (ch === ')') {
        if (depth === 0) break
        depth--
      } else if ((ch === ';' || ch === '|') && depth === 0) break
      end++
    }
    end = Math.min(end, this.src.length)
    if (end === start) throw qError('missing regular expression after the pattern operator', start)
    return this.emit('regex', this.src.slice(start, end), end - start, 'value')
  }

  /**
   * Reads a double-quoted string starting at `start`. `\"` and `\\` are unescaped; any other backslash sequence is
   * kept verbatim (so regular expressions such as `"\d+"` need no double escaping).
   */
  private readQuoted(start: number): string {
    let i = start + 1
    let out = ''
    while (i < this.src.length) {
      const ch = this.src[i]!
      if (ch === '"') {
        this.pos = i + 1
        this.mode = 'value'
        return out
      }
      if (ch === '\\') {
        const n = this.src[i + 1]
        if (n === undefined) break
        out += n === '"' || n === '\\' ? n : ch + n
        i += 2
        continue
      }
      out += ch
      i++
    }
    throw qError('unterminated quoted string', start)
  }
}
