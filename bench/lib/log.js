// Progress lines on stderr (the table goes to stdout), with the time since the start.
const started = Date.now()

export function progress(msg) {
  const s = ((Date.now() - started) / 1000).toFixed(0).padStart(4)
  process.stderr.write(`[bench ${s}s] ${msg}\n`)
}

export const fmt = (n, digits = 0) =>
  n === undefined || n === null || Number.isNaN(n)
    ? '-'
    : Number(n).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
