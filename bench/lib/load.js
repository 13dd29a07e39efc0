// Batch upserts (POST /ngsi-ld/v1/entityOperations/upsert, 1,000 entities per batch): loads the data set, which is
// also the batch figure. `concurrency` batches are in flight at once. Every answer must be 201 (all created) or 204
// (all updated); a 207 or an error stops the bench.
import { ATTRS_PER_ENTITY, batches } from './data.js'
import { progress } from './log.js'

export async function upsertAll(url, key, { count, size, concurrency, seed = 1, shift = 0, from = 0, expect, label }) {
  const gen = batches(count, size, { seed, shift, from })
  const perBatchMs = []
  let done = 0
  let lastReport = Date.now()
  const started = process.hrtime.bigint()
  async function worker() {
    for (;;) {
      const next = gen.next()
      if (next.done) return
      const { start, n, body } = next.value
      const t = performance.now()
      const r = await fetch(`${url}/ngsi-ld/v1/entityOperations/upsert`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body,
      })
      const text = await r.text()
      perBatchMs.push(performance.now() - t)
      if (r.status !== expect) {
        throw new Error(
          `upsert of entities ${start}..${start + n - 1}: expected ${expect}, got ${r.status} ${text.slice(0, 500)}`,
        )
      }
      if (expect === 201 && JSON.parse(text).length !== n)
        throw new Error(`upsert created ${JSON.parse(text).length} of ${n}`)
      done += n
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now()
        progress(`  ${label}: ${done.toLocaleString('en-US')} / ${count.toLocaleString('en-US')} entities`)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  perBatchMs.sort((a, b) => a - b)
  return {
    entities: done,
    attributes: done * ATTRS_PER_ENTITY,
    seconds,
    entitiesPerSecond: done / seconds,
    attrsPerSecond: (done * ATTRS_PER_ENTITY) / seconds,
    batchMs: { p50: perBatchMs[Math.floor(perBatchMs.length * 0.5)], max: perBatchMs[perBatchMs.length - 1] },
    concurrency,
  }
}
