/**
 * The home page. Until the web app (React + Bootstrap Italia) lands, a small server-rendered page says what is running
 * and where the APIs are; it loads nothing from outside the machine.
 */
import type { FastifyInstance } from 'fastify'
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

export function webRoutes(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE))
}
