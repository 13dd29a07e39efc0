// Reads a V8 .cpuprofile (node --cpu-prof) and tells where the time went within a time window: self time by
// component (a package of node_modules, a folder of Urbe's dist/, a Node internal module, GC, ...) and inclusive
// time of Urbe's own functions (time with the function on the stack).
import fs from 'node:fs'

function component(frame) {
  const { url, functionName } = frame
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName || 'anonymous'}`
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (nm) return nm[1]
  const dist = /\/\.?dist(?:-\d+)?\/(.+)\/[^/]+\.js$/.exec(url) ?? /\/\.?dist(?:-\d+)?\/([^/]+)\.js$/.exec(url)
  if (dist) return `urbe ${dist[1]}`
  const node = /^node:(?:internal\/)?([^/]+(?:\/[^/]+)?)/.exec(url)
  if (node) return `node:${node[1]}`
  return url.replace(/^.*\//, '')
}

// dist/, or the bench's snapshot of it (bench/results/.dist-<pid>/)
const isUrbe = (url) => /\/\.?dist(?:-\d+)?\//.test(url) && !url.includes('node_modules')

/** { totalMs, components: [[name, ms]], urbe: [[function, ms]] } for samples between fromUs and toUs. */
export function summarize(file, { fromUs = 0, toUs = Number.POSITIVE_INFINITY } = {}) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'))
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map()
  const incl = new Map()
  let total = 0
  let t = p.startTime
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i]
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000 // ms until the next sample
    if (t < fromUs || t > toUs) continue
    const node = byId.get(p.samples[i])
    if (node.callFrame.functionName === '(idle)') continue
    total += dt
    const comp = component(node.callFrame)
    self.set(comp, (self.get(comp) ?? 0) + dt)
    const seen = new Set()
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id).callFrame
      if (!isUrbe(f.url)) continue
      const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/\.?dist(?:-\d+)?\//, '')}:${f.lineNumber + 1}`
      if (seen.has(name)) continue
      seen.add(name)
      incl.set(name, (incl.get(name) ?? 0) + dt)
    }
  }
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1])
  return { totalMs: total, components: sorted(self), urbe: sorted(incl) }
}

export function renderSummary(s, top = 25) {
  const pct = (ms) => `${((ms / s.totalMs) * 100).toFixed(1).padStart(5)}%`
  const lines = [`busy CPU in the window: ${(s.totalMs / 1000).toFixed(2)} s`, '', 'self time by component:']
  for (const [name, ms] of s.components.slice(0, top)) lines.push(`  ${pct(ms)}  ${name}`)
  lines.push('', "inclusive time of Urbe's functions:")
  for (const [name, ms] of s.urbe.slice(0, top)) lines.push(`  ${pct(ms)}  ${name}`)
  return lines.join('\n')
}
