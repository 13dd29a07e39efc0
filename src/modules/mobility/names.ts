/**
 * Names of origins: countries by mobile country code (ITU-T E.212), Italian provinces by ISTAT code, and the
 * municipalities of the shipped boundary files (data/boundaries) by ISTAT code. Unknown codes keep their code.
 */
import fs from 'node:fs'
import path from 'node:path'
import { dataPath } from '../../paths.js'

const COUNTRIES: Record<string, string> = {
  '202': 'Grecia',
  '204': 'Paesi Bassi',
  '206': 'Belgio',
  '208': 'Francia',
  '212': 'Monaco',
  '213': 'Andorra',
  '214': 'Spagna',
  '216': 'Ungheria',
  '218': 'Bosnia ed Erzegovina',
  '219': 'Croazia',
  '220': 'Serbia',
  '222': 'Italia',
  '226': 'Romania',
  '228': 'Svizzera',
  '230': 'Repubblica Ceca',
  '231': 'Slovacchia',
  '232': 'Austria',
  '234': 'Regno Unito',
  '235': 'Regno Unito',
  '238': 'Danimarca',
  '240': 'Svezia',
  '242': 'Norvegia',
  '244': 'Finlandia',
  '246': 'Lituania',
  '247': 'Lettonia',
  '248': 'Estonia',
  '250': 'Russia',
  '255': 'Ucraina',
  '260': 'Polonia',
  '262': 'Germania',
  '268': 'Portogallo',
  '270': 'Lussemburgo',
  '272': 'Irlanda',
  '274': 'Islanda',
  '276': 'Albania',
  '278': 'Malta',
  '280': 'Cipro',
  '284': 'Bulgaria',
  '286': 'Turchia',
  '292': 'San Marino',
  '293': 'Slovenia',
  '297': 'Montenegro',
  '302': 'Canada',
  '310': 'Stati Uniti',
  '311': 'Stati Uniti',
  '334': 'Messico',
  '404': 'India',
  '405': 'India',
  '425': 'Israele',
  '440': 'Giappone',
  '450': 'Corea del Sud',
  '452': 'Vietnam',
  '454': 'Hong Kong',
  '460': 'Cina',
  '466': 'Taiwan',
  '505': 'Australia',
  '525': 'Singapore',
  '530': 'Nuova Zelanda',
  '602': 'Egitto',
  '603': 'Algeria',
  '604': 'Marocco',
  '605': 'Tunisia',
  '655': 'Sudafrica',
  '722': 'Argentina',
  '724': 'Brasile',
  '730': 'Cile',
  '732': 'Colombia',
  '716': 'Perù',
}

const PROVINCES = `001 Torino|002 Vercelli|003 Novara|004 Cuneo|005 Asti|006 Alessandria|007 Aosta|008 Imperia|009 Savona|010 Genova|011 La Spezia|012 Varese|013 Como|014 Sondrio|015 Milano|016 Bergamo|017 Brescia|018 Pavia|019 Cremona|020 Mantova|021 Bolzano|022 Trento|023 Verona|024 Vicenza|025 Belluno|026 Treviso|027 Venezia|028 Padova|029 Rovigo|030 Udine|031 Gorizia|032 Trieste|033 Piacenza|034 Parma|035 Reggio Emilia|036 Modena|037 Bologna|038 Ferrara|039 Ravenna|040 Forlì-Cesena|041 Pesaro e Urbino|042 Ancona|043 Macerata|044 Ascoli Piceno|045 Massa-Carrara|046 Lucca|047 Pistoia|048 Firenze|049 Livorno|050 Pisa|051 Arezzo|052 Siena|053 Grosseto|054 Perugia|055 Terni|056 Viterbo|057 Rieti|058 Roma|059 Latina|060 Frosinone|061 Caserta|062 Benevento|063 Napoli|064 Avellino|065 Salerno|066 L'Aquila|067 Teramo|068 Pescara|069 Chieti|070 Campobasso|071 Foggia|072 Bari|073 Taranto|074 Brindisi|075 Lecce|076 Potenza|077 Matera|078 Cosenza|079 Catanzaro|080 Reggio Calabria|081 Trapani|082 Palermo|083 Messina|084 Agrigento|085 Caltanissetta|086 Enna|087 Catania|088 Ragusa|089 Siracusa|090 Sassari|091 Nuoro|092 Cagliari|093 Pordenone|094 Isernia|095 Oristano|096 Biella|097 Lecco|098 Lodi|099 Rimini|100 Prato|101 Crotone|102 Vibo Valentia|103 Verbano-Cusio-Ossola|108 Monza e Brianza|109 Fermo|110 Barletta-Andria-Trani|111 Sud Sardegna`
const PROVINCE_NAMES = new Map(PROVINCES.split('|').map((p) => [p.slice(0, 3), p.slice(4)] as const))

/** Large municipalities outside the shipped boundary files (the provinces of Milano, Mantova and Lucca). */
const KNOWN_MUNICIPALITIES: Record<string, string> = {
  '050026': 'Pisa',
  '048017': 'Firenze',
  '058091': 'Roma',
  '037006': 'Bologna',
  '023091': 'Verona',
  '001272': 'Torino',
  '063049': 'Napoli',
  '027042': 'Venezia',
  '010025': 'Genova',
  '049009': 'Livorno',
  '047014': 'Pistoia',
  '100005': 'Prato',
  '016024': 'Bergamo',
  '017029': 'Brescia',
  '034027': 'Parma',
}

let municipalities: Map<string, string> | undefined
const centres = new Map<string, [number, number]>()

/** The mean of a polygon's outer ring: close enough to place a municipality on a flow map. */
function ringCentre(geometry: { type?: string; coordinates?: unknown } | undefined): [number, number] | undefined {
  const c = geometry?.coordinates as number[][][] | number[][][][] | undefined
  const ring = (geometry?.type === 'MultiPolygon' ? (c as number[][][][])?.[0]?.[0] : (c as number[][][])?.[0]) as
    | number[][]
    | undefined
  if (!ring?.length) return undefined
  let x = 0
  let y = 0
  for (const p of ring) {
    x += p[0]!
    y += p[1]!
  }
  return [Math.round((x / ring.length) * 1e5) / 1e5, Math.round((y / ring.length) * 1e5) / 1e5]
}

function municipalityNames(): Map<string, string> {
  if (municipalities) return municipalities
  municipalities = new Map(Object.entries(KNOWN_MUNICIPALITIES))
  const dir = dataPath('boundaries')
  if (!fs.existsSync(dir)) return municipalities
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.geojson'))) {
    try {
      const fc = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as {
        features: { properties?: { name?: string; com_istat_code?: string }; geometry?: { type?: string } }[]
      }
      for (const feat of fc.features) {
        const p = feat.properties
        if (!p?.com_istat_code || !p.name) continue
        municipalities.set(p.com_istat_code, p.name)
        const at = ringCentre(feat.geometry)
        if (at) centres.set(p.com_istat_code, at)
      }
    } catch {
      // a broken file only costs names
    }
  }
  return municipalities
}

/** The readable name of an origin code (`c:208` -> Francia). */
export function originName(origin: string): string {
  const code = origin.slice(2)
  switch (origin.slice(0, 2)) {
    case 'c:':
      return COUNTRIES[code] ?? `MCC ${code}`
    case 'p:':
      return PROVINCE_NAMES.get(code.padStart(3, '0')) ?? `Provincia ${code}`
    case 'm:':
      return municipalityNames().get(code.padStart(6, '0')) ?? `Comune ${code}`
    default:
      return origin
  }
}

/** A zone or an outside origin of a flow (a municipality code like 015146 or m:015146). */
export function placeName(code: string, zones: Map<string, { name: string | null }>): string {
  const z = zones.get(code)
  if (z) return z.name ?? code
  if (/^m:\d{6}$/.test(code)) return originName(code)
  if (/^\d{6}$/.test(code)) return municipalityNames().get(code) ?? code
  return code
}

/** Where a zone or an outside municipality (015146 or m:015146) lies: the zone's centre, else the municipality's. */
export function placeAt(code: string, zones: Map<string, { at: [number, number] }>): [number, number] | null {
  const z = zones.get(code)
  if (z) return z.at
  const m = /^(?:m:)?(\d{6})$/.exec(code)
  if (!m) return null
  municipalityNames()
  return centres.get(m[1]!) ?? null
}
