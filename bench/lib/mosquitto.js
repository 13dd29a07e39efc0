// A Mosquitto of the bench's own, on a free port, configured for a high-rate consumer: a gateway takes messages in
// bursts and acknowledges them together, so the broker may have 1,000 messages in flight to it and queue 100,000
// (the defaults, 20 and 1,000, make Mosquitto drop QoS 1 messages as soon as the consumer falls behind).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

const BINARIES = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto']

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/** Starts Mosquitto; undefined when it is not installed. */
export async function startMosquitto({ maxInflight = 1000, maxQueued = 100_000 } = {}) {
  const bin = BINARIES.find((b) => fs.existsSync(b))
  if (!bin) return undefined
  const port = await freePort()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urbe-bench-mosquitto-'))
  const conf = path.join(dir, 'mosquitto.conf')
  fs.writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      `max_inflight_messages ${maxInflight}`,
      `max_queued_messages ${maxQueued}`,
      'log_type error',
      'log_type warning',
      '',
    ].join('\n'),
  )
  const proc = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  proc.stderr.on('data', (d) => {
    log += d
  })
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((r) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end()
        r(true)
      })
      c.on('error', () => r(false))
    })
    if (up) break
    if (proc.exitCode !== null) throw new Error(`mosquitto exited: ${log}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    settings: `max_inflight_messages ${maxInflight}, max_queued_messages ${maxQueued}`,
    /** What Mosquitto logged (warnings, e.g. dropped messages). */
    log: () => log,
    async stop() {
      proc.kill('SIGTERM')
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)))
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
