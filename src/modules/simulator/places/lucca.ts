/** Lucca (046017): the walled city, its ring road and quarters. ARPAT's two stations are Micheletto and San Concordio. */
import type { ComunePlan } from './types.js'

export const LUCCA: ComunePlan = {
  istat: '046017',
  slug: 'lucca',
  name: 'Lucca',
  climate: { mean: 15, amplitude: 9 },
  heatingZone: 'D',
  council: { weekday: 2, start: 15, hours: 4, members: 33 },
  // Lucca Comics & Games, end of October - 1 November
  events: [{ from: 302, to: 305, factor: 5 }],
  air: [
    { name: 'LU-Micheletto, viale Carducci', at: [10.4963, 43.8399], station: 'traffic' },
    { name: 'LU-San Concordio, via Romana', at: [10.5101, 43.8305], station: 'background' },
    { name: 'Piazza Napoleone', at: [10.5029, 43.8412], station: 'background' },
  ],
  weather: [
    { name: 'Orto Botanico', at: [10.511, 43.8416] },
    { name: "Sant'Anna", at: [10.4845, 43.843] },
  ],
  traffic: [
    { name: 'Viale Carducci', at: [10.4968, 43.8395], capacity: 1800, freeSpeed: 50 },
    { name: 'Viale Giusti (Porta Elisa)', at: [10.515, 43.8428], capacity: 1600, freeSpeed: 50 },
    { name: "Via Sarzanese (Sant'Anna)", at: [10.487, 43.848], capacity: 1200, freeSpeed: 50 },
    { name: 'Viale San Concordio', at: [10.507, 43.833], capacity: 1400, freeSpeed: 50 },
    { name: 'Via Pesciatina', at: [10.53, 43.845], capacity: 1200, freeSpeed: 60 },
  ],
  parking: [
    { name: 'Parcheggio Carducci', at: [10.4975, 43.8392], spots: 500 },
    { name: 'Parcheggio Palatucci', at: [10.5065, 43.8497], spots: 700 },
    { name: 'Parcheggio Piazzale Verdi', at: [10.4968, 43.8433], spots: 170 },
    { name: 'Parcheggio Stazione', at: [10.5055, 43.8373], spots: 300 },
  ],
  waste: [
    { name: "Sant'Anna, via Matteotti", at: [10.4855, 43.8455], waste: 'organic' },
    { name: 'San Concordio, via Don Minzoni', at: [10.508, 43.83], waste: 'plastic' },
    { name: 'Arancio, via Catalani', at: [10.52, 43.839], waste: 'paper' },
    { name: 'San Marco, viale Cadorna', at: [10.515, 43.852], waste: 'glass' },
    { name: "Sant'Alessio", at: [10.49, 43.865], waste: 'residual' },
    { name: 'Monte San Quirico', at: [10.496, 43.862], waste: 'organic' },
    { name: 'San Vito', at: [10.527, 43.852], waste: 'plastic' },
    { name: 'Pontetetto', at: [10.499, 43.823], waste: 'residual' },
    { name: 'Via del Fosso', at: [10.5095, 43.844], waste: 'paper' },
    { name: 'Piazza San Francesco', at: [10.51, 43.8458], waste: 'glass' },
  ],
  lights: [
    { name: 'Via Fillungo 12', at: [10.5047, 43.8428], watts: 70 },
    { name: 'Via Fillungo 58', at: [10.5049, 43.8437], watts: 70 },
    { name: 'Via Fillungo 104', at: [10.505, 43.8446], watts: 70 },
    { name: 'Via Fillungo 150', at: [10.5052, 43.8455], watts: 70 },
    { name: 'Corso Garibaldi', at: [10.502, 43.8405], watts: 90 },
    { name: 'Corso Garibaldi, Palazzo Ducale', at: [10.5005, 43.8408], watts: 90 },
    { name: 'Viale Regina Margherita 1', at: [10.5075, 43.838], watts: 120 },
    { name: 'Viale Regina Margherita 2', at: [10.5085, 43.8382], watts: 120 },
    { name: 'Viale Regina Margherita 3', at: [10.5095, 43.8384], watts: 120 },
    { name: 'Mura, Baluardo San Paolino', at: [10.496, 43.844], watts: 50 },
    { name: 'Mura, Baluardo San Frediano', at: [10.5, 43.8475], watts: 50 },
    { name: 'Mura, Baluardo San Salvatore', at: [10.513, 43.847], watts: 50 },
  ],
  buildings: [
    { name: 'Palazzo Orsetti (municipio)', at: [10.5003, 43.8448], kind: 'townhall' },
    { name: "Scuola primaria di Sant'Anna", at: [10.487, 43.8445], kind: 'school' },
    { name: 'Scuola secondaria di primo grado di San Concordio', at: [10.509, 43.8315], kind: 'school' },
  ],
  rooms: [
    { name: 'Sala del Consiglio comunale, Palazzo Santini', at: [10.5079, 43.8443], kind: 'chamber', seats: 60 },
    { name: 'Sala della Giunta, Palazzo Orsetti', at: [10.5004, 43.8449], kind: 'meeting', seats: 14 },
    { name: 'Sala riunioni, Palazzo Orsetti', at: [10.5002, 43.8447], kind: 'meeting', seats: 20 },
  ],
  counters: [
    { name: "Piazza dell'Anfiteatro", at: [10.5065, 43.8459], popularity: 1 },
    { name: 'Torre Guinigi', at: [10.5077, 43.8436], popularity: 0.5 },
    { name: 'Mura, Baluardo San Paolino', at: [10.4955, 43.8417], popularity: 0.8 },
    { name: 'Via Fillungo', at: [10.5049, 43.844], popularity: 1.4 },
    { name: 'Duomo di San Martino', at: [10.5058, 43.8404], popularity: 0.7 },
  ],
  hotspots: [
    { name: 'Piazza Napoleone', at: [10.5031, 43.8413], popularity: 1 },
    { name: 'Piazza San Michele', at: [10.5026, 43.843], popularity: 1 },
    { name: "Piazza dell'Anfiteatro", at: [10.5066, 43.846], popularity: 0.9 },
    { name: 'Stazione di Lucca', at: [10.506, 43.837], popularity: 0.7 },
  ],
}
