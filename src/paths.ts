/** Locations of the project's own files, valid both from src/ (tests) and dist/ (built). */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('Cannot find the Urbe package root')
    dir = parent
  }
}

export const PROJECT_ROOT = findRoot()
export const dataPath = (...parts: string[]) => path.join(PROJECT_ROOT, 'data', ...parts)
