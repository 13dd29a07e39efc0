/**
 * The web app. When the built app is there (`URBE_WEB_DIR`, by default web/dist, with an index.html), its files are
 * served (hashed assets under /assets cached for a year, gzip when the client takes it) and every other GET outside
 * the APIs answers index.html, so that the app's own paths (/it/lucca/...) load it. Without a build, a small
 * server-rendered page says what is running and where the APIs are. Nothing is loaded from outside the machine.
 */
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config.js'
import { notFoundHandler } from '../../http/problem.js'
import { VERSION } from '../../version.js'

const PAGE = `<!doctype html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Urbe</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1a1a1a; }
  header { background: #0066cc; color: #fff; padding: 1.5rem 2rem; }
  header h1 { margin: 0; font-size: 1.8rem; }
  main { padding: 1.5rem 2rem; max-width: 60rem; }
  a { color: #0059b3; }
  ul { line-height: 1.8; }
  code { background: #f2f2f2; padding: 0 .3em; }
</style>
</head>
<body>
<header><h1>Urbe</h1><p>Piattaforma aperta per la città intelligente · v${VERSION}</p></header>
<main>
  <h2>Comuni</h2>
  <ul id="tenants"><li>…</li></ul>
  <h2>API</h2>
  <ul>
    <li><a href="/docs">Documentazione OpenAPI</a> (<code>/docs</code>)</li>
    <li><a href="/ready">Stato del servizio</a> (<code>/ready</code>) · <a href="/metrics">metriche</a></li>
    <li><a href="/api/tenants">Elenco dei Comuni</a> (<code>/api/tenants</code>)</li>
  </ul>
</main>
<script>
fetch('/api/tenants').then(r => r.json()).then(ts => {
  const ul = document.getElementById('tenants'); ul.textContent = ''
  for (const t of ts) { const li = document.createElement('li'); li.textContent = t.name + ' (' + t.id + ')' + (t.population ? ' · ' + t.population.toLocaleString('it-IT') + ' abitanti' : ''); ul.appendChild(li) }
})
</script>
</body>
</html>`

/** Paths that belong to the server, never to the web app (an unknown one is a 404 problem, not index.html). */
const SERVER_PREFIXES = ['/api', '/ngsi-ld', '/iot', '/docs', '/metrics', '/health', '/ready', '/jsonldContexts']

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pbf': 'application/x-protobuf',
}
const COMPRESSIBLE = /^(text\/|application\/(json|geo\+json|manifest\+json|x-protobuf)|image\/svg)/
const gzipAsync = promisify(gzip)

const isServerPath = (p: string) => SERVER_PREFIXES.some((x) => p === x || p.startsWith(`${x}/`))

interface Cached {
  mtimeMs: number
  size: number
  gz: Buffer
}

/** Serves the built web app from `root`. */
function staticSite(root: string) {
  const realRoot = fs.realpathSync(root)
  const gzCache = new Map<string, Cached>()

  /** The file under the root for a URL path, or undefined (outside the root, not a file, unreadable name). */
  function resolve(urlPath: string): string | undefined {
    let decoded: string
    try {
      decoded = decodeURIComponent(urlPath)
    } catch {
      return undefined
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return undefined
    const file = path.resolve(realRoot, `.${path.posix.normalize(`/${decoded}`)}`)
    if (file !== realRoot && !file.startsWith(realRoot + path.sep)) return undefined
    try {
      // symbolic links must not lead out of the root either
      const real = fs.realpathSync(file)
      if (!real.startsWith(realRoot + path.sep) || !fs.statSync(real).isFile()) return undefined
      return real
    } catch {
      return undefined
    }
  }

  async function send(request: FastifyRequest, reply: FastifyReply, file: string, cache: string) {
    const stat = await fs.promises.stat(file)
    const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
    reply.header('content-type', type).header('cache-control', cache).header('x-content-type-options', 'nosniff')
    reply.header('last-modified', stat.mtime.toUTCString()).header('vary', 'accept-encoding')
    const accepts = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))
    if (accepts && COMPRESSIBLE.test(type) && stat.size > 1024 && stat.size < 20 * 1024 * 1024) {
      let c = gzCache.get(file)
      if (!c || c.mtimeMs !== stat.mtimeMs || c.size !== stat.size) {
        c = { mtimeMs: stat.mtimeMs, size: stat.size, gz: await gzipAsync(await fs.promises.readFile(file)) }
        gzCache.set(file, c)
      }
      return reply.header('content-encoding', 'gzip').send(c.gz)
    }
    return reply.send(await fs.promises.readFile(file))
  }

  const index = path.join(realRoot, 'index.html')
  return {
    async handle(request: FastifyRequest, reply: FastifyReply) {
      const urlPath = request.url.split('?')[0] ?? '/'
      if (isServerPath(urlPath)) return notFoundHandler(request, reply)
      const file = urlPath === '/' ? index : resolve(urlPath)
      if (file && file !== index) {
        const hashed = file.startsWith(path.join(realRoot, 'assets') + path.sep)
        return send(request, reply, file, hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
      }
      // a missing asset is a 404 (index.html would only confuse the browser); any other path is the app's own
      if (urlPath.startsWith('/assets/')) return notFoundHandler(request, reply)
      return send(request, reply, index, 'no-cache')
    },
  }
}

export function webRoutes(app: FastifyInstance, config: Pick<Config, 'webDir'>): void {
  const built = fs.existsSync(path.join(config.webDir, 'index.html'))
  if (!built) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE))
    return
  }
  const site = staticSite(config.webDir)
  app.get('/', { schema: { hide: true } }, (request, reply) => site.handle(request, reply))
  app.get('*', { schema: { hide: true } }, (request, reply) => site.handle(request, reply))
}
