/** The demo sensor network of a Comune: which sensor stands where, with its device id, entity and provisioning. */
import { LUCCA } from './places/lucca.js'
import { MANTOVA } from './places/mantova.js'
import { PERO } from './places/pero.js'
import type { ComunePlan, Place } from './places/types.js'
import { electricityMeter, gasMeter, indoorEnvironment, peopleCounter, wifiHotspot } from './sensors/buildings.js'
import { airQuality, parking, streetlight, trafficFlow, wasteContainer, weatherStation } from './sensors/outdoor.js'
import { SDM, type SensorKind } from './sensors/types.js'

export const DEMO_PLANS: readonly ComunePlan[] = [LUCCA, PERO, MANTOVA]

export interface SimDevice {
  plan: ComunePlan
  kind: SensorKind<any>
  place: Place
  deviceId: string
  entityId: string
}

/** Marks the service group the simulator owns in each Comune. */
export const DEMO_GROUP_DESCRIPTION = 'Demo sensor network (urbe simulate)'

export function fleetOf(plan: ComunePlan): SimDevice[] {
  const out: SimDevice[] = []
  const add = (kind: SensorKind<any>, places: readonly Place[]) =>
    places.forEach((place, i) => {
      const deviceId = `${plan.slug}-${kind.code}-${String(i + 1).padStart(2, '0')}`
      out.push({ plan, kind, place, deviceId, entityId: `urn:ngsi-ld:${kind.entityType}:${deviceId}` })
    })
  add(airQuality, plan.air)
  add(weatherStation, plan.weather)
  add(trafficFlow, plan.traffic)
  add(parking, plan.parking)
  add(wasteContainer, plan.waste)
  add(streetlight, plan.lights)
  add(electricityMeter, plan.buildings)
  add(gasMeter, plan.buildings)
  add(indoorEnvironment, plan.rooms)
  add(peopleCounter, plan.counters)
  add(wifiHotspot, plan.hotspots)
  return out
}

/** The provisioning input (FIWARE field names) of a simulated device. */
export function provisioningInput(d: SimDevice, apikey: string): Record<string, unknown> {
  return {
    device_id: d.deviceId,
    apikey,
    entity_name: d.entityId,
    entity_type: d.kind.entityType,
    protocol: d.kind.protocol,
    transport: 'mqtt',
    context: SDM(d.kind.domain),
    attributes: d.kind.attributes,
    static_attributes: [
      ...d.kind.statics(d.place, d.plan),
      { name: 'address', type: 'Property', value: { addressLocality: d.plan.name, streetAddress: d.place.name } },
    ],
    commands: d.kind.commands ?? [],
    location: { type: 'Point', coordinates: d.place.at },
    description: `${d.kind.entityType} at ${d.place.name}, ${d.plan.name} (simulated)`,
  }
}

export const demoGroupInput = () => ({
  entity_type: 'Device',
  protocol: 'json',
  description: DEMO_GROUP_DESCRIPTION,
  command_timeout_seconds: 60,
})
