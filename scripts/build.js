// Builds what is not built yet: the server (TypeScript -> dist/) and, when the web app exists, its assets.
// `node scripts/build.js` builds when stale; `--force` always.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function newest(dir, exts) {
  let t = 0
  if (!fs.existsSync(dir)) return t
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) t = Math.max(t, newest(p, exts))
    else if (exts.some((x) => e.name.endsWith(x))) t = Math.max(t, fs.statSync(p).mtimeMs)
  }
  return t
}

function stamp(file) {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0
}

function step(label, cmd, args, quiet) {
  const t = Date.now()
  if (!quiet) process.stdout.write(`urbe: ${label}... `)
  const r = spawnSync(cmd, args, { cwd: root, stdio: quiet ? 'pipe' : ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
  if (r.status !== 0) {
    process.stdout.write(`\n${r.stdout ?? ''}${r.stderr ?? ''}\nurbe: ${label} failed\n`)
    process.exit(1)
  }
  if (!quiet) process.stdout.write(`done in ${((Date.now() - t) / 1000).toFixed(1)} s\n`)
}

export async function ensureBuilt({ force = false, quiet = false } = {}) {
  const serverStamp = path.join(root, 'dist', '.built')
  const srcTime = Math.max(newest(path.join(root, 'src'), ['.ts']), stamp(path.join(root, 'tsconfig.build.json')))
  if (force || stamp(serverStamp) < srcTime) {
    fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true })
    step(
      'building the server',
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      quiet,
    )
    fs.writeFileSync(serverStamp, new Date().toISOString())
  }
  const web = path.join(root, 'web')
  if (fs.existsSync(path.join(web, 'vite.config.ts'))) {
    const webStamp = path.join(web, 'dist', '.built')
    const webTime = Math.max(
      newest(path.join(web, 'src'), ['.ts', '.tsx', '.css', '.html', '.json']),
      stamp(path.join(web, 'index.html')),
      stamp(path.join(web, 'vite.config.ts')),
    )
    if (force || stamp(webStamp) < webTime) {
      step(
        'building the web app',
        process.execPath,
        [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', web],
        quiet,
      )
      fs.writeFileSync(webStamp, new Date().toISOString())
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await ensureBuilt({ force: process.argv.includes('--force') })
}
