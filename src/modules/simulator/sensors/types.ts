/** A kind of simulated sensor: its Smart Data Models type, how it reports, and how its values evolve. */
import type { AttributeMapping, CommandDef, PayloadFormat, StaticAttribute } from '../../devices/model.js'
import type { ComunePlan, Place } from '../places/types.js'
import type { Weather } from '../weather.js'

export const SDM = (domain: string) =>
  `https://raw.githubusercontent.com/smart-data-models/dataModel.${domain}/master/context.jsonld`

/** What a sensor knows when it measures. */
export interface SenseContext<P extends Place = Place> {
  seed: number
  plan: ComunePlan
  place: P
  deviceId: string
  ms: number
  weather: Weather
  /** Values last set by commands (e.g. a dimming level), by command name. */
  commanded: Record<string, unknown>
  /** Per-device memory (running totals), kept between readings. */
  memory: Record<string, unknown>
}

export interface SensorKind<P extends Place = Place> {
  /** In device ids: `lucca-aq-01`. */
  code: string
  entityType: string
  /** Smart Data Models domain of its @context. */
  domain: string
  protocol: PayloadFormat
  /** Live reporting period, minutes. */
  periodMinutes: number
  attributes: AttributeMapping[]
  commands?: CommandDef[]
  statics(place: P, plan: ComunePlan): StaticAttribute[]
  /** The values (by object id) at ctx.ms. */
  sense(ctx: SenseContext<P>): Record<string, number | string | boolean>
  /** Answer to a command, and the value to remember (undefined: refused). */
  command?(name: string, value: unknown): { ok: boolean; info: string; remember?: unknown }
}

export const attr = (object_id: string, name: string, type: string, unitCode?: string): AttributeMapping => ({
  object_id,
  name,
  type,
  ...(unitCode ? { unitCode } : {}),
})

export const text = (name: string, value: unknown): StaticAttribute => ({ name, type: 'Property', value })
