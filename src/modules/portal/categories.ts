/**
 * The public categories of the city portal: which NGSI-LD entities are public, how they are grouped, which of their
 * attributes are shown, and how the map colours them. Entities match by type (and, for DeviceMeasurement, by its
 * `measurementType`); attribute and type names are the short terms of the Smart Data Models @context each kind is
 * written with (the simulator's, src/modules/simulator/sensors), expanded to IRIs once at start (catalog.ts).
 */

export interface Label {
  it: string
  en: string
}

/** A kind of public entity: one NGSI-LD type (and measurementType) read with one @context. */
export interface Member {
  type: string
  /** Smart Data Models domain of the @context the entities are written with. */
  domain: string
  /** DeviceMeasurement: the value of `measurementType` that makes the entity part of the category. */
  measurementType?: string
  /** Measured attributes (time series, `observedAt`). */
  measured: string[]
  /** Static attributes also shown (capacities, kinds). */
  statics: string[]
  /** The attribute the map colours this member's entities by (defaults to the category's primary attribute). */
  primaryAttr?: string
}

export interface Category {
  id: string
  label: Label
  members: Member[]
  primary: {
    attr: string
    unit: string
    label: Label
    /** Colour steps for the map: an entity takes the colour of the highest stop <= its value (in the stored unit). */
    scale: [number, string][]
    /** Multiply the stored value by this to show it in `unit` (fillingLevel is 0..1, shown as %). */
    factor?: number
  }
}

export const SDM_CONTEXT = (domain: string) =>
  `https://raw.githubusercontent.com/smart-data-models/dataModel.${domain}/master/context.jsonld`

/** European Air Quality Index colours (EEA), good to extremely poor. */
export const EAQI_COLOURS = ['#50f0e6', '#50ccaa', '#f0e641', '#ff5050', '#960032', '#7d2181'] as const
const GREEN_TO_RED = ['#1a9850', '#91cf60', '#fee08b', '#fc8d59', '#d73027'] as const

const steps = (values: number[], colours: readonly string[]): [number, string][] =>
  values.map((v, i) => [v, colours[i]!])

export const CATEGORIES: readonly Category[] = [
  {
    id: 'air',
    label: { it: 'Qualità dell’aria', en: 'Air quality' },
    members: [
      { type: 'AirQualityObserved', domain: 'Environment', measured: ['no2', 'pm10', 'pm25', 'o3'], statics: [] },
    ],
    primary: {
      attr: 'no2',
      unit: 'µg/m³',
      label: { it: 'Biossido di azoto (NO₂)', en: 'Nitrogen dioxide (NO₂)' },
      // EEA European Air Quality Index bands of NO2
      scale: steps([0, 40, 90, 120, 230, 340], EAQI_COLOURS),
    },
  },
  {
    id: 'weather',
    label: { it: 'Meteo', en: 'Weather' },
    members: [
      {
        type: 'WeatherObserved',
        domain: 'Weather',
        measured: ['temperature', 'relativeHumidity', 'precipitation', 'windSpeed'],
        statics: [],
      },
    ],
    primary: {
      attr: 'temperature',
      unit: '°C',
      label: { it: 'Temperatura', en: 'Temperature' },
      scale: steps([-10, 0, 10, 20, 30, 40], ['#313695', '#4575b4', '#abd9e9', '#fee090', '#f46d43', '#a50026']),
    },
  },
  {
    id: 'traffic',
    label: { it: 'Traffico', en: 'Traffic' },
    members: [
      {
        type: 'TrafficFlowObserved',
        domain: 'Transportation',
        measured: ['intensity', 'averageVehicleSpeed', 'occupancy', 'congested'],
        statics: [],
      },
    ],
    primary: {
      attr: 'intensity',
      unit: 'veicoli/15 min',
      label: { it: 'Veicoli in 15 minuti', en: 'Vehicles per 15 minutes' },
      scale: steps([0, 100, 200, 300, 400], GREEN_TO_RED),
    },
  },
  {
    id: 'parking',
    label: { it: 'Parcheggi', en: 'Parking' },
    members: [
      {
        type: 'OffStreetParking',
        domain: 'Parking',
        measured: ['availableSpotNumber', 'occupancy'],
        statics: ['totalSpotNumber'],
      },
    ],
    primary: {
      attr: 'availableSpotNumber',
      unit: 'posti',
      label: { it: 'Posti liberi', en: 'Free spaces' },
      scale: steps([0, 10, 50, 100], ['#d73027', '#fc8d59', '#fee08b', '#1a9850']),
    },
  },
  {
    id: 'waste',
    label: { it: 'Rifiuti', en: 'Waste' },
    members: [
      { type: 'WasteContainer', domain: 'WasteManagement', measured: ['fillingLevel'], statics: ['storedWasteKind'] },
    ],
    primary: {
      attr: 'fillingLevel',
      unit: '%',
      factor: 100,
      label: { it: 'Riempimento', en: 'Filling level' },
      scale: steps([0, 0.5, 0.75, 0.9], ['#1a9850', '#fee08b', '#fc8d59', '#d73027']),
    },
  },
  {
    id: 'lighting',
    label: { it: 'Illuminazione pubblica', en: 'Street lighting' },
    members: [
      {
        type: 'Streetlight',
        domain: 'Streetlighting',
        measured: ['powerState', 'activePower', 'illuminanceLevel', 'status'],
        statics: [],
      },
    ],
    primary: {
      attr: 'activePower',
      unit: 'W',
      label: { it: 'Potenza assorbita', en: 'Power drawn' },
      scale: steps([0, 5, 40, 80], ['#5a5a5a', '#fff3b0', '#ffd43b', '#f08c00']),
    },
  },
  {
    id: 'energy',
    label: { it: 'Energia negli edifici pubblici', en: 'Energy in public buildings' },
    members: [
      {
        type: 'ThreePhaseAcMeasurement',
        domain: 'Energy',
        measured: ['totalActivePower', 'totalActiveEnergyImport'],
        statics: [],
      },
      {
        type: 'DeviceMeasurement',
        domain: 'Device',
        measurementType: 'naturalGasFlow',
        measured: ['numValue', 'totalConsumption'],
        statics: [],
        primaryAttr: 'numValue',
      },
    ],
    primary: {
      attr: 'totalActivePower',
      unit: 'kW',
      label: { it: 'Potenza elettrica', en: 'Electric power' },
      scale: steps([0, 10, 25, 50], ['#ffffcc', '#fed976', '#fd8d3c', '#e31a1c']),
    },
  },
  {
    id: 'rooms',
    label: { it: 'Sale e aule', en: 'Rooms' },
    members: [
      {
        type: 'IndoorEnvironmentObserved',
        domain: 'Environment',
        measured: ['co2', 'temperature', 'relativeHumidity', 'peopleCount'],
        statics: ['peopleCapacity'],
      },
    ],
    primary: {
      attr: 'co2',
      unit: 'ppm',
      label: { it: 'Anidride carbonica (CO₂)', en: 'Carbon dioxide (CO₂)' },
      scale: steps([0, 800, 1000, 1400], ['#1a9850', '#fee08b', '#fc8d59', '#d73027']),
    },
  },
  {
    id: 'people',
    label: { it: 'Presenze', en: 'People' },
    members: [
      { type: 'CrowdFlowObserved', domain: 'Transportation', measured: ['peopleCount', 'congested'], statics: [] },
    ],
    primary: {
      attr: 'peopleCount',
      unit: 'persone/15 min',
      label: { it: 'Persone in 15 minuti', en: 'People per 15 minutes' },
      scale: steps([0, 50, 150, 300], ['#deebf7', '#9ecae1', '#4292c6', '#08519c']),
    },
  },
  {
    id: 'wifi',
    label: { it: 'Wi-Fi pubblico', en: 'Public Wi-Fi' },
    members: [
      {
        type: 'DeviceMeasurement',
        domain: 'Device',
        measurementType: 'activeSessions',
        measured: ['numValue'],
        statics: [],
      },
    ],
    primary: {
      attr: 'numValue',
      unit: 'sessioni',
      label: { it: 'Sessioni attive', en: 'Active sessions' },
      scale: steps([0, 10, 30, 60], ['#edf8fb', '#b3cde3', '#8c96c6', '#88419d']),
    },
  },
]

export const CATEGORY_IDS = CATEGORIES.map((c) => c.id)

/** The categories as the API gives them. */
export function publicCategories() {
  return CATEGORIES.map((c) => ({
    id: c.id,
    label: c.label,
    types: [...new Set(c.members.map((m) => m.type))],
    primary: c.primary,
    ...(c.members.some((m) => m.measurementType)
      ? {
          measurementTypes: Object.fromEntries(
            c.members.filter((m) => m.measurementType).map((m) => [m.type, m.measurementType]),
          ),
        }
      : {}),
  }))
}
