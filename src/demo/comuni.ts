/**
 * The demo Comuni with their real boundaries (ISTAT 2023 via openpolis, CC BY 4.0: see data/README.md).
 * Populations are rounded resident figures, for display.
 */
import fs from 'node:fs'
import path from 'node:path'
import { dataPath } from '../paths.js'

export interface DemoComune {
  id: string
  name: string
  province: string
  region: string
  population: number
  boundaryFile: string
}

export const DEMO_COMUNI: readonly DemoComune[] = [
  {
    id: '046017',
    name: 'Lucca',
    province: 'Lucca',
    region: 'Toscana',
    population: 89_000,
    boundaryFile: 'limits_P_46_municipalities.geojson',
  },
  {
    id: '015170',
    name: 'Pero',
    province: 'Milano',
    region: 'Lombardia',
    population: 11_000,
    boundaryFile: 'limits_P_15_municipalities.geojson',
  },
  {
    id: '020030',
    name: 'Mantova',
    province: 'Mantova',
    region: 'Lombardia',
    population: 49_000,
    boundaryFile: 'limits_P_20_municipalities.geojson',
  },
]

/** The boundary geometry of a Comune from the shipped ISTAT files, or undefined. */
export function boundaryOf(istatCode: string, file: string): unknown {
  const fc = JSON.parse(fs.readFileSync(path.join(dataPath('boundaries'), file), 'utf8')) as {
    features: { properties: { com_istat_code: string }; geometry: unknown }[]
  }
  return fc.features.find((f) => f.properties.com_istat_code === istatCode)?.geometry
}
