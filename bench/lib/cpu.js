// Where the CPU goes during a scenario (Linux /proc; elsewhere nothing is reported): cores used on average by the
// Urbe server process(es), by PostgreSQL (every process named postgres), by this process (the load generator) and by
// everything else on the machine (other work running at the same time skews the figures: it is shown so), and the
// CPU time spent waiting for the disk (iowait: a sign that the disk, not the CPU, was the limit).
import fs from 'node:fs'

const TICK = 100 // USER_HZ on Linux

/** [user, system] ticks of a process. */
function procTicks(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ')
    return [Number(f[11]), Number(f[12])] // utime, stime
  } catch {
    return [0, 0]
  }
}

const add = (a, b) => [a[0] + b[0], a[1] + b[1]]
const sub = (a, b) => [a[0] - b[0], a[1] - b[1]]

let ourDatabase

/** The database whose PostgreSQL processes count as "postgres" (others' backends count as "other"); none: unset. */
export function setOurDatabase(name) {
  ourDatabase = name
}

/** Backends of our database, plus the server-wide processes (WAL writer, checkpointer, ...), while it is set. */
function postgresPids() {
  const out = []
  if (!ourDatabase) return out
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      if (fs.readFileSync(`/proc/${d}/comm`, 'utf8').trim() !== 'postgres') continue
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ')
      const backend = /: \S+ (\S+) (?:\[local\]|[\d.:a-f]+\(\d+\))/.exec(cmd) ?? /autovacuum worker (\S+)/.exec(cmd)
      if (!backend || backend[1] === ourDatabase) out.push(Number(d))
    } catch {}
  }
  return out
}

function totalTicks() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user and nice)
  const idle = line[3] + (line[4] ?? 0)
  return { busy: line.slice(0, 8).reduce((a, b) => a + b, 0) - idle, iowait: line[4] ?? 0 }
}

function snapshot(serverPids) {
  const pg = new Map(postgresPids().map((p) => [p, procTicks(p)]))
  return {
    t: process.hrtime.bigint(),
    server: serverPids.reduce((a, p) => add(a, procTicks(p)), [0, 0]),
    bench: procTicks(process.pid),
    pg,
    ...(({ busy, iowait }) => ({ total: busy, iowait }))(totalTicks()),
  }
}

/**
 * Starts measuring; the returned function stops and gives cores used per group (user + system time), and the
 * share of system (kernel: TCP on loopback, ...) time of the server and of PostgreSQL.
 */
export function measureCpu(serverPids) {
  if (!fs.existsSync('/proc/stat')) return () => undefined
  const a = snapshot(serverPids)
  return () => {
    const b = snapshot(serverPids)
    const secs = Number(b.t - a.t) / 1e9
    let pg = [0, 0]
    for (const [pid, ticks] of b.pg) pg = add(pg, sub(ticks, a.pg.get(pid) ?? [0, 0])) // new backends count from 0
    const cores = (ticks) => Math.round((ticks / TICK / secs) * 100) / 100
    const both = (t) => cores(t[0] + t[1])
    const sys = (t) => (t[0] + t[1] > 0 ? Math.round((t[1] / (t[0] + t[1])) * 100) / 100 : 0)
    const srv = sub(b.server, a.server)
    const server = both(srv)
    const postgres = both(pg)
    const loadgen = both(sub(b.bench, a.bench))
    const total = cores(b.total - a.total)
    const other = Math.max(0, Math.round((total - server - postgres - loadgen) * 100) / 100)
    const iowait = cores(b.iowait - a.iowait)
    return { server, postgres, loadgen, other, total, iowait, serverSysShare: sys(srv), postgresSysShare: sys(pg) }
  }
}

/** Cores busy on the whole machine over `seconds` (Linux; 0 elsewhere). */
export async function machineBusy(seconds = 5) {
  if (!fs.existsSync('/proc/stat')) return 0
  const a = totalTicks().busy
  await new Promise((r) => setTimeout(r, seconds * 1000))
  return (totalTicks().busy - a) / TICK / seconds
}
