/** Tests of the Italian holiday calendar and day types. */
import { describe, expect, it } from 'vitest'
import {
  addDays,
  daysBetween,
  dayType,
  easterSunday,
  holidaySet,
  italianHolidays,
  PATRONS,
  romeDate,
  weekday,
} from './holidays.js'

describe('easterSunday', () => {
  it('matches known dates', () => {
    const known: Record<number, string> = {
      1900: '1900-04-15',
      1961: '1961-04-02',
      2000: '2000-04-23',
      2008: '2008-03-23',
      2011: '2011-04-24',
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2038: '2038-04-25',
      2100: '2100-03-28',
      2200: '2200-04-06',
    }
    for (const [y, d] of Object.entries(known)) expect(easterSunday(Number(y)), y).toBe(d)
  })

  it('is always a Sunday between 22 March and 25 April', () => {
    for (let y = 1900; y <= 2200; y++) {
      const e = easterSunday(y)
      expect(weekday(e)).toBe(0)
      const md = e.slice(5)
      expect(md >= '03-22' && md <= '04-25', e).toBe(true)
    }
  })
})

describe('italianHolidays', () => {
  it('lists 12 holidays before 2026 and 13 from 2026 (San Francesco), sorted', () => {
    expect(italianHolidays(2025)).toHaveLength(12)
    expect(italianHolidays(2026)).toHaveLength(13)
    expect(italianHolidays(2030)).toHaveLength(13)
    expect(italianHolidays(2025).some((h) => h.date === '2025-10-04')).toBe(false)
    expect(italianHolidays(2026).find((h) => h.date === '2026-10-04')?.nameEn).toBe('St Francis of Assisi')
    const dates = italianHolidays(2026).map((h) => h.date)
    expect([...dates].sort()).toEqual(dates)
  })

  it('includes Easter Sunday and Easter Monday', () => {
    const h = italianHolidays(2025)
    expect(h.find((x) => x.nameEn === 'Easter Sunday')?.date).toBe('2025-04-20')
    expect(h.find((x) => x.nameEn === 'Easter Monday')?.date).toBe('2025-04-21')
    expect(italianHolidays(2024).find((x) => x.nameEn === 'Easter Monday')?.date).toBe('2024-04-01')
  })

  it('adds the patron saint day once', () => {
    const lucca = italianHolidays(2025, PATRONS['046017'])
    expect(lucca).toHaveLength(13)
    expect(lucca.find((h) => h.date === '2025-07-12')?.name).toBe('San Paolino')
    expect(italianHolidays(2025, PATRONS['020030']).find((h) => h.date === '2025-03-18')?.name).toBe("Sant'Anselmo")
    // A patron on a national holiday does not duplicate it.
    const same = italianHolidays(2025, { month: 12, day: 8, name: 'Test' })
    expect(same).toHaveLength(12)
    expect(new Set(same.map((h) => h.date)).size).toBe(same.length)
    expect(PATRONS['015170']).toBeUndefined()
  })
})

describe('date helpers', () => {
  it('adds days across months, years and DST changes', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01')
    expect(addDays('2025-03-30', 1)).toBe('2025-03-31')
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31')
    expect(() => addDays('2025-02-30', 1)).toThrow()
  })

  it('gives weekdays and inclusive ranges', () => {
    expect(weekday('2025-11-23')).toBe(0)
    expect(weekday('2026-01-01')).toBe(4)
    expect(daysBetween('2025-10-25', '2025-10-27')).toEqual(['2025-10-25', '2025-10-26', '2025-10-27'])
    expect(daysBetween('2025-01-01', '2025-12-31')).toHaveLength(365)
    expect(daysBetween('2025-01-02', '2025-01-01')).toEqual([])
  })

  it('finds the Rome date of an instant', () => {
    expect(romeDate(Date.parse('2025-07-01T22:30:00Z'))).toBe('2025-07-02') // CEST, +2
    expect(romeDate(Date.parse('2025-01-01T22:30:00Z'))).toBe('2025-01-01') // CET, +1
    expect(romeDate(Date.parse('2025-01-01T23:30:00Z'))).toBe('2025-01-02')
  })
})

describe('dayType', () => {
  const hol = holidaySet([2025, 2026], PATRONS['046017'])
  it('classifies weekdays, Saturdays, Sundays and holidays', () => {
    expect(dayType('2025-11-24', hol)).toBe('weekday') // Monday
    expect(dayType('2025-11-22', hol)).toBe('saturday')
    expect(dayType('2025-11-23', hol)).toBe('sunday_holiday')
    expect(dayType('2025-12-25', hol)).toBe('sunday_holiday') // Thursday, Christmas
    expect(dayType('2025-04-21', hol)).toBe('sunday_holiday') // Easter Monday
    expect(dayType('2026-07-11', hol)).toBe('saturday')
    expect(dayType('2025-07-12', hol)).toBe('sunday_holiday') // Saturday, San Paolino in Lucca
    expect(dayType('2025-07-12', holidaySet([2025]))).toBe('saturday')
    expect(dayType('2026-10-05', hol)).toBe('weekday')
  })
})
