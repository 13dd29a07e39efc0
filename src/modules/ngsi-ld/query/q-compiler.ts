/**
 * Compiles a parsed `q` (see q-parser.ts) to a parameterized boolean SQL expression over `ngsi_entities` (alias `e`).
 *
 * Comparisons are evaluated with `jsonb_path_exists(e.attrs, $path::jsonpath, $vars::jsonb, true)` in lax mode:
 * a term is true when ANY instance (datasetId) of the attribute has a compared member (see q-members.ts) matching;
 * comparisons between different JSON types are "unknown" in jsonpath, so they simply do not match (never an error).
 * Keys in the path text are escaped with jpKey; all values travel in `vars`. Patterns use the SQL `~` operator with
 * a pre-validated ARE bound as a parameter (regex.ts). Equality terms additionally get a GIN-friendly containment
 * pre-filter on the index document `e.search` (q-containment.ts, search-doc.ts).
 *
 * Semantics of the negative operators: `a!=v` is true when `a` has at least one compared value and none equals v
 * (an entity without `a` does not match); `a!~=p` likewise with "matches p". `!a` is true when `a` does not exist.
 */
import { type RawBuilder, sql } from 'kysely'
import { JpVars, jpAnd, jpOr } from './jsonpath.js'
import { containmentDocs } from './q-containment.js'
import { type Member, type PathContext, instancesPath, membersOf, selectorPaths, valueForms } from './q-members.js'
import type { QNode, QTermNode, QValueSpec } from './q-parser.js'
import type { QValue } from './q-values.js'
import { checkAlias } from './sql-alias.js'

export interface CompileQOptions {
  /** Expands an attribute / sub-attribute short name to its IRI (the request's @context). */
  expand: (term: string) => string
  /** Expands a VocabProperty value (stored expanded). Without it, vocab values are compared as written. */
  expandVocab?: (value: string) => string
  /** Alias of `ngsi_entities` in the surrounding query; default `e`. */
  alias?: string
  /** Emit the containment pre-filter for equality terms (default true; needs the alias's `search` column). */
  containment?: boolean
}

interface Ctx extends PathContext {
  readonly alias: string
  readonly containment: boolean
}

/** Compiles a `q` AST to a boolean SQL expression. Throws AppError('BadRequestData') for invalid names. */
export function compileQ(ast: QNode, opts: CompileQOptions): RawBuilder<boolean> {
  const ctx: Ctx = {
    expand: opts.expand,
    expandVocab: opts.expandVocab,
    alias: checkAlias(opts.alias, 'e'),
    containment: opts.containment ?? true,
  }
  return node(ast, ctx)
}

function node(n: QNode, ctx: Ctx): RawBuilder<boolean> {
  if (n.kind === 'and' || n.kind === 'or') {
    const parts = n.children.map((c) => node(c, ctx))
    return sql<boolean>`(${sql.join(parts, n.kind === 'and' ? sql` AND ` : sql` OR `)})`
  }
  return term(n, ctx)
}

const attrsRef = (ctx: Ctx) => sql.ref(`${ctx.alias}.attrs`)

function pathExists(ctx: Ctx, path: string, vars?: JpVars): RawBuilder<boolean> {
  return sql<boolean>`jsonb_path_exists(${attrsRef(ctx)}, ${path}::jsonpath, ${vars?.json() ?? '{}'}::jsonb, true)`
}

const isNotTrue = (e: RawBuilder<boolean>) => sql<boolean>`(${e}) IS NOT TRUE`

function term(t: QTermNode, ctx: Ctx): RawBuilder<boolean> {
  if (t.path.system) return systemTerm(t, ctx)
  if (t.kind === 'exists') {
    const e = existsTerm(t, ctx)
    return t.negated ? isNotTrue(e) : e
  }
  if (t.kind === 'pattern') return patternTerm(t, ctx)
  return compareTerm(t, ctx)
}

/** `exists(@<suffix>)` for every member: the instance has some compared value. */
const anyMember = (members: Member[]) => jpOr(members.map((m) => `exists(@${m.suffix})`))

function existsTerm(t: Extract<QTermNode, { kind: 'exists' }>, ctx: Ctx): RawBuilder<boolean> {
  const { path } = t
  if (path.subAttrs.length === 0 && !path.member && path.compound.length === 0) {
    return sql<boolean>`(${attrsRef(ctx)} ? ${ctx.expand(path.attr)})`
  }
  const base = instancesPath(path, ctx)
  if (path.member) return pathExists(ctx, `${base}.${path.member}`)
  if (path.compound.length > 0) return pathExists(ctx, `${base} ? (${anyMember(membersOf(path))})`)
  return pathExists(ctx, base)
}

/** The jsonpath condition on one member (`@` = the member's scalar) for an equality-like spec, or undefined. */
function memberCondition(m: Member, op: string, spec: QValueSpec, vars: JpVars, ctx: Ctx): string | undefined {
  const eq = op === '==' || op === '!='
  const forms = (v: QValue) => valueForms(m.kind, v, eq, ctx)
  const jpOp = eq ? '==' : op
  let preds: string[]
  if (spec.kind === 'range') {
    const lo = forms(spec.from)[0]
    const hi = forms(spec.to)[0]
    if (lo === undefined || hi === undefined) return undefined
    preds = [`(@ >= ${vars.ref(lo)} && @ <= ${vars.ref(hi)})`]
  } else {
    const values = spec.kind === 'single' ? [spec.value] : spec.values
    preds = values.flatMap(forms).map((f) => `@ ${jpOp} ${vars.ref(f)}`)
  }
  if (preds.length === 0) return undefined
  return `exists(@${m.suffix} ? (${jpOr(preds)}))`
}

function compareTerm(t: Extract<QTermNode, { kind: 'compare' }>, ctx: Ctx): RawBuilder<boolean> {
  const base = instancesPath(t.path, ctx)
  const members = membersOf(t.path)
  const vars = new JpVars()
  const conds = members.flatMap((m) => memberCondition(m, t.op, t.value, vars, ctx) ?? [])
  if (t.op === '!=') {
    // The attribute has a compared value, and no instance has a value equal to (one of) the value(s).
    const has = `exists(${base} ? (${anyMember(members)}))`
    if (conds.length === 0) return pathExists(ctx, `$ ? (${has})`)
    return pathExists(ctx, `$ ? (${jpAnd([has, `!(exists(${base} ? (${jpOr(conds)})))`])})`, vars)
  }
  if (conds.length === 0) return sql<boolean>`FALSE`
  const exact = pathExists(ctx, `${base} ? (${jpOr(conds)})`, vars)
  const docs = ctx.containment ? containmentDocs(t, ctx) : undefined
  if (!docs) return exact
  const search = sql.ref(`${ctx.alias}.search`)
  const arms = docs.map((d) => sql<boolean>`${search} @> ${JSON.stringify(d)}::jsonb`)
  return sql<boolean>`((${sql.join(arms, sql` OR `)}) AND ${exact})`
}

function patternTerm(t: Extract<QTermNode, { kind: 'pattern' }>, ctx: Ctx): RawBuilder<boolean> {
  const base = instancesPath(t.path, ctx)
  const members = membersOf(t.path)
  const selects = selectorPaths(base, members).map(
    (p) => sql`SELECT jsonb_path_query(${attrsRef(ctx)}, ${p}::jsonpath, '{}'::jsonb, true) AS v`,
  )
  const op = t.regex.caseInsensitive ? sql`~*` : sql`~`
  const matches = sql<boolean>`EXISTS (SELECT 1 FROM (${sql.join(selects, sql` UNION ALL `)}) AS c WHERE jsonb_typeof(c.v) = 'string' AND (c.v #>> '{}') ${op} ${t.regex.source})`
  // Cheap guard first: entities without the attribute skip the subquery.
  if (!t.negated) return sql<boolean>`(${attrsRef(ctx)} ? ${ctx.expand(t.path.attr)} AND ${matches})`
  const has = pathExists(ctx, `${base} ? (${anyMember(members)})`)
  return sql<boolean>`(${has} AND NOT ${matches})`
}

const ORDER_OPS = { '>': sql`>`, '>=': sql`>=`, '<': sql`<`, '<=': sql`<=` } as const

/** `createdAt` / `modifiedAt` of the entity itself (columns `created_at`, `modified_at`). */
function systemTerm(t: QTermNode, ctx: Ctx): RawBuilder<boolean> {
  if (t.kind === 'exists') return t.negated ? sql<boolean>`FALSE` : sql<boolean>`TRUE`
  if (t.kind !== 'compare') return sql<boolean>`FALSE`
  const col = sql.ref(`${ctx.alias}.${t.path.system === 'createdAt' ? 'created_at' : 'modified_at'}`)
  const ts = (v: QValue) => sql`${valueForms('timestamp', v, true, ctx)[0] ?? ''}::timestamptz`
  const spec = t.value
  let eq: RawBuilder<boolean>
  if (spec.kind === 'range') eq = sql<boolean>`(${col} BETWEEN ${ts(spec.from)} AND ${ts(spec.to)})`
  else if (spec.kind === 'list') eq = sql<boolean>`(${col} IN (${sql.join(spec.values.map(ts))}))`
  else if (t.op === '==' || t.op === '!=') eq = sql<boolean>`(${col} = ${ts(spec.value)})`
  else return sql<boolean>`(${col} ${ORDER_OPS[t.op]} ${ts(spec.value)})`
  return t.op === '!=' ? isNotTrue(eq) : eq
}
