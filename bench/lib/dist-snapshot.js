// A private copy of dist/ for the servers of one run. `npm run bench` builds dist/ first; but `urbe` (npm start, the
// CLI) rebuilds dist/ - deleting it first - whenever a source file is newer, so on a machine where someone edits src/
// and starts Urbe meanwhile, dist/ can vanish under a running bench. The copy sits under bench/results/ (inside the
// project, so that node_modules/, data/ and package.json are found by walking up as from dist/); it is removed at
// the end. Only the version string differs: dist/version.js looks for ../package.json, so servers run from the copy
// report version 0.0.0.
import fs from 'node:fs'
import path from 'node:path'
import { ROOT } from './config.js'
import { progress } from './log.js'

const DIST = path.join(ROOT, 'dist')
const stamp = () => {
  try {
    return fs.readFileSync(path.join(DIST, '.built'), 'utf8')
  } catch {
    return undefined
  }
}

/** Copies dist/ (waiting up to 3 minutes for a build in progress elsewhere to finish); returns the copy's path. */
export async function snapshotDist(resultsDir) {
  const target = path.join(resultsDir, `.dist-${process.pid}`)
  const deadline = Date.now() + 180_000
  for (;;) {
    const before = stamp()
    if (before && fs.existsSync(path.join(DIST, 'cli/main.js'))) {
      fs.rmSync(target, { recursive: true, force: true })
      fs.cpSync(DIST, target, { recursive: true, filter: (src) => !src.endsWith('.map') })
      if (stamp() === before && fs.existsSync(path.join(target, 'cli/main.js'))) return target
    }
    if (Date.now() > deadline) throw new Error('dist/ is missing or being rebuilt: run "npm run build" and retry')
    progress('dist/ is being rebuilt by another process: waiting...')
    await new Promise((r) => setTimeout(r, 2000))
  }
}

export function removeSnapshot(dir) {
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
}
