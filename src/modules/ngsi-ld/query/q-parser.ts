/**
 * Recursive-descent parser of the NGSI-LD query language `q` (ETSI GS CIM 009 v1.8.1 clause 4.9).
 *
 *   query    := orExpr EOF
 *   orExpr   := andExpr ( '|' andExpr )*              -- ';' (AND) binds tighter than '|' (OR)
 *   andExpr  := primary ( ';' primary )*
 *   primary  := '(' orExpr ')' | term
 *   term     := '!' attrPath                           -- the attribute does not exist (extension, as Stellio)
 *             | attrPath [ compOp valueSpec | patternOp regex ]
 *   attrPath := name ( '.' name )* ( '[' key ']' )*
 *   valueSpec:= value | value '..' value | value ( ',' value )+
 *
 * Input is the URL-decoded `q`. Errors are AppError('BadRequestData') with the position in the message.
 */
import { type QOperator, QLexer, type Token, assertSafeText, qError } from './q-lexer.js'
import { type QValue, classifyWord, isStringLike, quotedValue } from './q-values.js'
import { type PgRegex, toPgRegex } from './regex.js'

export type { QOperator } from './q-lexer.js'
export type { QValue } from './q-values.js'
export type { PgRegex } from './regex.js'

export const MAX_Q_LENGTH = 4096
export const MAX_Q_DEPTH = 32
export const MAX_Q_TERMS = 128
export const MAX_LIST_VALUES = 100

/** Members of an attribute instance that a dotted path can end with (instead of a sub-attribute). */
export const META_MEMBERS = ['observedAt', 'createdAt', 'modifiedAt', 'unitCode', 'datasetId'] as const
export type MetaMember = (typeof META_MEMBERS)[number]
/** Entity-level system attributes usable as a whole path (`createdAt>2024-01-01`). */
export type SystemAttr = 'createdAt' | 'modifiedAt'

export interface QAttrPath {
  /** The attribute short name (or compact/absolute IRI) as written; expanded by the compiler. */
  readonly attr: string
  /** Sub-attribute names of a dotted path, in order (expanded by the compiler). */
  readonly subAttrs: readonly string[]
  /** A trailing `.observedAt` (etc.): compares that member instead of the value. */
  readonly member?: MetaMember
  /** Keys of the compound value (`address[addressLocality]`); never expanded. */
  readonly compound: readonly string[]
  /** Set for the bare names `createdAt` / `modifiedAt`: the entity's own timestamps. */
  readonly system?: SystemAttr
  /** The path as written, for messages. */
  readonly text: string
}

export type QValueSpec =
  | { readonly kind: 'single'; readonly value: QValue }
  | { readonly kind: 'list'; readonly values: readonly QValue[] }
  | { readonly kind: 'range'; readonly from: QValue; readonly to: QValue }

export type QCompareOp = Exclude<QOperator, '~=' | '!~='>

export type QNode =
  | { readonly kind: 'and'; readonly children: readonly QNode[] }
  | { readonly kind: 'or'; readonly children: readonly QNode[] }
  | { readonly kind: 'exists'; readonly path: QAttrPath; readonly negated: boolean; readonly pos: number }
  | {
      readonly kind: 'compare'
      readonly path: QAttrPath
      readonly op: QCompareOp
      readonly value: QValueSpec
      readonly pos: number
    }
  | {
      readonly kind: 'pattern'
      readonly path: QAttrPath
      readonly negated: boolean
      /** The pattern as written. */
      readonly pattern: string
      readonly regex: PgRegex
      readonly pos: number
    }

export type QTermNode = Extract<QNode, { kind: 'exists' | 'compare' | 'pattern' }>

const describe = (t: Token) => (t.type === 'eof' ? 'end of input' : `'${t.text}'`)
const ATTR_NAME = /^[\p{L}_][\p{L}\p{N}_:-]*$/u

class QParser {
  private readonly lx: QLexer
  private terms = 0

  constructor(src: string) {
    this.lx = new QLexer(src)
  }

  parse(): QNode {
    const node = this.orExpr(0)
    const t = this.lx.next()
    if (t.type === 'rparen') throw qError(`unbalanced ')'`, t.pos)
    if (t.type !== 'eof') throw qError(`expected ';', '|' or end of input but found ${describe(t)}`, t.pos)
    return node
  }

  private orExpr(depth: number): QNode {
    const children = [this.andExpr(depth)]
    while (this.lx.peek().type === 'or') {
      this.lx.next()
      children.push(this.andExpr(depth))
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children }
  }

  private andExpr(depth: number): QNode {
    const children = [this.primary(depth)]
    while (this.lx.peek().type === 'and') {
      this.lx.next()
      children.push(this.primary(depth))
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children }
  }

  private primary(depth: number): QNode {
    const t = this.lx.peek()
    if (t.type === 'lparen') {
      if (depth + 1 > MAX_Q_DEPTH) throw qError(`parentheses nested deeper than ${MAX_Q_DEPTH}`, t.pos)
      this.lx.next()
      const inner = this.orExpr(depth + 1)
      const close = this.lx.next()
      if (close.type !== 'rparen') throw qError(`expected ')' but found ${describe(close)}`, close.pos)
      return inner
    }
    return this.term()
  }

  private term(): QNode {
    if (++this.terms > MAX_Q_TERMS) throw qError(`more than ${MAX_Q_TERMS} terms`, this.lx.peek().pos)
    const first = this.lx.peek()
    if (first.type === 'not') {
      this.lx.next()
      const path = this.attrPath()
      const after = this.lx.peek()
      if (after.type === 'op') throw qError(`'!' can only negate an attribute name, not a comparison`, after.pos)
      return { kind: 'exists', path, negated: true, pos: first.pos }
    }
    const path = this.attrPath()
    const opTok = this.lx.peek()
    if (opTok.type !== 'op') {
      if (opTok.type === 'eof' || opTok.type === 'and' || opTok.type === 'or' || opTok.type === 'rparen') {
        return { kind: 'exists', path, negated: false, pos: first.pos }
      }
      throw qError(`expected an operator, ';', '|' or ')' but found ${describe(opTok)}`, opTok.pos)
    }
    this.lx.next()
    const op = opTok.text as QOperator
    if (op === '~=' || op === '!~=') {
      const re = this.lx.next()
      if (re.type !== 'regex') throw qError(`expected a regular expression after '${op}'`, re.pos)
      const patternPos = re.pos + (re.quoted ? 1 : 0)
      const regex = toPgRegex(re.text, patternPos)
      if (path.system) throw qError(`'${op}' cannot be used on ${path.system}`, opTok.pos)
      return { kind: 'pattern', path, negated: op === '!~=', pattern: re.text, regex, pos: first.pos }
    }
    const value = this.valueSpec(op, opTok.pos)
    if (path.system) {
      const values =
        value.kind === 'single' ? [value.value] : value.kind === 'list' ? value.values : [value.from, value.to]
      if (values.some((v) => v.type !== 'dateTime' && v.type !== 'date')) {
        throw qError(`${path.system} can only be compared with a dateTime or a date`, opTok.pos)
      }
    }
    return { kind: 'compare', path, op, value, pos: first.pos }
  }

  private attrPath(): QAttrPath {
    const start = this.lx.peek()
    const names = [this.name('an attribute name', true)]
    while (this.lx.peek().type === 'dot') {
      this.lx.next()
      names.push(this.name(`a sub-attribute name after '.'`, true))
    }
    const compound: string[] = []
    while (this.lx.peek().type === 'lbracket') {
      this.lx.next()
      compound.push(this.name(`a key after '['`))
      const close = this.lx.next()
      if (close.type !== 'rbracket') throw qError(`expected ']' but found ${describe(close)}`, close.pos)
    }
    const after = this.lx.peek()
    if (after.type === 'dot') throw qError(`a dotted path cannot follow a compound key '[...]'`, after.pos)
    const text = names.join('.') + compound.map((k) => `[${k}]`).join('')
    const [attr, ...rest] = names as [string, ...string[]]
    const last = rest[rest.length - 1]
    if (last !== undefined && (META_MEMBERS as readonly string[]).includes(last)) {
      if (compound.length > 0) throw qError(`'${last}' has no compound value`, start.pos)
      return { attr, subAttrs: rest.slice(0, -1), member: last as MetaMember, compound, text }
    }
    if (rest.length === 0 && compound.length === 0 && (attr === 'createdAt' || attr === 'modifiedAt')) {
      return { attr, subAttrs: [], compound, system: attr, text }
    }
    return { attr, subAttrs: rest, compound, text }
  }

  /** A name token; attribute names must start with a letter or `_` and have no `@`. */
  private name(what: string, attribute = false): string {
    const t = this.lx.next()
    if (t.type !== 'name') throw qError(`expected ${what} but found ${describe(t)}`, t.pos)
    if (attribute && !ATTR_NAME.test(t.text)) {
      throw qError(`invalid attribute name '${t.text}' (it must start with a letter)`, t.pos)
    }
    return t.text
  }

  private value(): QValue {
    const t = this.lx.next()
    if (t.type === 'string') return quotedValue(t.text, t.pos)
    if (t.type === 'word') return classifyWord(t.text, t.pos)
    throw qError(`expected a value but found ${describe(t)}`, t.pos)
  }

  private valueSpec(op: QCompareOp, opPos: number): QValueSpec {
    const first = this.value()
    const next = this.lx.peek()
    if (next.type === 'dots') {
      this.lx.next()
      const to = this.value()
      if (op !== '==' && op !== '!=') throw qError(`a range can only be used with '==' or '!='`, next.pos)
      if (first.type === 'boolean' || to.type === 'boolean') throw qError('a range cannot have boolean ends', next.pos)
      if ((first.type === 'number') !== (to.type === 'number') || isStringLike(first) !== isStringLike(to)) {
        throw qError('both ends of a range must be numbers, or both strings/dates', next.pos)
      }
      return { kind: 'range', from: first, to }
    }
    if (next.type === 'comma') {
      if (op !== '==' && op !== '!=') throw qError(`a list of values can only be used with '==' or '!='`, next.pos)
      const values = [first]
      while (this.lx.peek().type === 'comma') {
        this.lx.next()
        values.push(this.value())
        if (values.length > MAX_LIST_VALUES) throw qError(`more than ${MAX_LIST_VALUES} values in a list`, next.pos)
      }
      return { kind: 'list', values }
    }
    if (first.type === 'boolean' && op !== '==' && op !== '!=') {
      throw qError(`booleans can only be compared with '==' or '!='`, opPos)
    }
    return { kind: 'single', value: first }
  }
}

/** Parses a (URL-decoded) `q` expression. Throws AppError('BadRequestData') on any error. */
export function parseQ(input: string): QNode {
  if (typeof input !== 'string') throw qError('q must be a string', 0)
  if (input.length > MAX_Q_LENGTH) throw qError(`q longer than ${MAX_Q_LENGTH} characters`, MAX_Q_LENGTH)
  assertSafeText(input, 'q')
  if (input.trim().length === 0) throw qError('empty expression', 0)
  return new QParser(input).parse()
}

/** All the terms of an AST, depth first. */
export function qTerms(node: QNode): QTermNode[] {
  if (node.kind === 'and' || node.kind === 'or') return node.children.flatMap(qTerms)
  return [node]
}
