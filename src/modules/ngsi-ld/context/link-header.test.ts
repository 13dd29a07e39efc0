import { describe, expect, it } from 'vitest'
import { isAppError } from '../../../errors.js'
import { contextLinkHeader, JSONLD_CONTEXT_REL, parseLinkHeader, parseLinks } from './link-header.js'
import { contextFromRequest } from './request-context.js'

const CTX = 'https://example.org/ctx.jsonld'
const link = (url: string) => `<${url}>; rel="${JSONLD_CONTEXT_REL}"; type="application/ld+json"`

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    if (isAppError(e)) return e.code
    throw e
  }
  return undefined
}

describe('parseLinkHeader', () => {
  it('returns undefined without a header or without a context link', () => {
    expect(parseLinkHeader(undefined)).toBeUndefined()
    expect(parseLinkHeader('')).toBeUndefined()
    expect(parseLinkHeader('  ')).toBeUndefined()
    expect(parseLinkHeader('<https://example.org/next>; rel="next"')).toBeUndefined()
  })

  it('finds the context link', () => {
    expect(parseLinkHeader(link(CTX))).toBe(CTX)
    expect(parseLinkHeader(contextLinkHeader(CTX))).toBe(CTX)
  })

  it('handles several links, spacing, unquoted and multi-valued rel, parameter case', () => {
    expect(parseLinkHeader(`<https://example.org/p>; rel="prev", ${link(CTX)}, <https://example.org/n>;rel=next`)).toBe(
      CTX,
    )
    expect(parseLinkHeader(`  < ${CTX} >  ;  REL = ${JSONLD_CONTEXT_REL} ; type=application/ld+json  `)).toBe(CTX)
    expect(parseLinkHeader(`<${CTX}>; rel="alternate ${JSONLD_CONTEXT_REL}"`)).toBe(CTX)
    expect(parseLinkHeader(['<https://example.org/p>; rel="prev"', link(CTX)])).toBe(CTX)
  })

  it('handles commas and semicolons inside URLs and quoted strings', () => {
    const url = 'https://example.org/ctx;v=1,2.jsonld'
    expect(parseLinkHeader(`<https://example.org/a>; title="a, b; \\"c\\"", ${link(url)}`)).toBe(url)
    expect(parseLinks(`<https://example.org/a>; title="a, b; \\"c\\""`)[0]?.params['title']).toBe('a, b; "c"')
  })

  it.each([
    ['bare URL', `${CTX}; rel="${JSONLD_CONTEXT_REL}"`],
    ['missing >', `<${CTX}; rel="${JSONLD_CONTEXT_REL}"`],
    ['unterminated quote', `<${CTX}>; rel="${JSONLD_CONTEXT_REL}`],
    ['garbage after the link', `<${CTX}> rel="${JSONLD_CONTEXT_REL}"`],
    ['relative URL', link('/ctx.jsonld')],
    ['not a URL', link('not a url')],
    ['non-http scheme', link('urn:example:ctx')],
    ['two context links', `${link(CTX)}, ${link('https://example.org/other.jsonld')}`],
  ])('rejects %s with BadRequestData', (_, header) => {
    expect(codeOf(() => parseLinkHeader(header))).toBe('BadRequestData')
  })
})

describe('contextFromRequest (clause 6.3.5)', () => {
  const inline = { temp: 'http://example.org/temp' }

  it('GET and DELETE: only the Link header counts', () => {
    expect(contextFromRequest({ method: 'GET', linkHeader: link(CTX) })).toBe(CTX)
    expect(contextFromRequest({ method: 'GET' })).toBeUndefined()
    expect(contextFromRequest({ method: 'get', contentType: 'application/ld+json', linkHeader: link(CTX) })).toBe(CTX)
    expect(contextFromRequest({ method: 'DELETE', linkHeader: link(CTX) })).toBe(CTX)
  })

  it('application/json: the Link header, and no @context in the body', () => {
    expect(contextFromRequest({ method: 'POST', contentType: 'application/json', linkHeader: link(CTX) })).toBe(CTX)
    expect(contextFromRequest({ method: 'PATCH', contentType: 'application/json; charset=utf-8' })).toBeUndefined()
    expect(contextFromRequest({ method: 'PATCH', contentType: 'application/merge-patch+json' })).toBeUndefined()
    expect(
      codeOf(() => contextFromRequest({ method: 'POST', contentType: 'application/json', bodyContext: CTX })),
    ).toBe('BadRequestData')
    expect(
      codeOf(() => contextFromRequest({ method: 'POST', contentType: 'application/json', bodyContext: null })),
    ).toBe('BadRequestData')
  })

  it('application/ld+json: the body @context is required and a context Link header is an error', () => {
    expect(contextFromRequest({ method: 'POST', contentType: 'application/ld+json', bodyContext: inline })).toBe(inline)
    expect(
      contextFromRequest({ method: 'PUT', contentType: 'Application/LD+JSON;charset=utf-8', bodyContext: [CTX] }),
    ).toEqual([CTX])
    expect(codeOf(() => contextFromRequest({ method: 'POST', contentType: 'application/ld+json' }))).toBe(
      'BadRequestData',
    )
    expect(
      codeOf(() =>
        contextFromRequest({
          method: 'POST',
          contentType: 'application/ld+json',
          bodyContext: CTX,
          linkHeader: link(CTX),
        }),
      ),
    ).toBe('BadRequestData')
    // other links are fine
    expect(
      contextFromRequest({
        method: 'POST',
        contentType: 'application/ld+json',
        bodyContext: CTX,
        linkHeader: '<https://example.org/x>; rel="describedby"',
      }),
    ).toBe(CTX)
  })

  it('rejects other media types and malformed Link headers', () => {
    expect(codeOf(() => contextFromRequest({ method: 'POST', contentType: 'text/plain' }))).toBe('UnsupportedMediaType')
    expect(codeOf(() => contextFromRequest({ method: 'GET', linkHeader: link('ctx.jsonld') }))).toBe('BadRequestData')
  })
})
