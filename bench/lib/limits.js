// The limits printed beside the figures, measured in the same run: a bare Fastify hello-world's req/s (same
// autocannon settings as GET/PATCH), and the raw COPY rate of the same rows (PostgreSQL: pg-admin.js; embedded:
// PGlite's COPY FROM '/dev/blob' here, run after the server has stopped and released the data folder).
import { measureCpu } from './cpu.js'
import { ATTRS_PER_ENTITY, ID_PREFIX } from './data.js'
import { throughput } from './http-load.js'
import { fmt, progress } from './log.js'
import { startHello } from './processes.js'

export async function helloWorld(settings) {
  progress(`hello-world Fastify for ${settings.duration} s, ${settings.connections} connections...`)
  const hello = await startHello()
  try {
    const r = await throughput({
      urls: [hello.url],
      duration: settings.duration,
      warmup: settings.warmup,
      connections: settings.connections,
      method: 'GET',
      path: () => '/',
      headers: {},
      check: (status, body) => status === 200 && body === '{"hello":"world"}',
      cpu: () => measureCpu([hello.proc.pid]),
    })
    progress(`hello-world: ${fmt(r.rps)} req/s`)
    return r
  } finally {
    await hello.stop()
  }
}

const COLS = 'tenant, id, types, scopes, attrs, search, created_at, modified_at'

export async function pgliteCopyLimit(dataDir, tenant) {
  const { PGlite } = await import('@electric-sql/pglite')
  const { postgis } = await import('@electric-sql/pglite-postgis')
  const db = await PGlite.create({ dataDir, extensions: { postgis } })
  try {
    const out = await db.query(
      `COPY (SELECT ${COLS} FROM ngsi_entities WHERE tenant = '${tenant}' AND id LIKE '${ID_PREFIX}%') TO '/dev/blob'`,
    )
    const rows = (
      await db.query(
        `SELECT count(*)::int AS n FROM ngsi_entities WHERE tenant = '${tenant}' AND id LIKE '${ID_PREFIX}%'`,
      )
    ).rows[0].n
    await db.exec(
      'DROP TABLE IF EXISTS ngsi_entities_copy; CREATE TABLE ngsi_entities_copy (LIKE ngsi_entities INCLUDING ALL)',
    )
    progress(`embedded: COPY of ${rows} rows (${(out.blob.size / 1e6).toFixed(0)} MB) into a scratch ngsi_entities...`)
    const t = process.hrtime.bigint()
    await db.query(`COPY ngsi_entities_copy (${COLS}) FROM '/dev/blob'`, [], { blob: out.blob })
    const seconds = Number(process.hrtime.bigint() - t) / 1e9
    const copied = (await db.query('SELECT count(*)::int AS n FROM ngsi_entities_copy')).rows[0].n
    await db.exec('DROP TABLE ngsi_entities_copy')
    if (copied !== rows) throw new Error(`COPY copied ${copied} of ${rows} rows`)
    return { rows, seconds, mb: out.blob.size / 1e6, attrsPerSecond: (rows * ATTRS_PER_ENTITY) / seconds }
  } finally {
    await db.close()
  }
}
