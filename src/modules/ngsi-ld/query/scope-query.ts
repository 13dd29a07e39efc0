/**
 * Scope queries `scopeQ` (ETSI GS CIM 009 v1.8.1 clause 4.19), parsed and compiled to SQL over `e.scopes text[]`.
 *
 *   scopeQ  := orExpr EOF ;  orExpr := andExpr ( ('|' | ',') andExpr )* ;  andExpr := primary ( ';' primary )*
 *   primary := '(' orExpr ')' | scope
 *   scope   := '/' level ( '/' level )*  where level is a name, '+' (exactly one level) or, last, '#' (this scope
 *              and all its descendants); '/#' matches any scoped entity.
 *
 * An entity matches a scope term when ANY of its scopes matches. Scope names are compared with a leading '/'
 * (a query scope written without it gets one): stored scopes are expected in that form.
 */
import { type RawBuilder, sql } from 'kysely'
import { badRequest } from '../../../errors.js'
import { checkAlias } from './sql-alias.js'

export const MAX_SCOPEQ_LENGTH = 2048
const MAX_DEPTH = 16
const MAX_TERMS = 64
const MAX_LEVELS = 32
const LEVEL = /^[\p{L}\p{N}_]+$/u

export type ScopeNode =
  | { readonly kind: 'and' | 'or'; readonly children: readonly ScopeNode[] }
  /** `levels` without the leading '/': names, '+' or a final '#'. */
  | { readonly kind: 'scope'; readonly levels: readonly string[]; readonly text: string }

const fail = (msg: string, pos: number) => badRequest(`Invalid scopeQ at position ${pos}: ${msg}`, { position: pos })

class ScopeParser {
  private i = 0
  private terms = 0
  constructor(private readonly src: string) {}

  parse(): ScopeNode {
    const n = this.orExpr(0)
    this.ws()
    if (this.i < this.src.length) throw fail(`unexpected '${this.src[this.i]}'`, this.i)
    return n
  }

  private ws(): void {
    while (this.i < this.src.length && /\s/.test(this.src[this.i]!)) this.i++
  }

  private peek(): string | undefined {
    this.ws()
    return this.src[this.i]
  }

  private orExpr(depth: number): ScopeNode {
    const children = [this.andExpr(depth)]
    while (this.peek() === '|' || this.peek() === ',') {
      this.i++
      children.push(this.andExpr(depth))
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children }
  }

  private andExpr(depth: number): ScopeNode {
    const children = [this.primary(depth)]
    while (this.peek() === ';') {
      this.i++
      children.push(this.primary(depth))
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children }
  }

  private primary(depth: number): ScopeNode {
    const c = this.peek()
    if (c === '(') {
      if (depth + 1 > MAX_DEPTH) throw fail(`parentheses nested deeper than ${MAX_DEPTH}`, this.i)
      const open = this.i++
      const inner = this.orExpr(depth + 1)
      if (this.peek() !== ')') throw fail(`missing ')' for '(' at position ${open}`, this.i)
      this.i++
      return inner
    }
    return this.scope()
  }

  private scope(): ScopeNode {
    const start = this.i
    if (++this.terms > MAX_TERMS) throw fail(`more than ${MAX_TERMS} scopes`, start)
    let end = start
    while (end < this.src.length && !/[;|,()\s]/.test(this.src[end]!)) end++
    const text = this.src.slice(start, end)
    if (text.length === 0) throw fail(this.src[start] === undefined ? 'missing scope' : 'expected a scope', start)
    this.i = end
    const levels = (text.startsWith('/') ? text.slice(1) : text).split('/')
    if (levels.length > MAX_LEVELS) throw fail(`more than ${MAX_LEVELS} levels`, start)
    levels.forEach((level, k) => {
      if (level === '#') {
        if (k !== levels.length - 1) throw fail(`'#' must be the last level of '${text}'`, start)
      } else if (level !== '+' && !LEVEL.test(level)) {
        throw fail(`invalid scope level '${level}' in '${text}' (letters, digits, '_', '+' or a final '#')`, start)
      }
    })
    return { kind: 'scope', levels, text }
  }
}

/** Parses a (URL-decoded) scopeQ. Throws AppError('BadRequestData'). */
export function parseScopeQ(input: string): ScopeNode {
  if (typeof input !== 'string' || input.trim().length === 0) throw fail('empty expression', 0)
  if (input.length > MAX_SCOPEQ_LENGTH) throw fail(`longer than ${MAX_SCOPEQ_LENGTH} characters`, 0)
  return new ScopeParser(input).parse()
}

/** Escapes a literal for a POSIX ARE (only word characters pass through). */
const reLiteral = (s: string) =>
  s.replace(/[^\p{L}\p{N}_]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

function scopeTerm(levels: readonly string[], scopes: RawBuilder<unknown>): RawBuilder<boolean> {
  const last = levels[levels.length - 1]
  const descendants = last === '#'
  const fixed = descendants ? levels.slice(0, -1) : levels
  if (fixed.length === 0) return sql<boolean>`(cardinality(${scopes}) > 0)`
  if (!fixed.includes('+')) {
    const exact = `/${fixed.join('/')}`
    const eq = sql<boolean>`${scopes} @> ARRAY[${exact}]::text[]`
    if (!descendants) return sql<boolean>`(${eq})`
    return sql<boolean>`(${eq} OR EXISTS (SELECT 1 FROM unnest(${scopes}) AS s(v) WHERE starts_with(s.v, ${`${exact}/`})))`
  }
  const body = fixed.map((l) => (l === '+' ? '[^/]+' : reLiteral(l))).join('/')
  const re = `^/${body}${descendants ? '(?:/.*)?' : ''}$`
  return sql<boolean>`EXISTS (SELECT 1 FROM unnest(${scopes}) AS s(v) WHERE s.v ~ ${re})`
}

/** Compiles a parsed scopeQ to a boolean SQL expression over `<alias>.scopes` (alias default `e`). */
export function compileScopeQ(ast: ScopeNode, opts: { alias?: string } = {}): RawBuilder<boolean> {
  const scopes = sql.ref(`${checkAlias(opts.alias, 'e')}.scopes`)
  const walk = (n: ScopeNode): RawBuilder<boolean> => {
    if (n.kind === 'scope') return scopeTerm(n.levels, scopes)
    return sql<boolean>`(${sql.join(n.children.map(walk), n.kind === 'and' ? sql` AND ` : sql` OR `)})`
  }
  return walk(ast)
}
