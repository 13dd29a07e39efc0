/**
 * Maps every error to `application/problem+json` (RFC 9457 / NGSI-LD ProblemDetails): `type`, `title`, `status`,
 * `detail`, `instance`, the request id, and the error's details. Client errors are logged at info, server errors at
 * error; a 5xx never echoes internals to the client.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, ERRORS, type ErrorCode } from '../errors.js'

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  instance?: string
  requestId: string
  code: ErrorCode
  [k: string]: unknown
}

/** Fastify's own error codes that are the client's fault, mapped to ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UnsupportedMediaType',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'InvalidRequest',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PayloadTooLarge',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'InvalidRequest',
  FST_ERR_CTP_INVALID_JSON_BODY: 'InvalidRequest',
  FST_ERR_CTP_EMPTY_TYPE: 'UnsupportedMediaType',
  FST_ERR_CTP_INVALID_TYPE: 'UnsupportedMediaType',
  FST_ERR_VALIDATION: 'BadRequestData',
  FST_ERR_BAD_URL: 'InvalidRequest',
  FST_ERR_ASYNC_CONSTRAINT: 'InvalidRequest',
}

/** Database errors that are about the request, not the server (a safety net: inputs are validated before SQL). */
function fromDatabase(e: { code?: unknown; message?: string; severity?: unknown }): AppError | undefined {
  if (typeof e.code !== 'string' || typeof e.severity !== 'string') return undefined
  if (e.code === '57014') return new AppError('Unavailable', 'The query took too long and was cancelled: narrow it')
  if (e.code.startsWith('22')) return new AppError('BadRequestData', `Invalid value: ${e.message ?? e.code}`)
  return undefined
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err
  const db = err && typeof err === 'object' ? fromDatabase(err as Record<string, never>) : undefined
  if (db) return db
  const e = err as FastifyError & { type?: string }
  if (e && typeof e === 'object') {
    const mapped = e.code ? FASTIFY_CODES[e.code] : undefined
    if (mapped) return new AppError(mapped, e.message)
    if (e instanceof SyntaxError || e.type === 'entity.parse.failed') {
      return new AppError('InvalidRequest', `Malformed JSON: ${e.message}`)
    }
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      const byStatus = (Object.keys(ERRORS) as ErrorCode[]).find((c) => ERRORS[c].status === e.statusCode)
      return new AppError(byStatus ?? 'InvalidRequest', e.message, undefined, e.statusCode)
    }
  }
  return new AppError('InternalError', 'Internal error', undefined, 500)
}

export function problemOf(err: AppError, request: FastifyRequest): Problem {
  const def = ERRORS[err.code]
  return {
    ...(err.details ?? {}),
    type: def.type,
    title: def.title,
    status: err.status,
    detail: err.message,
    instance: request.url.split('?')[0],
    requestId: String(request.id),
    code: err.code,
  }
}

export function sendProblem(reply: FastifyReply, err: AppError): FastifyReply {
  const body = problemOf(err, reply.request)
  return reply.code(err.status).header('content-type', 'application/problem+json; charset=utf-8').send(body)
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const appErr = toAppError(error)
  if (appErr.status >= 500) {
    request.log.error({ err: error, code: appErr.code }, 'request failed')
  } else {
    request.log.info({ code: appErr.code, detail: appErr.message, status: appErr.status }, 'request refused')
  }
  reply.errorCode = appErr.code
  return sendProblem(reply, appErr)
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  const err = new AppError('ResourceNotFound', `No route ${request.method} ${request.url.split('?')[0]}`)
  reply.errorCode = err.code
  return sendProblem(reply, err)
}

declare module 'fastify' {
  interface FastifyReply {
    errorCode?: ErrorCode
  }
}
