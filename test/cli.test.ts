import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { run } from '../src/cli/main.js'
import { openDatabase } from '../src/db/database.js'
import { createTestLocation, type TestLocation } from './support/test-db.js'

// Each command opens the embedded database (2-10 s on a loaded 2-core machine): generous timeouts.
describe('urbe CLI', { timeout: 240_000 }, () => {
  let loc: TestLocation
  let out: string[]
  let err: string
  const io = { out: (s: string) => out.push(s) }
  const urbe = async (...args: string[]) => {
    out = []
    err = ''
    return run(args, io)
  }

  beforeAll(async () => {
    loc = await createTestLocation()
    if (loc.databaseUrl) process.env.DATABASE_URL = loc.databaseUrl
    else process.env.URBE_DATA_DIR = loc.dataDir
    process.env.LOG_LEVEL = 'silent'
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err += String(s)
      return true
    })
  })
  afterAll(async () => {
    vi.restoreAllMocks()
    await loc?.drop()
  })

  it('prints help for every command and exits 0', async () => {
    for (const cmd of ['migrate', 'tenant', 'user', 'apikey', 'serve']) {
      expect(await urbe(cmd, '--help')).toBe(0)
      expect(out.join('\n')).toMatch(new RegExp(`urbe ${cmd}`))
    }
    expect(await urbe('--help')).toBe(0)
    expect(out.join('\n')).toMatch(/Commands:/)
  })

  it('exits 2 with a clear message on usage errors', async () => {
    expect(await urbe('frobnicate')).toBe(2)
    expect(err).toMatch(/unknown command "frobnicate"/)
    expect(await urbe('tenant', 'add', '046017')).toBe(2)
    expect(err).toMatch(/--name/)
    expect(await urbe('tenant', 'add', '046017', '--nmae', 'x')).toBe(2)
    expect(err).toMatch(/nmae/)
    expect(await urbe('apikey', 'list')).toBe(2)
    expect(err).toMatch(/--tenant/)
  })

  it('migrates, adds and lists tenants', async () => {
    expect(await urbe('migrate')).toBe(0)
    expect(out.join()).toMatch(/up to date/)
    expect(
      await urbe('tenant', 'add', '046017', '--name', 'Lucca', '--province', 'Lucca', '--population', '89000'),
    ).toBe(0)
    expect(await urbe('tenant', 'add', '046017', '--name', 'Lucca')).toBe(1)
    expect(err).toMatch(/already exists/)
    expect(await urbe('tenant', 'update', '046017', '--population', '90000', '--region', 'Toscana'), err).toBe(0)
    expect(await urbe('tenant', 'update', '046017', '--timezone', 'Nowhere/Else')).toBe(1)
    expect(err).toMatch(/time zone/)
    expect(await urbe('tenant', 'list')).toBe(0)
    expect(out.join('\n')).toMatch(/046017\s+Lucca\s+Lucca\s+Toscana\s+90000/)
  })

  it('adds users with roles, changes passwords, and refuses bad input', async () => {
    process.env.URBE_PASSWORD = 'a long enough password'
    expect(await urbe('user', 'add', 'mario', '--tenant', '046017', '--role', 'operator')).toBe(0)
    expect(out.join()).toMatch(/operator of 046017/)
    expect(await urbe('user', 'add', 'luigi', '--tenant', '999999', '--role', 'operator')).toBe(1)
    expect(err).toMatch(/does not exist/)
    expect(await urbe('user', 'add', 'Bad Name')).toBe(1)
    expect(await urbe('user', 'add', 'anna', '--tenant', '046017', '--role', 'boss')).toBe(1)
    expect(await urbe('user', 'passwd', 'mario', '--password', 'another long password')).toBe(0)
    expect(await urbe('user', 'passwd', 'nobody', '--password', 'another long password')).toBe(1)
    expect(await urbe('user', 'passwd', 'mario', '--password', 'short')).toBe(1)
    delete process.env.URBE_PASSWORD
  })

  it('creates, lists and revokes API keys', async () => {
    expect(
      await urbe('apikey', 'create', '--tenant', '046017', '--name', 'gateway', '--role', 'operator', '--days', '30'),
    ).toBe(0)
    const key = out.join('\n').match(/urbe_[0-9a-f]{12}_\S+/)![0]
    const id = key.split('_')[1]!
    expect(await urbe('apikey', 'list', '--tenant', '046017')).toBe(0)
    expect(out.join('\n')).toMatch(new RegExp(`${id}\\s+gateway\\s+operator\\s+active`))
    expect(out.join('\n')).not.toContain(key)
    expect(await urbe('apikey', 'revoke', '--tenant', '046017', id)).toBe(0)
    expect(await urbe('apikey', 'revoke', '--tenant', '046017', id)).toBe(1)
    expect(await urbe('apikey', 'list', '--tenant', '046017')).toBe(0)
    expect(out.join('\n')).toMatch(new RegExp(`${id}\\s+gateway\\s+operator\\s+revoked`))
    expect(await urbe('apikey', 'create', '--tenant', '046017', '--name', 'x', '--role', 'root')).toBe(1)
  })

  it('wrote everything to the database', async () => {
    const d = await openDatabase(loc)
    try {
      const users = await d.db.selectFrom('users').select('username').execute()
      expect(users.map((u) => u.username)).toEqual(['mario'])
      const audit = await d.db.selectFrom('audit_log').select(['action', 'actor']).execute()
      expect(audit.some((a) => a.action === 'apikey.revoke' && a.actor.startsWith('cli:'))).toBe(true)
    } finally {
      await d.close()
    }
  })

  it('imports mobility zones and presence from files, with progress, and reports bad lines', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urbe-cli-mob-'))
    const zones = path.join(dir, 'zones.geojson')
    const ring = [
      [10.5, 43.8],
      [10.51, 43.8],
      [10.51, 43.81],
      [10.5, 43.81],
      [10.5, 43.8],
    ]
    fs.writeFileSync(
      zones,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { id: 'Z1', name: 'Centro' },
            geometry: { type: 'Polygon', coordinates: [ring] },
          },
        ],
      }),
    )
    expect(await urbe('mobility', 'zones', '--tenant', '046017', '--layer', 'ace', '--id-property', 'id', zones)).toBe(
      0,
    )
    expect(out.join()).toMatch(/1 zones in layer ace/)
    const csv = path.join(dir, 'presence.csv')
    fs.writeFileSync(csv, 'zone,time,class,count\nZ1,2025-05-01T10:00:00+02:00,resident,150\nZ1,yesterday,resident,3\n')
    expect(await urbe('mobility', 'import', 'presence', '--tenant', '046017', csv)).toBe(0)
    expect(out.join('\n')).toMatch(/2 rows, 1 imported, 1 rejected/)
    expect(out.join('\n')).toMatch(/line 3: time "yesterday"/)
    expect(await urbe('mobility', 'imports', '--tenant', '046017')).toBe(0)
    expect(out.join('\n')).toMatch(/presence\s+csv\s+presence.csv\s+done/)
    expect(await urbe('mobility', 'k', '--tenant', '046017', '2')).toBe(1)
    expect(await urbe('mobility', 'import', 'presence', csv)).toBe(2)
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
