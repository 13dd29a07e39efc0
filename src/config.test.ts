import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONFIG_DOCS, ConfigError, loadConfig } from './config.js'
import { PROJECT_ROOT } from './paths.js'

describe('config', () => {
  it('has defaults that work on a laptop', () => {
    const c = loadConfig({})
    expect(c.port).toBe(8080)
    expect(c.databaseUrl).toBeUndefined()
    expect(c.dataDir).toBe(path.resolve('.urbe'))
    expect(c.bodyLimit).toBe(10 * 1024 * 1024)
    expect(c.anonymousRole).toBeUndefined()
    expect(Object.isFrozen(c)).toBe(true)
  })

  it('refuses bad values with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError)
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/)
    expect(() => loadConfig({ URBE_ANONYMOUS_ROLE: 'god' })).toThrow(/URBE_ANONYMOUS_ROLE/)
    expect(() => loadConfig({ URBE_DEMO: 'maybe' })).toThrow(/URBE_DEMO/)
    expect(() => loadConfig({ URBE_DEFAULT_TENANT: 'a b' })).toThrow(/URBE_DEFAULT_TENANT/)
  })

  it('is documented in the README, every variable', () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8')
    for (const s of CONFIG_DOCS) expect(readme, s.env).toContain(`| \`${s.env}\` |`)
  })
})
