// A third limit, when `pgbench` is on the PATH: PostgreSQL alone running the broker's SQL for GET by id (the same
// SELECT) and for the PATCH transaction (BEGIN; SELECT ... FOR UPDATE; the same INSERT ... ON CONFLICT DO UPDATE of
// the whole row with one value changed; COMMIT), with as many clients as the server's pool (URBE_DB_POOL, 10), from
// a C client with no HTTP, no JSON and no Node.js. What the database allows on this machine.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ENTITY_TYPE } from './data.js'
import { progress } from './log.js'

const ID = `'urn:ngsi-ld:${ENTITY_TYPE}:LU-' || lpad(CAST(:n AS text), 6, '0')`
const COLS = 'e.id, e.types, e.scopes, e.attrs, e.created_at, e.modified_at'
const NO2 = '{https://uri.etsi.org/ngsi-ld/default-context/NO2,0,value}'

const SCRIPTS = {
  get: (n) => `\\set n random(0, ${n - 1})
SELECT ${COLS} FROM ngsi_entities e WHERE e.tenant = '046017' AND e.id = ${ID};
`,
  patch: (n) => `\\set n random(0, ${n - 1})
BEGIN;
SELECT ${COLS} FROM ngsi_entities e WHERE e.tenant = '046017' AND e.id = ${ID} ORDER BY e.id FOR UPDATE;
INSERT INTO ngsi_entities (tenant, id, types, scopes, attrs, search, created_at, modified_at)
  SELECT tenant, id, types, scopes, jsonb_set(attrs, '${NO2}', to_jsonb(round((random() * 80)::numeric, 1))), search,
    created_at, now()
  FROM ngsi_entities WHERE tenant = '046017' AND id = ${ID}
  ON CONFLICT (tenant, id) DO UPDATE SET types = EXCLUDED.types, scopes = EXCLUDED.scopes, attrs = EXCLUDED.attrs,
    search = EXCLUDED.search, modified_at = EXCLUDED.modified_at;
COMMIT;
`,
}

export function hasPgbench() {
  return spawnSync('pgbench', ['--version'], { encoding: 'utf8' }).status === 0
}

/** { tps, clients, seconds } or undefined when pgbench is missing or fails. */
export function pgbench(url, kind, { entities, seconds, clients = 10 }) {
  if (!hasPgbench()) return undefined
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urbe-pgbench-'))
  const file = path.join(dir, `${kind}.sql`)
  fs.writeFileSync(file, SCRIPTS[kind](entities))
  const u = new URL(url)
  progress(`pgbench: ${kind} SQL for ${seconds} s with ${clients} clients...`)
  const r = spawnSync(
    'pgbench',
    [
      '-n',
      '-M',
      'simple',
      '-c',
      String(clients),
      '-j',
      '1',
      '-T',
      String(seconds),
      '-f',
      file,
      '-h',
      u.hostname,
      '-p',
      u.port || '5432',
      '-U',
      decodeURIComponent(u.username || 'postgres'),
      u.pathname.slice(1),
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}) },
    },
  )
  fs.rmSync(dir, { recursive: true, force: true })
  const m = /tps = ([\d.]+)/.exec(r.stdout ?? '')
  const failed = /number of failed transactions: (\d+)/.exec(r.stdout ?? '')
  if (r.status !== 0 || !m || (failed && failed[1] !== '0')) {
    progress(`pgbench ${kind} failed: ${(r.stderr || r.stdout || '').slice(0, 500)}`)
    return undefined
  }
  const tps = Number(m[1])
  progress(`pgbench ${kind}: ${Math.round(tps).toLocaleString('en-US')} transactions/s`)
  return { tps, clients, seconds }
}
