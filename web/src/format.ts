/** Number, unit and date formatting in the user's language. */
import type { Lang } from './i18n'

const LOCALE: Record<Lang, string> = { it: 'it-IT', en: 'en-GB' }

/** UN/CEFACT unit codes used by the Smart Data Models -> symbols. */
const UNITS: Record<string, string> = {
  GQ: 'µg/m³',
  GP: 'mg/m³',
  CEL: '°C',
  P1: '%',
  MMT: 'mm',
  MTS: 'm/s',
  KMH: 'km/h',
  KWH: 'kWh',
  KWT: 'kW',
  WTT: 'W',
  LUX: 'lx',
  A97: 'hPa',
  HUR: 'h',
  KGM: 'kg',
  MTR: 'm',
  E50: '',
  C62: '',
  '59': 'ppm',
  '61': 'ppb',
  DB: 'dB',
  '2N': 'dB',
  E32: 'veic/h',
}

export function unitSymbol(code: string | undefined): string {
  if (!code) return ''
  return UNITS[code] ?? code
}

export function formatNumber(value: number, lang: Lang, digits?: number): string {
  const abs = Math.abs(value)
  const max = digits ?? (abs >= 100 ? 0 : abs >= 10 ? 1 : 2)
  return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: max }).format(value)
}

export function formatValue(value: unknown, lang: Lang, unitCode?: string): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'number') {
    const u = unitSymbol(unitCode)
    return u ? `${formatNumber(value, lang)} ${u}` : formatNumber(value, lang)
  }
  if (typeof value === 'boolean') return lang === 'it' ? (value ? 'sì' : 'no') : value ? 'yes' : 'no'
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

/** Smart Data Models attributes that are fractions 0..1 (shown as a percentage when they carry no unit). */
const FRACTIONS = new Set(['fillingLevel', 'occupancy', 'relativeHumidity'])

/** A value of the attribute `name`, as formatValue, with fractions shown as percentages. */
export function formatAttr(name: string, value: unknown, lang: Lang, unitCode?: string): string {
  if (FRACTIONS.has(name) && typeof value === 'number' && value >= 0 && value <= 1 && !unitCode)
    return `${formatNumber(value * 100, lang, 0)} %`
  return formatValue(value, lang, unitCode)
}

export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'short', timeStyle: 'short' }).format(d)
}

/** "3 min fa" / "3 min ago" for recent times, a date otherwise. */
export function formatRelative(iso: string | null | undefined, lang: Lang, now = Date.now()): string {
  if (!iso) return '—'
  const t = new Date(iso).getTime()
  if (Number.isNaN(t)) return '—'
  const s = Math.round((now - t) / 1000)
  const rtf = new Intl.RelativeTimeFormat(LOCALE[lang], { numeric: 'auto' })
  if (Math.abs(s) < 60) return rtf.format(-s, 'second')
  if (Math.abs(s) < 3600) return rtf.format(-Math.round(s / 60), 'minute')
  if (Math.abs(s) < 86400) return rtf.format(-Math.round(s / 3600), 'hour')
  return formatDateTime(iso, lang)
}

/** Attribute names to readable labels ("averageVehicleSpeed" -> "average vehicle speed"). */
export function humanize(name: string): string {
  if (/^[a-z]+\d+$/i.test(name)) return name.toUpperCase().replace('PM25', 'PM2.5')
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}
