import { describe, expect, it } from 'vitest'
import { formatAttr, formatNumber, formatRelative, formatValue, humanize, unitSymbol } from './format'

describe('formatting', () => {
  it('formats numbers in Italian and English', () => {
    expect(formatNumber(1234.5, 'it', 1)).toBe('1234,5')
    expect(formatNumber(12345.5, 'it', 1)).toBe('12.345,5')
    expect(formatNumber(12345.5, 'en', 1)).toBe('12,345.5')
    expect(formatNumber(3.24159, 'en')).toBe('3.24')
  })
  it('formats values with units', () => {
    expect(formatValue(42.31, 'it', 'GQ')).toBe('42,3 µg/m³')
    expect(formatValue(21.5, 'en', 'CEL')).toBe('21.5 °C')
    expect(formatValue(true, 'it')).toBe('sì')
    expect(formatValue(null, 'it')).toBe('—')
    expect(formatValue({ a: 1 }, 'it')).toBe('{"a":1}')
    expect(unitSymbol('XYZ')).toBe('XYZ')
  })
  it('shows Smart Data Models fractions as percentages', () => {
    expect(formatAttr('fillingLevel', 0.81, 'it')).toBe('81 %')
    expect(formatAttr('occupancy', 0.345, 'en')).toBe('35 %')
    expect(formatAttr('occupancy', 12, 'en', 'C62')).toBe('12')
    expect(formatAttr('temperature', 21.5, 'en', 'CEL')).toBe('21.5 °C')
    expect(formatAttr('relativeHumidity', 0.6, 'it')).toBe('60 %')
    expect(formatAttr('relativeHumidity', 45, 'it')).toBe('45') // already a percentage: left alone
  })
  it('formats recent times relatively', () => {
    const now = Date.parse('2026-01-01T12:00:00Z')
    expect(formatRelative('2026-01-01T11:55:00Z', 'en', now)).toBe('5 minutes ago')
    expect(formatRelative('2026-01-01T11:55:00Z', 'it', now)).toBe('5 minuti fa')
    expect(formatRelative(null, 'it', now)).toBe('—')
  })
  it('humanizes attribute names', () => {
    expect(humanize('averageVehicleSpeed')).toBe('average vehicle speed')
    expect(humanize('pm25')).toBe('PM2.5')
    expect(humanize('no2')).toBe('NO2')
  })
})
