/**
 * Body parsing: JSON in its NGSI-LD flavours (application/json, application/ld+json, application/merge-patch+json,
 * application/geo+json) with one size limit; text/csv and text/plain as strings for imports. Malformed JSON is a 400
 * InvalidRequest, an unknown content type a 415.
 */
import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors.js'

const JSON_TYPES = ['application/ld+json', 'application/merge-patch+json', 'application/geo+json']

export function registerContentTypes(app: FastifyInstance, bodyLimit: number): void {
  app.removeContentTypeParser(['application/json', 'text/plain'])
  const parseJson = (_req: unknown, body: string, done: (err: Error | null, value?: unknown) => void) => {
    if (body.length === 0) return done(null, undefined)
    try {
      done(null, JSON.parse(body))
    } catch (e) {
      done(new AppError('InvalidRequest', `Malformed JSON body: ${(e as Error).message}`))
    }
  }
  app.addContentTypeParser(['application/json', ...JSON_TYPES], { parseAs: 'string', bodyLimit }, parseJson)
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit }, (_req, body, done) =>
    done(null, body),
  )
}
