/**
 * A deep copy of a JSON value (what request bodies and stored attributes are): several times faster than
 * `structuredClone`, which goes through the V8 serializer, and it makes less garbage on the write path. A member
 * named `__proto__` (JSON.parse makes it an own property) stays an own property, never a prototype.
 */
export function cloneJson<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) {
    const a = new Array(v.length)
    for (let i = 0; i < v.length; i++) a[i] = cloneJson(v[i])
    return a as T
  }
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v)) {
    const x = cloneJson((v as Record<string, unknown>)[k])
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true })
    else out[k] = x
  }
  return out as T
}
