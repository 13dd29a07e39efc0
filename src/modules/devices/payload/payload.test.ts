import { describe, expect, it } from 'vitest'
import { parseJsonCommandResults, parseJsonMeasures, parseSingleValue } from './json.js'
import { PayloadError, parseTimestamp } from './reading.js'
import { formatUltralightCommand, parseUltralight, parseUltralightCommandResult } from './ultralight.js'

describe('UltraLight 2.0', () => {
  it('reads key|value pairs', () => {
    expect(parseUltralight('t|25|h|40')).toEqual([
      {
        values: [
          ['t', '25'],
          ['h', '40'],
        ],
      },
    ])
  })
  it('reads #-separated groups, each with its own timestamp', () => {
    expect(parseUltralight('2026-01-05T10:00:00Z|t|25#2026-01-05T10:05:00+01:00|t|26\n')).toEqual([
      { at: '2026-01-05T10:00:00.000Z', values: [['t', '25']] },
      { at: '2026-01-05T09:05:00.000Z', values: [['t', '26']] },
    ])
  })
  it('accepts Unix time', () => {
    expect(parseUltralight('1767607200|t|1')[0]!.at).toBe('2026-01-05T10:00:00.000Z')
  })
  it.each(['', 't|25|h', '|25', 't|', 'x|1|y', '2026-13-45T99:00:00Z|t|1'])('refuses %j', (p) => {
    expect(() => parseUltralight(p)).toThrow(PayloadError)
  })
  it('reads and writes commands', () => {
    expect(parseUltralightCommandResult('lamp1@dim|OK')).toEqual({ deviceId: 'lamp1', command: 'dim', result: 'OK' })
    expect(formatUltralightCommand('lamp1', 'dim', 40)).toBe('lamp1@dim|40')
    expect(formatUltralightCommand('r1', 'set', { t: 21, mode: 'eco' })).toBe('r1@set|t=21|mode=eco')
    expect(() => parseUltralightCommandResult('garbage')).toThrow(PayloadError)
  })
})

describe('JSON payloads', () => {
  it('reads an object, TimeInstant as the time', () => {
    expect(parseJsonMeasures('{"t":25,"TimeInstant":"2026-01-05T10:00:00Z","s":"ok"}')).toEqual([
      {
        at: '2026-01-05T10:00:00.000Z',
        values: [
          ['t', 25],
          ['s', 'ok'],
        ],
      },
    ])
  })
  it('reads an array of measurements', () => {
    expect(parseJsonMeasures('[{"t":1},{"t":2,"timestamp":1767607200000}]')).toHaveLength(2)
  })
  it.each(['{', '42', '[]', '{}', '{"TimeInstant":"2026-01-05T10:00:00Z"}', '{"t":1,"TimeInstant":"yesterday"}'])(
    'refuses %j',
    (p) => expect(() => parseJsonMeasures(p)).toThrow(PayloadError),
  )
  it('reads single values and command answers', () => {
    expect(parseSingleValue('21.5', 'json')).toBe(21.5)
    expect(parseSingleValue('on', 'json')).toBe('on')
    expect(parseSingleValue('21.5', 'ul')).toBe('21.5')
    expect(parseJsonCommandResults('{"dim":"OK"}')).toEqual([['dim', 'OK']])
    expect(() => parseJsonCommandResults('[]')).toThrow(PayloadError)
  })
  it('parses timestamps strictly', () => {
    expect(parseTimestamp('2026-01-05T10:00:00.5+02:00')).toBe('2026-01-05T08:00:00.500Z')
    expect(() => parseTimestamp('2026-01-05T10:00:00')).toThrow(PayloadError)
  })
})
