/**
 * The embedded database may be opened by one process at a time. A lock file holds the owner's pid; a lock left by a
 * process that no longer runs (kill -9) is taken over.
 */
import fs from 'node:fs'
import path from 'node:path'

export class DataDirLockedError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true })
  const file = path.join(dataDir, 'urbe.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' })
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file)
        } catch {}
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const pid = Number(fs.readFileSync(file, 'utf8'))
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new DataDirLockedError(
          `The embedded database in ${dataDir} is in use by process ${pid}. Stop it first, or use the HTTP API.`,
        )
      }
      fs.rmSync(file, { force: true }) // stale: its owner is gone
    }
  }
  throw new DataDirLockedError(`Cannot lock ${dataDir}`)
}
