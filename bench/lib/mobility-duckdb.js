// The reference of the mobility benchmark: DuckDB in this process (@duckdb/node-api, in memory, 2 threads like the
// machine), loading the same CSV files with read_csv and answering the same three questions in SQL. Each answer is
// read whole into JavaScript values (as Urbe's are into JSON), and timed from the query to the last row.
import { DuckDBInstance } from '@duckdb/node-api'
import { fmt, progress } from './log.js'
import { sampleTimes } from './mobility-sampling.js'

export const HEATMAP_SQL = `SELECT zone, hour(time) AS h, sum(count)::BIGINT AS n FROM presence
  WHERE time >= $1::TIMESTAMPTZ AND time < $2::TIMESTAMPTZ GROUP BY zone, h ORDER BY zone, h`
export const SERIES_SQL = `SELECT time,
    sum(count) FILTER (WHERE class = 'resident')::BIGINT AS resident,
    sum(count) FILTER (WHERE class = 'commuter')::BIGINT AS commuter,
    sum(count) FILTER (WHERE class = 'italian_visitor')::BIGINT AS italian_visitor,
    sum(count) FILTER (WHERE class = 'foreign_visitor')::BIGINT AS foreign_visitor,
    sum(count)::BIGINT AS total
  FROM presence WHERE zone = $1 AND time >= $2::TIMESTAMPTZ AND time < $3::TIMESTAMPTZ GROUP BY time ORDER BY time`
export const FLOWS_SQL = `SELECT origin_zone, destination_zone, sum(count)::BIGINT AS n FROM flows
  WHERE day BETWEEN $1::DATE AND $2::DATE GROUP BY origin_zone, destination_zone ORDER BY n DESC LIMIT 100`

/** Flows summed over the cells Urbe publishes (each day-band-class count at least k): the cross-check's reference. */
export const FLOWS_PUBLISHED_SQL = FLOWS_SQL.replace('sum(count)', 'sum(count) FILTER (WHERE count >= $3)')

export async function openDuckDB({ threads = 2 } = {}) {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) })
  const con = await instance.connect()
  await con.run("SET TimeZone = 'Europe/Rome'") // hour() and the day bounds in local time, like Urbe's
  return {
    con,
    async close() {
      con.closeSync?.()
      instance.closeSync?.()
    },
  }
}

const sq = (s) => `'${s.replaceAll("'", "''")}'`

/** read_csv of a file into a new table; { rows, seconds, rowsPerSecond }. */
export async function loadCsv(con, table, file, columns) {
  const cols = Object.entries(columns)
    .map(([k, v]) => `${sq(k)}: ${sq(v)}`)
    .join(', ')
  const t = process.hrtime.bigint()
  await con.run(`CREATE TABLE ${table} AS SELECT * FROM read_csv(${sq(file)}, header = true, columns = {${cols}})`)
  const seconds = Number(process.hrtime.bigint() - t) / 1e9
  const r = await con.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM ${table}`)
  const rows = Number(r.getRows()[0][0])
  return { rows, seconds, rowsPerSecond: rows / seconds }
}

/**
 * The DuckDB half: load both files, then `samples` timed runs of each question with the parameters `questions`
 * gives (the same as Urbe's). Adds { load, flowsLoad, heatmap, series, flows } to `out` as they are measured, and
 * `answers`: the rows of each question with the parameters of sample 0, for the cross-check with Urbe's answers.
 */
export async function runDuckDB(p, questions, samples, out = {}) {
  const db = await openDuckDB()
  try {
    progress(`DuckDB: read_csv of ${fmt(p.presenceRows)} presence rows...`)
    out.load = await loadCsv(db.con, 'presence', p.presenceFile, {
      zone: 'VARCHAR',
      time: 'TIMESTAMPTZ',
      class: 'VARCHAR',
      count: 'INTEGER',
    })
    progress(
      `DuckDB: ${fmt(out.load.rows)} rows in ${out.load.seconds.toFixed(1)} s: ${fmt(out.load.rowsPerSecond)} rows/s`,
    )
    out.flowsLoad = await loadCsv(db.con, 'flows', p.flowsFile, {
      day: 'DATE',
      origin_zone: 'VARCHAR',
      destination_zone: 'VARCHAR',
      band: 'VARCHAR',
      band_end: 'VARCHAR',
      class: 'VARCHAR',
      count: 'INTEGER',
    })
    progress(
      `DuckDB: ${fmt(out.flowsLoad.rows)} flow rows in ${out.flowsLoad.seconds.toFixed(1)} s: ${fmt(out.flowsLoad.rowsPerSecond)} rows/s`,
    )
    const run = async (sql, values) => (await db.con.runAndReadAll(sql, values)).getRows()
    for (const [name, sql, args, check] of [
      ['heatmap', HEATMAP_SQL, (i) => questions.heatmapBounds(i), (rows) => rows.length >= p.zones * 23],
      ['series', SERIES_SQL, (i) => questions.seriesArgs(i), (rows) => rows.length >= p.days * 24 - 1],
      ['flows', FLOWS_SQL, (i) => questions.monthOf(i), (rows) => rows.length === 100],
    ]) {
      progress(`DuckDB: ${name}: ${samples} sequential queries...`)
      const first = await run(sql, args(0))
      out.answers ??= {}
      out.answers[name] = first.map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)))
      out[name] = await sampleTimes(samples, async (i) => {
        const rows = await run(sql, args(i))
        return check(rows) ? undefined : `${name}: unexpected answer (${rows.length} rows)`
      })
      progress(`DuckDB: ${name}: p50 ${out[name].p50.toFixed(1)} ms, p95 ${out[name].p95.toFixed(1)} ms`)
    }
    const [from, to] = questions.monthOf(0)
    out.answers.flowsPublished = (await run(FLOWS_PUBLISHED_SQL, [from, to, questions.k])).map((r) =>
      r.map((v) => (typeof v === 'bigint' ? Number(v) : v)),
    )
    return out
  } finally {
    await db.close()
  }
}
