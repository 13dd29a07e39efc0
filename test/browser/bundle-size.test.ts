/**
 * The public portal's initial JavaScript: the entry chunk and its static imports, gzipped, from web/dist/.vite/manifest.json
 * (the global setup builds the web app). MapLibre GL must only be a dynamic import.
 */
import fs from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../src/paths.js'

interface Chunk {
  file: string
  isEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
  css?: string[]
}

const dist = path.join(PROJECT_ROOT, 'web', 'dist')
const gz = (file: string) => gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length

describe('web bundle', () => {
  it('the initial JavaScript is at most 300 kB gzipped, MapLibre loads on demand', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<
      string,
      Chunk
    >
    const entry = manifest['index.html']!
    expect(entry.isEntry).toBe(true)
    const seen = new Set<string>()
    const walk = (key: string) => {
      if (seen.has(key)) return
      seen.add(key)
      for (const i of manifest[key]?.imports ?? []) walk(i)
    }
    walk('index.html')
    const files = [...seen].map((k) => manifest[k]!.file)
    const js = files.reduce((s, f) => s + gz(f), 0)
    const css = (entry.css ?? []).reduce((s, f) => s + gz(f), 0)
    const maplibre = Object.values(manifest).find((c) => /maplibre-gl.*\.js$/.test(c.file))!
    console.log(
      `portal initial JavaScript: ${(js / 1024).toFixed(1)} kB gzipped in ${files.length} files (${files.join(', ')}); ` +
        `CSS ${(css / 1024).toFixed(1)} kB gzipped; maplibre-gl ${(gz(maplibre.file) / 1024).toFixed(1)} kB gzipped, loaded when the map shows`,
    )
    expect(js).toBeLessThanOrEqual(300 * 1024)
    expect(files.some((f) => f.includes('maplibre'))).toBe(false)
    expect(files.some((f) => f.includes('uPlot'))).toBe(false)
  })
})
