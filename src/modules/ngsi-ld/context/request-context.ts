/**
 * Where the @context of a request comes from (ETSI GS CIM 009 v1.8.1 clause 6.3.5):
 * - GET / DELETE / HEAD (no payload): the JSON-LD Link header; none -> core context.
 * - payload with `application/json` (also `application/merge-patch+json`): the Link header; none -> core context.
 *   A `@context` member in the payload is an error (BadRequestData).
 * - payload with `application/ld+json`: the payload's `@context` member, which is mandatory (BadRequestData if
 *   missing); a JSON-LD Link header is then an error (BadRequestData).
 */
import { AppError, badRequest } from '../../../errors.js'
import { parseLinkHeader } from './link-header.js'

export interface RequestContextInput {
  /** HTTP method. GET, HEAD and DELETE: only the Link header counts. Default: treated as a request with payload. */
  readonly method?: string | undefined
  /** The request's Content-Type header (parameters allowed). */
  readonly contentType?: string | undefined
  /** The Link header(s). */
  readonly linkHeader?: string | readonly string[] | undefined
  /**
   * The payload's `@context` member; undefined when the member is absent (pass `null` if it is present and null).
   * For batch operations (arrays of entities) call this once per entity.
   */
  readonly bodyContext?: unknown
}

const PAYLOADLESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS'])

/** Lower-cased media type without parameters, or undefined. */
export function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';', 1)[0]?.trim().toLowerCase()
  return type ? type : undefined
}

/**
 * Returns the context value to pass to `ContextResolver.resolve` (undefined = core context only), or throws
 * BadRequestData where clause 6.3.5 says so (UnsupportedMediaType for payloads that are not JSON).
 */
export function contextFromRequest(input: RequestContextInput): unknown {
  const method = input.method?.toUpperCase()
  if (method !== undefined && PAYLOADLESS.has(method)) return parseLinkHeader(input.linkHeader)
  const type = mediaType(input.contentType)
  if (type === 'application/ld+json') {
    if (parseLinkHeader(input.linkHeader) !== undefined) {
      throw badRequest(
        'With Content-Type application/ld+json the @context must be in the payload, not in a Link header (remove the Link header, or send application/json)',
      )
    }
    if (input.bodyContext === undefined) {
      throw badRequest('With Content-Type application/ld+json the payload must have an "@context" member')
    }
    return input.bodyContext
  }
  if (type === undefined || type === 'application/json' || type === 'application/merge-patch+json') {
    if (input.bodyContext !== undefined) {
      throw badRequest(
        `With Content-Type ${type ?? 'application/json'} the payload must not have an "@context" member (send application/ld+json, or give the context in a Link header)`,
      )
    }
    return parseLinkHeader(input.linkHeader)
  }
  throw new AppError(
    'UnsupportedMediaType',
    `Unsupported Content-Type ${type}: use application/json or application/ld+json`,
  )
}
