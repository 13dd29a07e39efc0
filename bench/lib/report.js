// The results: a plain-text table (scenario | database | measured | target | reference | result), the CPU use of
// each throughput scenario, and bench/results/latest.json.
import fs from 'node:fs'
import path from 'node:path'
import { fmt } from './log.js'
import { TARGETS, targetText, verdict } from './targets.js'

const LABELS = {
  ...Object.fromEntries(Object.entries(TARGETS).map(([k, t]) => [k, t.label])),
  hello: 'limit: bare Fastify hello-world',
  copy: 'limit: COPY into a scratch ngsi_entities',
  pgget: 'limit: PostgreSQL alone, the GET SQL',
  pgpatch: 'limit: PostgreSQL alone, the PATCH transaction',
}

function measured(row) {
  if (row.unit === 'ms p95') return `${row.value.toFixed(1)} ms p95`
  return `${fmt(row.value)} ${row.unit}`
}

/** Adds target, reference and verdict to every row. Targets are for PostgreSQL; embedded rows are reported only. */
export function judge(rows, { hello }) {
  // The fastest COPY of that database (PostgreSQL: 1 or 2 streams).
  const copyOf = (db) => rows.filter((r) => r.key === 'copy' && r.database === db).sort((a, b) => b.value - a.value)[0]
  for (const r of rows) {
    const t = TARGETS[r.key]
    const onPg = r.database === 'PostgreSQL'
    r.target = t ? (onPg ? targetText(t) : `(${targetText(t)} on PG)`) : ''
    const refs = t?.reference ? [t.reference] : []
    if ((r.key === 'get' || r.key === 'patch') && hello) refs.push(`hello-world ${fmt(hello.rps)}/s`)
    const alone = rows.find((x) => x.key === `pg${r.key}` && x.database === r.database)
    if (alone) refs.push(`PG alone ${fmt(alone.value)}/s`)
    const copy = r.key === 'batch' && copyOf(r.database)
    if (copy)
      refs.push(
        `COPY ${fmt(copy.value)} attrs/s${copy.details.streams ? ` (${copy.details.streams} stream${copy.details.streams > 1 ? 's' : ''})` : ''}`,
      )
    r.reference = refs.join('; ')
    r.verdict = onPg || !r.valid ? verdict(t, r.value, r.valid) : t ? 'n/a' : ''
  }
  return rows
}

function table(header, lines) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)))
  const fmtLine = (l) =>
    l
      .map((c, i) => String(c).padEnd(widths[i]))
      .join(' | ')
      .trimEnd()
  return [fmtLine(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(fmtLine)].join('\n')
}

const ORDER = ['get', 'pgget', 'patch', 'pgpatch', 'q', 'geo', 'batch', 'copy', 'hello']
const DBS = ['PostgreSQL', 'embedded', '-']

/** Rows grouped by database, then by scenario (the order of the issue), limits after the figures they bound. */
export function sortRows(rows) {
  const rank = (r) => DBS.indexOf(r.database) * 100 + ORDER.indexOf(r.key)
  return rows
    .map((r, i) => [r, i])
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1])
    .map(([r]) => r)
}

export function renderTable(rows) {
  const lines = sortRows(rows).map((r) => [
    `${LABELS[r.key] ?? r.key} (${r.variant})`,
    r.database === 'PostgreSQL' || r.database === 'embedded' ? `${r.database}, ${fmt(r.entities)}` : r.database,
    measured(r),
    r.target,
    r.reference,
    r.verdict,
  ])
  return table(['scenario', 'database, entities', 'measured', 'target', 'reference / limit', 'result'], lines)
}

/** Cores used by each group, and the CPU time per request (per entity for batches) of the server and PostgreSQL. */
export function renderCpu(rows) {
  const withCpu = sortRows(rows).filter((r) => r.details?.cpu)
  if (!withCpu.length) return ''
  const lines = withCpu.map((r) => {
    const c = r.details.cpu
    const perSec = r.unit === 'attrs/s' ? r.details.entitiesPerSecond : r.value
    const us = (cores) => (perSec ? fmt((cores * 1e6) / perSec) : '-')
    const op = r.unit === 'attrs/s' ? 'entity' : 'request'
    return [
      `${LABELS[r.key] ?? r.key} (${r.variant})`,
      r.database,
      c.server,
      c.postgres,
      c.loadgen,
      c.other,
      c.total,
      c.iowait ?? '-',
      `${us(c.server)} / ${us(c.postgres)} per ${op}`,
      `${Math.round(c.serverSysShare * 100)}% / ${Math.round(c.postgresSysShare * 100)}%`,
    ]
  })
  return table(
    [
      'CPU cores used during',
      'database',
      'server',
      'postgres',
      'load gen',
      'other',
      'total',
      'iowait',
      'CPU us server / postgres',
      'kernel share',
    ],
    lines,
  )
}

export function renderProblems(rows) {
  return rows
    .filter((r) => !r.valid)
    .map((r) => `INVALID ${LABELS[r.key] ?? r.key} on ${r.database}: ${r.problem}`)
    .join('\n')
}

export function writeJson(dir, data) {
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'latest.json')
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`)
  return file
}
