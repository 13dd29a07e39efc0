// The reference: a bare Fastify hello-world (same Fastify, same Node, no database, no auth, no logging).
import Fastify from 'fastify'

const app = Fastify({ logger: false })
app.get('/', async () => ({ hello: 'world' }))
await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(`Hello ready at http://127.0.0.1:${app.server.address().port}\n`)
process.on('SIGTERM', () => app.close().then(() => process.exit(0)))
