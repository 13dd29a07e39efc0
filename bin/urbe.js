#!/usr/bin/env node
// The `urbe` command. Builds the server (and web assets) first when they are missing or older than the sources,
// so that `npm start` on a fresh clone needs nothing else.
import { ensureBuilt } from '../scripts/build.js'

await ensureBuilt({ quiet: process.argv[2] !== 'serve' })
const { run } = await import('../dist/cli/main.js')
const code = await run(process.argv.slice(2))
if (code >= 0) process.exit(code)
