// Clean-up when the mobility benchmark is interrupted (Ctrl-C, kill): the handlers of processes.js stop the servers
// and exit at once, so ours must run first (this module is imported before it) and be synchronous: the fresh
// database is dropped by a short child process, the private copy of dist/ removed. On normal ends and failures the
// benchmark's own finally blocks do the same.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { ROOT } from './config.js'

const state = { adminUrl: undefined, database: undefined, dirs: new Set() }

export const cleanup = {
  database(adminUrl, name) {
    state.adminUrl = adminUrl
    state.database = name
  },
  dir(d) {
    if (d) state.dirs.add(d)
  },
  done() {
    state.database = undefined
    state.dirs.clear()
  },
}

function now() {
  if (state.database) {
    const script = `import pg from 'pg'; const c = new pg.Client({ connectionString: process.argv[1] }); await c.connect();
      await c.query('DROP DATABASE IF EXISTS ${state.database} WITH (FORCE)'); await c.end()`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, state.adminUrl], {
      cwd: ROOT,
      timeout: 30_000,
      stdio: 'inherit',
    })
    process.stderr.write(
      `[bench] interrupted: database ${state.database} ${r.status === 0 ? 'dropped' : 'NOT dropped'}\n`,
    )
    state.database = undefined
  }
  for (const d of state.dirs) fs.rmSync(path.resolve(d), { recursive: true, force: true })
  state.dirs.clear()
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.prependListener(sig, () => {
    now()
    if (process.listenerCount(sig) <= 1) process.exit(130) // nobody else will
  })
}
