/**
 * HTTP `Link` header (RFC 8288) parsing, to find the JSON-LD context link
 * (`rel="http://www.w3.org/ns/json-ld#context"`, JSON-LD 1.1 clause 6.1; NGSI-LD clause 6.3.5).
 */
import { badRequest } from '../../../errors.js'

export const JSONLD_CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context'

export interface LinkValue {
  readonly target: string
  /** Parameter names lower-cased; the value of a repeated parameter is its first occurrence (RFC 8288 3.3). */
  readonly params: Readonly<Record<string, string>>
}

const malformed = (header: string, why: string) =>
  badRequest(`Invalid Link header (${why}): ${header.length > 200 ? header.slice(0, 200) + '...' : header}`)

const isSpace = (c: string | undefined) => c === ' ' || c === '\t'

/** Parses a Link header (several headers may be joined with commas, or given as an array). */
export function parseLinks(header: string | readonly string[]): LinkValue[] {
  const text = typeof header === 'string' ? header : header.join(', ')
  const links: LinkValue[] = []
  let i = 0
  const skipSpace = () => {
    while (isSpace(text[i])) i++
  }
  for (;;) {
    skipSpace()
    if (i >= text.length) break
    if (text[i] === ',') {
      i++ // empty list element
      continue
    }
    if (text[i] !== '<') throw malformed(text, 'a link must start with <URL>')
    const end = text.indexOf('>', i + 1)
    if (end < 0) throw malformed(text, 'missing >')
    const target = text.slice(i + 1, end).trim()
    i = end + 1
    const params: Record<string, string> = {}
    for (;;) {
      skipSpace()
      if (i >= text.length || text[i] === ',') break
      if (text[i] !== ';') throw malformed(text, `unexpected "${text[i]}" after a link`)
      i++
      skipSpace()
      const nameStart = i
      while (i < text.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(text[i]!)) i++
      const name = text.slice(nameStart, i).toLowerCase()
      if (!name) {
        if (i >= text.length || text[i] === ',') break // trailing ";"
        throw malformed(text, 'a link parameter has no name')
      }
      skipSpace()
      let value = ''
      if (text[i] === '=') {
        i++
        skipSpace()
        if (text[i] === '"') {
          i++
          let closed = false
          while (i < text.length) {
            const c = text[i++]!
            if (c === '\\' && i < text.length) value += text[i++]
            else if (c === '"') {
              closed = true
              break
            } else value += c
          }
          if (!closed) throw malformed(text, 'unterminated quoted string')
        } else {
          const valueStart = i
          while (i < text.length && text[i] !== ';' && text[i] !== ',') i++
          value = text.slice(valueStart, i).trim()
        }
      }
      if (!(name in params)) params[name] = value
    }
    links.push({ target, params })
  }
  return links
}

/**
 * The JSON-LD context URL of a Link header, or undefined if there is none. Other links are ignored. A malformed
 * header, a context link whose target is not an absolute http(s) URL, or several context links -> BadRequestData.
 */
export function parseLinkHeader(header: string | readonly string[] | undefined): string | undefined {
  if (header === undefined || (typeof header === 'string' ? header.trim() === '' : header.length === 0))
    return undefined
  const contextLinks = parseLinks(header).filter((link) =>
    (link.params['rel'] ?? '').split(/[ \t]+/).some((rel) => rel === JSONLD_CONTEXT_REL),
  )
  if (contextLinks.length === 0) return undefined
  if (contextLinks.length > 1) throw badRequest('Several JSON-LD @context links in the Link header (at most one)')
  const target = contextLinks[0]!.target
  let url: URL
  try {
    url = new URL(target)
  } catch {
    throw badRequest(`The JSON-LD @context link must be an absolute URL, got "${target}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badRequest(`The JSON-LD @context link must be an http(s) URL, got "${target}"`)
  }
  if (/\s/.test(target)) throw badRequest(`The JSON-LD @context link contains white space: "${target}"`)
  return target
}

/** The Link header value announcing a context URL in a response (JSON-LD 1.1 clause 6.1). */
export function contextLinkHeader(url: string): string {
  return `<${url}>; rel="${JSONLD_CONTEXT_REL}"; type="application/ld+json"`
}
