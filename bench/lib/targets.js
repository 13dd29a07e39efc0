// The targets of the issue and the published figures of other NGSI-LD brokers printed beside them.

export const TARGETS = {
  get: {
    label: 'GET entity by id',
    unit: 'req/s',
    min: 10_000,
    reference: 'Orion-LD ~7,700/s (2 CPUs + 8-CPU MongoDB)',
  },
  q: { label: 'query type + q', unit: 'ms p95', max: 20, reference: 'Stellio 1.44 s' },
  geo: { label: 'geo near;maxDistance==500', unit: 'ms p95', max: 20, reference: '' },
  patch: { label: 'PATCH one attribute', unit: 'req/s', min: 5_000, reference: '' },
  batch: { label: 'batch upsert, 1,000/batch', unit: 'attrs/s', min: 50_000, reference: '' },
}

/** 'pass', 'FAIL', 'invalid' (an answer was wrong) or '' (no target for this row). */
export function verdict(target, value, valid = true) {
  if (!valid) return 'invalid'
  if (!target || value === undefined) return ''
  if (target.min !== undefined) return value >= target.min ? 'pass' : 'FAIL'
  if (target.max !== undefined) return value <= target.max ? 'pass' : 'FAIL'
  return ''
}

export function targetText(target) {
  if (!target) return ''
  const n = (x) => x.toLocaleString('en-US')
  return target.min !== undefined ? `>= ${n(target.min)}` : `<= ${n(target.max)}`
}
