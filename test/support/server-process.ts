/** Runs `urbe serve` as a real child process (for restart, kill -9 and shutdown tests). */
import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { PROJECT_ROOT } from '../../src/paths.js'

export interface ServerProcess {
  proc: ChildProcess
  url: string
  output(): string
  exited: Promise<number | null>
}

export function startServerProcess(
  env: Record<string, string | undefined>,
  timeoutMs = 90_000,
): Promise<ServerProcess> {
  const proc = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/urbe.js'), 'serve', '--port', '0'], {
    cwd: PROJECT_ROOT,
    // No simulator unless a test asks for it; the embedded MQTT broker on a free port (tests run in parallel).
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      URBE_SIMULATE: 'false',
      URBE_MQTT_PORT: '0',
      URBE_MOBILITY_DEMO_DAYS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout!.on('data', (d) => {
    out += d
  })
  proc.stderr!.on('data', (d) => {
    out += d
  })
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL')
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`))
    }, timeoutMs)
    const check = () => {
      const m = /Urbe is ready at (http:\/\/localhost:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({ proc, url: m[1]!.replace('localhost', '127.0.0.1'), output: () => out, exited })
      }
    }
    proc.stdout!.on('data', check)
    proc.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code} before it was ready:\n${out}`))
    })
  })
}

export async function loginAdmin(url: string, password = 'urbe-demo'): Promise<{ cookie: string; csrf: string }> {
  const r = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  })
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${await r.text()}`)
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!
  return { cookie, csrf: ((await r.json()) as { csrfToken: string }).csrfToken }
}
