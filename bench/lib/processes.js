// Child processes of the benchmark: `urbe serve` (PostgreSQL or embedded) and the hello-world reference. Each is
// started with its own port (0 = any free one) on 127.0.0.1 and stopped with SIGTERM (SIGKILL after 15 s).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { ROOT } from './config.js'

// Children still running when the benchmark is interrupted (Ctrl-C, kill) are stopped with it, not left orphaned.
const children = new Set()
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    for (const c of children) c.kill('SIGKILL')
    process.exit(130)
  })
}
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL')
})

function startChild({ script, args = [], env = {}, ready, label, nodeArgs = [], timeoutMs = 120_000 }) {
  const proc = spawn(process.execPath, [...nodeArgs, script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(proc)
  proc.on('exit', () => children.delete(proc))
  let out = ''
  const collect = (d) => {
    out += d
    if (out.length > 200_000) out = out.slice(-100_000)
  }
  proc.stdout.on('data', collect)
  proc.stderr.on('data', collect)
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve(code ?? signal)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL')
      reject(new Error(`${label} did not start in ${timeoutMs / 1000} s:\n${out}`))
    }, timeoutMs)
    const check = () => {
      const m = ready.exec(out)
      if (!m) return
      clearTimeout(timer)
      proc.stdout.off('data', check)
      resolve({
        label,
        proc,
        url: m[1].replace('localhost', '127.0.0.1'),
        output: () => out,
        async stop() {
          if (proc.exitCode !== null || proc.signalCode !== null) return
          proc.kill('SIGTERM')
          const t = setTimeout(() => proc.kill('SIGKILL'), 15_000)
          await exited
          clearTimeout(t)
        },
      })
    }
    proc.stdout.on('data', check)
    proc.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${label} exited with ${code} before it was ready:\n${out}`))
    })
  })
}

/** `urbe serve --port 0` with the demo (admin / urbe-demo), without the demo simulator, and LOG_LEVEL=warn. */
export function startUrbe({ env, label = 'urbe', profileDir }) {
  const nodeArgs = []
  if (profileDir) {
    fs.mkdirSync(profileDir, { recursive: true })
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${label}-${Date.now()}.cpuprofile`)
  }
  return startChild({
    script: path.join(ROOT, 'bench/lib/urbe-serve.js'),
    args: ['serve', '--port', '0'],
    env: {
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      URBE_DEMO: 'true',
      URBE_DEMO_PASSWORD: 'urbe-demo',
      // No simulated demo sensors writing in the background, and an ephemeral port for the embedded MQTT broker
      // (two servers run at once; the gateway is idle during the bench).
      URBE_SIMULATE: 'false',
      URBE_MQTT_PORT: '0',
      // nor the mobility demo's background seeding (400 days of presence: CPU taken from the measured server)
      URBE_MOBILITY_DEMO_DAYS: '0',
      ...env,
    },
    ready: /Urbe is ready at (http:\/\/localhost:\d+)/,
    label,
    nodeArgs,
  })
}

export function startHello() {
  return startChild({
    script: path.join(ROOT, 'bench/lib/hello-server.js'),
    ready: /Hello ready at (http:\/\/127\.0\.0\.1:\d+)/,
    label: 'hello',
    timeoutMs: 30_000,
  })
}

/** Logs in as the demo superadmin; returns the headers of its session (JSON, cookie and CSRF token). */
export async function demoSession(url) {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'urbe-demo' }),
  })
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`)
  const cookie = login.headers.get('set-cookie').split(';')[0]
  const { csrfToken } = await login.json()
  return { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }
}

/** Creates an API key of `tenant` with `role`, valid for a day, with a session's headers; returns the key. */
export async function createApiKey(url, headers, tenant, role) {
  const r = await fetch(`${url}/api/tenants/${tenant}/apikeys`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: `bench ${new Date().toISOString()}`, role, expiresInDays: 1 }),
  })
  if (r.status !== 201) throw new Error(`API key creation failed: ${r.status} ${await r.text()}`)
  return (await r.json()).key
}

/** Logs in as the demo admin and creates an operator API key of Lucca (046017). */
export async function operatorKey(url, tenant = '046017') {
  return createApiKey(url, await demoSession(url), tenant, 'operator')
}
