/**
 * Entity type selection (clause 4.17): a list `A,B` or an expression with `|` (or), `;` (and) and parentheses,
 * compiled to GIN-indexable array operators over `e.types`.
 */
import { type RawBuilder, sql } from 'kysely'
import { AppError } from '../../errors.js'

type Node = { kind: 'name'; name: string } | { kind: 'and' | 'or'; items: Node[] }

const MAX = 1024
const NAME = /^[^\s,;|()]+$/

export function parseTypeExpression(input: string): Node {
  if (input.length === 0 || input.length > MAX)
    throw new AppError('BadRequestData', `type must have 1 to ${MAX} characters`)
  const tokens = input.match(/[(),;|]|[^(),;|]+/g) ?? []
  let pos = 0
  const peek = () => tokens[pos]
  const fail = (msg: string): never => {
    throw new AppError('BadRequestData', `Invalid type expression "${input}": ${msg}`)
  }
  function parseOr(depth: number): Node {
    if (depth > 16) fail('nested too deeply')
    const items = [parseAnd(depth)]
    while (peek() === '|' || peek() === ',') {
      pos++
      items.push(parseAnd(depth))
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items }
  }
  function parseAnd(depth: number): Node {
    const items = [parseAtom(depth)]
    while (peek() === ';') {
      pos++
      items.push(parseAtom(depth))
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items }
  }
  function parseAtom(depth: number): Node {
    const t = peek()
    if (t === undefined) return fail('a type name is missing')
    if (t === '(') {
      pos++
      const n = parseOr(depth + 1)
      if (peek() !== ')') fail('a ")" is missing')
      pos++
      return n
    }
    const name = t.trim()
    if (!NAME.test(name)) fail(`"${t}" is not a type name`)
    pos++
    return { kind: 'name', name }
  }
  const node = parseOr(0)
  if (pos !== tokens.length) fail(`unexpected "${peek()}"`)
  return node
}

/** Every type name of the expression (e.g. for the types of a FeatureCollection). */
export function typeNamesOf(n: Node): string[] {
  return n.kind === 'name' ? [n.name] : n.items.flatMap(typeNamesOf)
}

export function compileTypeExpression(n: Node, expand: (t: string) => string, alias = 'e'): RawBuilder<boolean> {
  const col = sql.ref(`${alias}.types`)
  const go = (x: Node): RawBuilder<boolean> => {
    if (x.kind === 'name') return sql<boolean>`${col} @> ARRAY[${expand(x.name)}]::text[]`
    if (x.kind === 'or' && x.items.every((i) => i.kind === 'name')) {
      return sql<boolean>`${col} && ${x.items.map((i) => expand((i as { name: string }).name))}::text[]`
    }
    if (x.kind === 'and' && x.items.every((i) => i.kind === 'name')) {
      return sql<boolean>`${col} @> ${x.items.map((i) => expand((i as { name: string }).name))}::text[]`
    }
    return sql<boolean>`(${sql.join(x.items.map(go), x.kind === 'and' ? sql` AND ` : sql` OR `)})`
  }
  return go(n)
}
