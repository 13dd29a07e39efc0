/**
 * Fetches a remote JSON-LD context document: one hard deadline for the whole exchange (headers and body), a size
 * limit, redirects followed. Every failure is an LdContextNotAvailable (503) naming the URL and the reason.
 */
import { AppError } from '../../../errors.js'
import { isPlainObject } from './term-definition.js'

export interface FetchContextOptions {
  readonly fetch: typeof globalThis.fetch
  readonly timeoutMs: number
  readonly maxBytes: number
}

export const contextNotAvailable = (url: string, reason: string) =>
  new AppError('LdContextNotAvailable', `JSON-LD @context ${url} is not available: ${reason}`, { url, reason })

/** Returns the parsed document, which is a JSON object with an `@context` member. */
export async function fetchContextDocument(
  url: string,
  options: FetchContextOptions,
): Promise<Record<string, unknown>> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(contextNotAvailable(url, `no complete answer within ${options.timeoutMs} ms`))
      controller.abort()
    }, options.timeoutMs)
  })
  try {
    // The race also guards against a `fetch` that ignores the abort signal.
    return await Promise.race([download(url, options, controller), deadline])
  } finally {
    clearTimeout(timer)
  }
}

async function download(
  url: string,
  options: FetchContextOptions,
  controller: AbortController,
): Promise<Record<string, unknown>> {
  let response: Response
  try {
    response = await options.fetch(url, {
      headers: { accept: 'application/ld+json, application/json;q=0.9, */*;q=0.1' },
      redirect: 'follow',
      signal: controller.signal,
    })
  } catch (e) {
    throw contextNotAvailable(url, networkReason(e))
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {})
    throw contextNotAvailable(url, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`)
  }
  const text = await readLimited(response, url, options.maxBytes)
  let doc: unknown
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch {
    throw contextNotAvailable(url, 'the answer is not valid JSON')
  }
  if (!isPlainObject(doc) || !('@context' in doc)) {
    throw contextNotAvailable(url, 'the answer is not a JSON-LD context document (no "@context" member)')
  }
  const ctx = doc['@context']
  if (!(ctx === null || typeof ctx === 'string' || Array.isArray(ctx) || isPlainObject(ctx))) {
    throw contextNotAvailable(url, 'its "@context" member is neither an object, an array, a URL nor null')
  }
  return doc
}

async function readLimited(response: Response, url: string, maxBytes: number): Promise<string> {
  const tooBig = () => contextNotAvailable(url, `the document is larger than ${maxBytes} bytes`)
  const declared = Number(response.headers.get('content-length') ?? '')
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {})
    throw tooBig()
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        await reader.cancel().catch(() => {})
        throw tooBig()
      }
      chunks.push(value)
    }
  } catch (e) {
    if (e instanceof AppError) throw e
    throw contextNotAvailable(url, `reading the answer failed (${networkReason(e)})`)
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))
  } catch {
    throw contextNotAvailable(url, 'the answer is not valid UTF-8')
  }
}

function networkReason(e: unknown): string {
  if (!(e instanceof Error)) return String(e)
  const cause = (e as { cause?: unknown }).cause
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    return typeof code === 'string' ? `${code} (${cause.message})` : cause.message
  }
  return e.name === 'AbortError' ? 'request aborted' : e.message
}
