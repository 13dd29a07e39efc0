import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../config.js'
import { retentionMonths } from './partitions.js'

describe('history settings', () => {
  it('keeps everything and 1,000 instances per attribute by default', () => {
    const c = loadConfig({})
    expect(c.historyRetention).toEqual({ months: 0, tenants: {} })
    expect(c.temporalInstanceLimit).toBe(1000)
  })

  it('reads a retention by default and per tenant', () => {
    const r = loadConfig({ URBE_HISTORY_RETENTION_MONTHS: '24, 046017=60,015170=0' }).historyRetention
    expect(r).toEqual({ months: 24, tenants: { '046017': 60, '015170': 0 } })
    expect(retentionMonths(r, '046017')).toBe(60)
    expect(retentionMonths(r, '015170')).toBe(0)
    expect(retentionMonths(r, '020030')).toBe(24)
    expect(loadConfig({ URBE_HISTORY_RETENTION_MONTHS: '046017=12' }).historyRetention).toEqual({
      months: 0,
      tenants: { '046017': 12 },
    })
  })

  it('refuses bad values naming the variable', () => {
    for (const bad of ['-1', 'twelve', '12,=3', '12,046017', '12,a b=3', '1201']) {
      expect(() => loadConfig({ URBE_HISTORY_RETENTION_MONTHS: bad }), bad).toThrow(ConfigError)
    }
    expect(() => loadConfig({ URBE_TEMPORAL_INSTANCE_LIMIT: '0' })).toThrow(/URBE_TEMPORAL_INSTANCE_LIMIT/)
  })
})
