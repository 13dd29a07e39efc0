/**
 * One registry of error codes. Services throw `AppError`s by code; the HTTP layer maps them to
 * `application/problem+json` (NGSI-LD ProblemDetails on /ngsi-ld routes). Never a bare 500 for bad input.
 */

export interface ErrorDef {
  readonly status: number
  readonly title: string
  /** Problem `type` URI. NGSI-LD codes use the ETSI error type URIs. */
  readonly type: string
}

const NGSI = 'https://uri.etsi.org/ngsi-ld/errors/'
const URBE = 'https://urbe.dev/errors/'

export const ERRORS = {
  // NGSI-LD (ETSI GS CIM 009 clause 5.5.2) -- also used by the rest of the platform where they fit.
  InvalidRequest: { status: 400, title: 'Invalid request', type: `${NGSI}InvalidRequest` },
  BadRequestData: { status: 400, title: 'Bad request data', type: `${NGSI}BadRequestData` },
  TooManyResults: { status: 403, title: 'Too many results', type: `${NGSI}TooManyResults` },
  AlreadyExists: { status: 409, title: 'Already exists', type: `${NGSI}AlreadyExists` },
  OperationNotSupported: { status: 422, title: 'Operation not supported', type: `${NGSI}OperationNotSupported` },
  ResourceNotFound: { status: 404, title: 'Resource not found', type: `${NGSI}ResourceNotFound` },
  InternalError: { status: 500, title: 'Internal error', type: `${NGSI}InternalError` },
  LdContextNotAvailable: { status: 503, title: 'LD context not available', type: `${NGSI}LdContextNotAvailable` },
  NoMultiTenantSupport: { status: 501, title: 'No multi-tenant support', type: `${NGSI}NoMultiTenantSupport` },
  NonexistentTenant: { status: 404, title: 'Nonexistent tenant', type: `${NGSI}NonexistentTenant` },
  // Platform
  Unauthenticated: { status: 401, title: 'Authentication required', type: `${URBE}Unauthenticated` },
  Forbidden: { status: 403, title: 'Forbidden', type: `${URBE}Forbidden` },
  CsrfFailed: { status: 403, title: 'CSRF token missing or wrong', type: `${URBE}CsrfFailed` },
  RateLimited: { status: 429, title: 'Too many requests', type: `${URBE}RateLimited` },
  PayloadTooLarge: { status: 413, title: 'Payload too large', type: `${URBE}PayloadTooLarge` },
  UnsupportedMediaType: { status: 415, title: 'Unsupported media type', type: `${URBE}UnsupportedMediaType` },
  NotAcceptable: { status: 406, title: 'Not acceptable', type: `${URBE}NotAcceptable` },
  MethodNotAllowed: { status: 405, title: 'Method not allowed', type: `${URBE}MethodNotAllowed` },
  Conflict: { status: 409, title: 'Conflict', type: `${URBE}Conflict` },
  Unavailable: { status: 503, title: 'Service unavailable', type: `${URBE}Unavailable` },
} as const satisfies Record<string, ErrorDef>

export type ErrorCode = keyof typeof ERRORS

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly details: Record<string, unknown> | undefined

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, status?: number) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.status = status ?? ERRORS[code].status
    this.details = details
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError

/** Shorthands for the most frequent errors. */
export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError('BadRequestData', message, details)
export const invalidRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError('InvalidRequest', message, details)
export const notFound = (message: string, details?: Record<string, unknown>) =>
  new AppError('ResourceNotFound', message, details)
