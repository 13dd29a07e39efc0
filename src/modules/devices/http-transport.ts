/**
 * The HTTP transport of the FIWARE IoT agents: `POST /iot/json?k=<apikey>&i=<deviceId>` with a JSON measurement (or
 * an array of them) and `POST /iot/d?k=&i=` with UltraLight 2.0 text. The key is the credential (no Authorization
 * header). Answers: 200 once queued ({"measurements": n}); 400 malformed; 401 unknown key; 404 unknown device; 503
 * when the gateway's queue is full (retry after a second). Bodies are read raw here, so that a malformed one is
 * counted against its device like on MQTT.
 *
 * Commands to HTTP devices (polling): `GET /iot/json?k=&i=` (or `/iot/d`) answers the device's pending commands and
 * marks them sent, as a publish on `/cmd` would: JSON `{"<command>": value, ...}`, UltraLight one
 * `<device>@<command>|<value>` line each; 204 when there is none. The device answers with `POST /iot/json/cmdexe`
 * (or `/iot/d/cmdexe`) and the payload of an MQTT `/cmdexe`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../errors.js'
import type { Ingest, Outcome } from './ingest.js'
import type { CommandWorker } from './commands/worker.js'
import { commandPayload } from './commands/worker.js'
import type { PayloadFormat } from './model.js'
import type { RegistryCache } from './registry-cache.js'
import { tags, transportQuery, transportReply } from './schemas.js'

type Req = FastifyRequest<{ Querystring: { k: string; i: string } }>

function answer(reply: FastifyReply, o: Outcome) {
  if (o.ok) {
    return reply.code(200).send({
      measurements: o.measurements,
      ...(o.duplicate ? { duplicate: true } : {}),
      ...(o.errors ? { errors: o.errors } : {}),
    })
  }
  switch (o.reason) {
    case 'wrong_key':
      throw new AppError('Unauthenticated', 'Unknown API key (k)')
    case 'unknown_device':
      throw new AppError('ResourceNotFound', o.message)
    case 'overload':
      reply.header('retry-after', '1')
      throw new AppError('Unavailable', o.message)
    case 'write_failed':
      throw new AppError('Unavailable', 'The measurement could not be accepted now; retry')
    default:
      throw new AppError('BadRequestData', o.message)
  }
}

export interface PollingDeps {
  registry: RegistryCache
  worker: Pick<CommandWorker, 'takeFor'>
}

export function httpTransportRoutes(
  app: FastifyInstance,
  ingest: Ingest,
  bodyLimit: number,
  polling?: PollingDeps,
): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: Math.min(bodyLimit, 1024 * 1024) },
      (_r, body, done) => done(null, body),
    )
    const route = (url: string, format: PayloadFormat, summary: string, kind: 'attrs' | 'cmdexe' = 'attrs') =>
      scope.post(
        url,
        {
          schema: {
            tags,
            summary,
            querystring: transportQuery,
            response: { 200: transportReply },
            security: [],
          },
        },
        async (request: Req, reply) => {
          const body = request.body
          const payload = Buffer.isBuffer(body) ? body : Buffer.alloc(0)
          const outcome = await ingest.handle({
            transport: 'http',
            apikey: request.query.k,
            deviceId: request.query.i,
            kind,
            format,
            payload,
            receivedAt: Date.now(),
            wait: false,
          })
          return answer(reply, outcome)
        },
      )
    route('/iot/json', 'json', 'Device measurements in JSON (FIWARE IoT Agent JSON, HTTP transport)')
    route('/iot/d', 'ul', 'Device measurements in UltraLight 2.0 (FIWARE IoT Agent UL, HTTP transport)')
    route('/iot/json/cmdexe', 'json', 'A device answers a command (JSON, HTTP transport)', 'cmdexe')
    route('/iot/d/cmdexe', 'ul', 'A device answers a command (UltraLight, HTTP transport)', 'cmdexe')
    if (!polling) return
    const poll = (url: string, summary: string) =>
      scope.get(
        url,
        { schema: { tags, summary, querystring: transportQuery, security: [] } },
        async (request: Req, reply) => {
          const group = await polling.registry.group(request.query.k)
          if (!group) throw new AppError('Unauthenticated', 'Unknown API key (k)')
          const device = await polling.registry.device(group, request.query.i)
          if (!device) throw new AppError('ResourceNotFound', `Unknown device ${request.query.i}`)
          if (device.transport !== 'http') {
            throw new AppError(
              'BadRequestData',
              `Device ${device.deviceId} takes its commands over MQTT, not by polling`,
            )
          }
          const cmds = await polling.worker.takeFor(group.tenant, device.deviceId)
          if (cmds.length === 0) return reply.code(204).send()
          if (device.protocol === 'ul') {
            return reply.type('text/plain; charset=utf-8').send(cmds.map((c) => commandPayload(c)).join('\n'))
          }
          return reply.send(Object.assign({}, ...cmds.map((c) => ({ [c.command]: c.value }))))
        },
      )
    poll('/iot/json', 'An HTTP device polls for its commands (JSON)')
    poll('/iot/d', 'An HTTP device polls for its commands (UltraLight)')
  })
}
