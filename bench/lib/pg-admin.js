// The PostgreSQL side of the benchmark: a fresh database per run (created, then dropped), ANALYZE after loading,
// and the limit for the batch figure: PostgreSQL's own COPY of the same rows into a scratch copy of ngsi_entities.
import pg from 'pg'
import { ATTRS_PER_ENTITY, ID_PREFIX } from './data.js'
import { measureCpu } from './cpu.js'
import { progress } from './log.js'
import { copyIn, copyOut } from './pg-copy.js'

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url, application_name: 'urbe-bench' })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export async function createDatabase(adminUrl) {
  const name = `urbe_bench_${process.pid}_${Date.now().toString(36)}`
  await withClient(adminUrl, async (c) => {
    await c.query(`CREATE DATABASE ${name}`)
  })
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  await withClient(u.toString(), (c) => c.query('CREATE EXTENSION IF NOT EXISTS postgis'))
  return { name, url: u.toString() }
}

export async function dropDatabase(adminUrl, name) {
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
}

/** VACUUM (ANALYZE) of the NGSI-LD tables: what autovacuum does within a minute or two of a bulk load (statistics,
 * visibility map, GIN pending list merged), done now so that it does not run in the middle of a measurement. */
export async function vacuumAnalyze(url) {
  await withClient(url, async (c) => {
    await c.query('VACUUM (ANALYZE) ngsi_entities')
    await c.query('VACUUM (ANALYZE) ngsi_entity_geo')
  })
}

export async function serverInfo(url) {
  return withClient(url, async (c) => {
    const r = await c.query(
      `SELECT version() AS v, current_setting('synchronous_commit') AS sc, current_setting('shared_buffers') AS sb,
        (SELECT extversion FROM pg_extension WHERE extname = 'postgis') AS postgis`,
    )
    const x = r.rows[0]
    return {
      version: x.v.split(' on ')[0],
      postgis: x.postgis,
      synchronousCommit: x.sc,
      sharedBuffers: x.sb,
    }
  })
}

/**
 * COPY of the loaded entity rows (as stored: expanded attribute IRIs) into `ngsi_entities_copy`, a scratch table
 * `LIKE ngsi_entities INCLUDING ALL` (same primary key and GIN indexes). The rows are read first with COPY TO STDOUT;
 * only the COPY FROM STDIN is timed, in `streams` parallel connections (one COPY is one backend, so one core: with
 * 2 streams it matches the 2 batches in flight of the load). The PostGIS projection (ngsi_entity_geo) is not copied.
 */
export async function copyLimit(url, tenant, { streams = 1 } = {}) {
  const out = await withClient(url, (c) =>
    copyOut(
      c,
      `COPY (SELECT tenant, id, types, scopes, attrs, search, created_at, modified_at FROM ngsi_entities WHERE tenant = '${tenant}' AND id LIKE '${ID_PREFIX}%') TO STDOUT`,
    ),
  )
  const bytes = out.chunks.reduce((n, b) => n + b.length, 0)
  const clients = []
  try {
    for (let i = 0; i < streams; i++) {
      const c = new pg.Client({ connectionString: url, application_name: 'urbe-bench' })
      await c.connect()
      clients.push(c)
    }
    await clients[0].query('DROP TABLE IF EXISTS ngsi_entities_copy')
    await clients[0].query('CREATE TABLE ngsi_entities_copy (LIKE ngsi_entities INCLUDING ALL)')
    await clients[0].query('CHECKPOINT')
    progress(
      `COPY of ${out.rows} rows (${(bytes / 1e6).toFixed(0)} MB) in ${streams} stream(s) into a scratch ngsi_entities...`,
    )
    const per = Math.ceil(out.chunks.length / streams)
    const stop = measureCpu([])
    const t = process.hrtime.bigint()
    const counts = await Promise.all(
      clients.map((c, i) =>
        copyIn(
          c,
          'COPY ngsi_entities_copy (tenant, id, types, scopes, attrs, search, created_at, modified_at) FROM STDIN',
          out.chunks.slice(i * per, (i + 1) * per),
        ),
      ),
    )
    const seconds = Number(process.hrtime.bigint() - t) / 1e9
    const cpu = stop()
    const rows = counts.reduce((a, b) => a + b, 0)
    await clients[0].query('DROP TABLE ngsi_entities_copy')
    return {
      rows,
      streams,
      seconds,
      mb: bytes / 1e6,
      entitiesPerSecond: rows / seconds,
      attrsPerSecond: (rows * ATTRS_PER_ENTITY) / seconds,
      cpu,
    }
  } finally {
    for (const c of clients) await c.end()
  }
}
