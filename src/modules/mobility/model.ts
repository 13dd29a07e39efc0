/**
 * The vocabulary of the mobility module: classes of people, origins, cells, and the shapes the API answers with.
 * Storage: one row per (tenant, zone, local day, class, origin) holding the 24 hourly counts (docs/mobility.md).
 */

/** Classes of people as the telecom providers split them; `activity` is the Telecom Italia activity signal. */
export const CLASSES = ['resident', 'commuter', 'italian_visitor', 'foreign_visitor', 'activity'] as const
export type PresenceClass = (typeof CLASSES)[number]
/** The four classes of presence counts (the activity signal is not people). */
export const PEOPLE_CLASSES = ['resident', 'commuter', 'italian_visitor', 'foreign_visitor'] as const
export const VISITOR_CLASSES = ['italian_visitor', 'foreign_visitor'] as const

export const classCode = (c: PresenceClass): number => CLASSES.indexOf(c)
export const className = (code: number): PresenceClass => CLASSES[code] ?? 'resident'

/** A class filter on the API: one class or `all` (the sum of the four people classes). */
export type ClassFilter = PresenceClass | 'all'

/**
 * Origin of people where the provider gives it, stored as a prefixed code: `c:222` a country (mobile country code),
 * `p:046` an Italian province (ISTAT code), `m:046017` a municipality (ISTAT code). '' = all origins (the total).
 */
export type OriginKind = 'country' | 'province' | 'municipality'
export const ORIGIN_PREFIX: Record<OriginKind, string> = { country: 'c:', province: 'p:', municipality: 'm:' }

/**
 * One published cell of an answer: a number, `null` where there is no data, or the string `suppressed` where the
 * true count is below the tenant's k-threshold (or was hidden so that such a count cannot be recovered from totals).
 */
export type Cell = number | null | 'suppressed'
export const SUPPRESSED = 'suppressed' as const

/** Day types of the profiles; Sundays and Italian public holidays share one. */
export type DayType = 'weekday' | 'saturday' | 'sunday_holiday'

export const HOURS = 24

/** A zone id: 1-64 letters, digits, `_ . : - /` and spaces. */
export const ZONE_RE = /^[\p{L}\p{N}_.:\-/ ]{1,64}$/u
