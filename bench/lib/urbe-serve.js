// `urbe serve` for the benchmark: bin/urbe.js without its "build when stale" step, run from the run's private copy
// of dist/ (URBE_BENCH_DIST, see dist-snapshot.js) so that a rebuild elsewhere cannot pull it away mid-run.
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const dist = process.env.URBE_BENCH_DIST || path.resolve(import.meta.dirname, '../../dist')
const { run } = await import(pathToFileURL(path.join(dist, 'cli/main.js')).href)
const code = await run(process.argv.slice(2))
if (code >= 0) process.exit(code)
