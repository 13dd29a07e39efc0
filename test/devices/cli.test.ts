/** `urbe device ...` on the database (the server stopped, or PostgreSQL), through the same registry as the API. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { run } from '../../src/cli/main.js'
import { createTestLocation, type TestLocation } from '../support/test-db.js'

describe('urbe device', () => {
  let loc: TestLocation
  let out: string[]
  let err: string
  const urbe = async (...args: string[]) => {
    out = []
    err = ''
    return run(args, { out: (s) => out.push(s) })
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
    expect(await urbe('tenant', 'add', '020030', '--name', 'Mantova')).toBe(0)
  })
  afterAll(async () => {
    vi.restoreAllMocks()
    delete process.env.DATABASE_URL
    delete process.env.URBE_DATA_DIR
    await loc?.drop()
  })

  it('prints help', async () => {
    expect(await urbe('device', '--help')).toBe(0)
    expect(out.join()).toMatch(/urbe device group add/)
    expect(await urbe('simulate', '--help')).toBe(0)
    expect(out.join()).toMatch(/--backfill DAYS/)
    expect(await urbe('device', 'list')).toBe(2)
    expect(err).toMatch(/--tenant/)
  })

  it('adds groups and devices, lists, shows, imports CSV with line numbers, removes', async () => {
    expect(
      await urbe(
        'device',
        'group',
        'add',
        '--tenant',
        '020030',
        '--entity-type',
        'WeatherObserved',
        '--apikey',
        'mn-meteo',
        '--protocol',
        'ul',
      ),
    ).toBe(0)
    expect(out.join()).toMatch(/mn-meteo/)
    expect(await urbe('device', 'group', 'list', '--tenant', '020030')).toBe(0)
    expect(out.join()).toMatch(/mn-meteo\s+WeatherObserved\s+ul/)
    const add = await urbe(
      'device',
      'add',
      '--tenant',
      '020030',
      'campo-canoa',
      '--attr',
      't=temperature:Number:CEL',
      '--attr',
      'h=relativeHumidity',
      '--static',
      'name=Campo Canoa',
      '--command',
      'reboot',
      '--lat',
      '45.1625',
      '--lon',
      '10.783',
    )
    expect(add, err).toBe(0)
    expect(out.join()).toMatch(/provisioned campo-canoa as urn:ngsi-ld:WeatherObserved:campo-canoa/)
    expect(await urbe('device', 'show', '--tenant', '020030', 'campo-canoa')).toBe(0)
    expect(JSON.parse(out.join('\n'))).toMatchObject({
      protocol: 'ul',
      location: { type: 'Point', coordinates: [10.783, 45.1625] },
      attributes: [{ object_id: 't', name: 'temperature', type: 'Number', unitCode: 'CEL' }, { object_id: 'h' }],
    })
    const csv = path.join(os.tmpdir(), `urbe-devices-${process.pid}.csv`)
    fs.writeFileSync(csv, 'device_id,latitude,longitude\nok-1,45.16,10.79\nbad id,45.16,10.79\nok-2,45.16,\n')
    expect(await urbe('device', 'import', '--tenant', '020030', csv)).toBe(1)
    expect(err).toMatch(/line 3: device_id/)
    expect(err).toMatch(/line 4: latitude/)
    fs.writeFileSync(csv, 'device_id,latitude,longitude\nok-1,45.16,10.79\nok-2,45.15,10.8\n')
    expect(await urbe('device', 'import', '--tenant', '020030', csv)).toBe(0)
    expect(out.join()).toMatch(/2 created/)
    fs.rmSync(csv)
    expect(await urbe('device', 'list', '--tenant', '020030')).toBe(0)
    expect(out.join('\n')).toMatch(/3 device\(s\)/)
    expect(await urbe('device', 'remove', '--tenant', '020030', 'ok-2', '--delete-entity')).toBe(0)
    expect(await urbe('device', 'remove', '--tenant', '020030', 'ok-2')).toBe(1)
    expect(err).toMatch(/does not exist/)
  })
})
