/** Mantova (020030): the Gonzaga city between its lakes; ARPA Lombardia's stations Sant'Agnese, via Ariosto, Lunetta. */
import type { ComunePlan } from './types.js'

export const MANTOVA: ComunePlan = {
  istat: '020030',
  slug: 'mantova',
  name: 'Mantova',
  climate: { mean: 13.8, amplitude: 11 },
  heatingZone: 'E',
  council: { weekday: 1, start: 15, hours: 4, members: 33 },
  air: [
    { name: "MN-Sant'Agnese", at: [10.7925, 45.1545], station: 'background' },
    { name: 'MN-via Ariosto', at: [10.787, 45.159], station: 'traffic' },
    { name: 'MN-Lunetta', at: [10.818, 45.15], station: 'background' },
  ],
  weather: [{ name: 'Campo Canoa', at: [10.783, 45.1625] }],
  traffic: [
    { name: 'Viale Risorgimento', at: [10.784, 45.1495], capacity: 1600, freeSpeed: 50 },
    { name: 'Via Cremona', at: [10.768, 45.152], capacity: 1400, freeSpeed: 50 },
    { name: 'Lungolago dei Gonzaga', at: [10.8, 45.1625], capacity: 1500, freeSpeed: 50 },
    { name: 'Viale Pitentino', at: [10.788, 45.154], capacity: 1200, freeSpeed: 50 },
  ],
  parking: [
    { name: 'Parcheggio Campo Canoa', at: [10.7845, 45.162], spots: 520 },
    { name: 'Parcheggio Mondadori', at: [10.7905, 45.1532], spots: 250 },
    { name: 'Parcheggio Anconetta', at: [10.7925, 45.1625], spots: 180 },
  ],
  waste: [
    { name: 'Valletta Paiolo', at: [10.7935, 45.148], waste: 'organic' },
    { name: 'Borgochiesanuova', at: [10.775, 45.145], waste: 'plastic' },
    { name: 'Te Brunetti', at: [10.781, 45.143], waste: 'paper' },
    { name: 'Lunetta', at: [10.819, 45.151], waste: 'residual' },
    { name: 'Cittadella', at: [10.797, 45.177], waste: 'glass' },
    { name: 'Via Principe Amedeo', at: [10.796, 45.1565], waste: 'organic' },
    { name: 'Fiera Catena', at: [10.7985, 45.1515], waste: 'plastic' },
    { name: 'Via Chiassi', at: [10.7918, 45.1585], waste: 'paper' },
  ],
  lights: [
    { name: 'Piazza Sordello 1', at: [10.7972, 45.1598], watts: 90 },
    { name: 'Piazza Sordello 2', at: [10.7978, 45.1603], watts: 90 },
    { name: 'Via Roma 20', at: [10.7935, 45.157], watts: 70 },
    { name: 'Via Roma 50', at: [10.7928, 45.1563], watts: 70 },
    { name: 'Corso Umberto I', at: [10.7935, 45.1578], watts: 70 },
    { name: 'Piazza delle Erbe', at: [10.7955, 45.1585], watts: 90 },
    { name: 'Piazza Mantegna', at: [10.7948, 45.1582], watts: 90 },
    { name: 'Viale Te', at: [10.7878, 45.1505], watts: 120 },
    { name: 'Lungolago dei Gonzaga 1', at: [10.7995, 45.1622], watts: 120 },
    { name: 'Lungolago dei Gonzaga 2', at: [10.8012, 45.1615], watts: 120 },
  ],
  buildings: [
    { name: 'Palazzo del Municipio, via Roma', at: [10.7937, 45.1572], kind: 'townhall' },
    { name: 'Scuola primaria di Valletta Paiolo', at: [10.7945, 45.147], kind: 'school' },
    { name: 'Scuola secondaria di primo grado di Lunetta', at: [10.8175, 45.1515], kind: 'school' },
  ],
  rooms: [
    { name: 'Sala consiliare, via Roma', at: [10.7938, 45.1573], kind: 'chamber', seats: 60 },
    { name: 'Sala della Giunta, via Roma', at: [10.7936, 45.1571], kind: 'meeting', seats: 12 },
    { name: 'Sala riunioni, via Roma', at: [10.7939, 45.157], kind: 'meeting', seats: 24 },
  ],
  counters: [
    { name: 'Piazza Sordello', at: [10.7975, 45.16], popularity: 1.2 },
    { name: 'Palazzo Te', at: [10.7868, 45.1478], popularity: 0.9 },
    { name: 'Rotonda di San Lorenzo', at: [10.7958, 45.1587], popularity: 0.7 },
    { name: "Basilica di Sant'Andrea", at: [10.7945, 45.1581], popularity: 0.8 },
  ],
  hotspots: [
    { name: 'Piazza delle Erbe', at: [10.7956, 45.1586], popularity: 1 },
    { name: 'Piazza Sordello', at: [10.7976, 45.1601], popularity: 0.9 },
    { name: 'Stazione di Mantova', at: [10.7866, 45.1547], popularity: 0.6 },
  ],
}
