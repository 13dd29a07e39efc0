/** Pero (015170): a small Comune on the Sempione road north-west of Milan, with its M1 stop and the council chamber. */
import type { ComunePlan } from './types.js'

export const PERO: ComunePlan = {
  istat: '015170',
  slug: 'pero',
  name: 'Pero',
  climate: { mean: 13.5, amplitude: 10.5 },
  heatingZone: 'E',
  council: { weekday: 1, start: 20, hours: 3, members: 17 },
  air: [
    { name: 'Pero, via Sempione', at: [9.079, 45.512], station: 'traffic' },
    { name: 'Cerchiate', at: [9.062, 45.519], station: 'background' },
  ],
  weather: [{ name: 'Centro sportivo comunale', at: [9.09, 45.506] }],
  traffic: [
    { name: 'SS33 del Sempione', at: [9.08, 45.5115], capacity: 2400, freeSpeed: 60 },
    { name: 'Via Giovanni XXIII', at: [9.088, 45.509], capacity: 900, freeSpeed: 50 },
    { name: 'Via Figino', at: [9.088, 45.502], capacity: 800, freeSpeed: 50 },
  ],
  parking: [
    { name: 'Parcheggio di interscambio M1 Pero', at: [9.086, 45.5078], spots: 400 },
    { name: 'Parcheggio Piazza Marconi', at: [9.0872, 45.5103], spots: 80 },
  ],
  waste: [
    { name: 'Cerchiate, via Di Vittorio', at: [9.066, 45.521], waste: 'organic' },
    { name: 'Cerchiarello', at: [9.07, 45.516], waste: 'plastic' },
    { name: 'Piazza Marconi', at: [9.088, 45.511], waste: 'paper' },
    { name: 'Via Sempione 120', at: [9.08, 45.5125], waste: 'glass' },
    { name: 'Via Figino', at: [9.086, 45.5015], waste: 'residual' },
    { name: 'Via Giovanni XXIII', at: [9.089, 45.5085], waste: 'organic' },
  ],
  lights: [
    { name: 'Via Sempione 40', at: [9.083, 45.5108], watts: 120 },
    { name: 'Via Sempione 70', at: [9.0815, 45.5112], watts: 120 },
    { name: 'Via Sempione 100', at: [9.08, 45.5117], watts: 120 },
    { name: 'Piazza Marconi 1', at: [9.0868, 45.5106], watts: 70 },
    { name: 'Piazza Marconi 2', at: [9.0874, 45.5104], watts: 70 },
    { name: 'Via Giovanni XXIII 10', at: [9.0878, 45.5095], watts: 90 },
    { name: 'Via Giovanni XXIII 30', at: [9.0883, 45.5085], watts: 90 },
    { name: 'Fermata M1 Pero', at: [9.0862, 45.5074], watts: 90 },
  ],
  buildings: [
    { name: 'Municipio di Pero, piazza Marconi', at: [9.0869, 45.5107], kind: 'townhall' },
    { name: 'Scuola primaria di via Giovanni XXIII', at: [9.0885, 45.5082], kind: 'school' },
    { name: 'Scuola primaria di Cerchiate', at: [9.063, 45.5205], kind: 'school' },
  ],
  rooms: [
    { name: 'Sala consiliare, Municipio', at: [9.087, 45.5108], kind: 'chamber', seats: 50 },
    { name: 'Sala della Giunta, Municipio', at: [9.0868, 45.5108], kind: 'meeting', seats: 10 },
    { name: 'Sala riunioni digitale, Municipio', at: [9.0869, 45.5106], kind: 'meeting', seats: 16 },
  ],
  counters: [
    { name: 'Fermata M1 Pero', at: [9.0861, 45.5076], popularity: 1.2 },
    { name: 'Piazza Marconi', at: [9.0871, 45.5104], popularity: 0.6 },
    { name: 'Centro sportivo comunale', at: [9.0902, 45.5058], popularity: 0.4 },
  ],
  hotspots: [
    { name: 'Piazza Marconi', at: [9.0873, 45.5105], popularity: 0.6 },
    { name: 'Biblioteca civica', at: [9.0876, 45.5112], popularity: 0.4 },
    { name: 'Fermata M1 Pero', at: [9.0863, 45.5077], popularity: 0.8 },
  ],
}
