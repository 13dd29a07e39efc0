// Sequential timed samples (concurrency 1) after a few unmeasured warm-up runs: p50, p95, p99, mean. `run(i)` does
// sample i and returns undefined, or what was wrong with its answer (the first problem makes the figure invalid).
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]

export async function sampleTimes(samples, run, { warmup = 5 } = {}) {
  const times = []
  let problem
  for (let i = 0; i < warmup + samples; i++) {
    const t = process.hrtime.bigint()
    const why = await run(i)
    const ms = Number(process.hrtime.bigint() - t) / 1e6
    if (why) problem ??= why
    if (i >= warmup) times.push(ms)
  }
  times.sort((a, b) => a - b)
  return {
    samples: times.length,
    p50: pct(times, 50),
    p95: pct(times, 95),
    p99: pct(times, 99),
    max: times[times.length - 1],
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    valid: !problem,
    ...(problem ? { problem } : {}),
  }
}
