import type { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../errors.js'
import { compileQ } from './q-compiler.js'
import { parseQ } from './q-parser.js'
import {
  type TestEntity,
  VOCAB_NS,
  compileWhere,
  expand,
  expandVocab,
  insertEntities,
  openTestDb,
  selectIds,
} from './test-db.js'

const P = (value: unknown, extra: Record<string, unknown> = {}) => ({ type: 'Property' as const, value, ...extra })
const R = (object: string | string[], extra: Record<string, unknown> = {}) => ({
  type: 'Relationship' as const,
  object,
  ...extra,
})

const ENTITIES: TestEntity[] = [
  {
    id: 'E01',
    createdAt: '2023-01-01T00:00:00Z',
    attrs: {
      temperature: P(21, { observedAt: '2024-03-01T10:00:00.000Z', unitCode: 'CEL' }),
      name: P('Alpha'),
      status: P('open'),
      active: P(true),
    },
  },
  {
    id: 'E02',
    createdAt: '2024-02-01T00:00:00Z',
    attrs: {
      temperature: P(25.5, { observedAt: '2024-03-02T10:00:00.000Z' }),
      name: P('Beta'),
      status: P('closed'),
      active: P(false),
    },
  },
  { id: 'E03', attrs: { temperature: P(-3), name: P('alpha street'), status: P('open') } },
  { id: 'E04', attrs: { temperature: P([18, 30]), name: P('Gamma') } },
  {
    id: 'E05',
    attrs: {
      temperature: [P(10, { datasetId: 'urn:ds:a' }), P(40, { datasetId: 'urn:ds:b' })],
    },
  },
  {
    id: 'E06',
    attrs: {
      temperature: P('21'),
      name: { type: 'LanguageProperty', languageMap: { it: 'Via Roma', en: 'Rome Street' } },
    },
  },
  { id: 'E07', attrs: { refDevice: R('urn:ngsi-ld:Device:1') } },
  { id: 'E08', attrs: { refDevice: R('urn:ngsi-ld:Device:2') } },
  { id: 'E09', attrs: { refDevice: R(['urn:ngsi-ld:Device:1', 'urn:ngsi-ld:Device:3']) } },
  { id: 'E10', attrs: { tags: { type: 'ListProperty', valueList: ['red', 'green'] } } },
  {
    id: 'E11',
    attrs: {
      tags: { type: 'ListProperty', valueList: ['blue'] },
      members: { type: 'ListRelationship', objectList: [{ object: 'urn:ngsi-ld:Person:1' }] },
    },
  },
  { id: 'E12', attrs: { members: { type: 'ListRelationship', objectList: ['urn:ngsi-ld:Person:2'] } } },
  { id: 'E13', attrs: { category: { type: 'VocabProperty', vocab: `${VOCAB_NS}Park` } } },
  { id: 'E14', attrs: { category: { type: 'VocabProperty', vocab: [`${VOCAB_NS}Garden`, `${VOCAB_NS}Park`] } } },
  { id: 'E15', attrs: { config: { type: 'JsonProperty', json: { mode: 'eco', level: 3 } } } },
  {
    id: 'E16',
    attrs: {
      address: P({ streetAddress: 'Via Fillungo 1', addressLocality: 'Lucca', postal: { code: '55100' } }),
    },
  },
  { id: 'E17', attrs: { address: P({ addressLocality: 'Pisa', postal: { code: '56100' } }) } },
  { id: 'E18', attrs: { address: P([{ addressLocality: 'Lucca' }, { addressLocality: 'Firenze' }]) } },
  {
    id: 'E19',
    attrs: {
      temperature: P(22, {
        observedAt: '2024-03-05T08:00:00.000Z',
        accuracy: P(0.5),
        sensor: R('urn:ngsi-ld:Device:9'),
      }),
    },
  },
  {
    id: 'E20',
    attrs: {
      temperature: P(19, {
        accuracy: P(2, { observedAt: '2024-04-01T00:00:00.000Z', method: P('calibrated') }),
      }),
    },
  },
  {
    id: 'E21',
    attrs: { dateObserved: P('2024-05-01T12:00:00Z'), opening: P('08:30:00'), birth: P('2020-02-29') },
  },
  { id: 'E22', attrs: { dateObserved: P({ '@type': 'DateTime', '@value': '2024-07-01T00:00:00Z' }) } },
  { id: 'E23', attrs: { name: P('Delta') } },
  {
    id: 'E24',
    attrs: { name: P("O'Brien; DROP TABLE ngsi_entities; --"), comment: P('He said "hi" (twice) | ok') },
  },
  { id: 'E25', attrs: { count: P(1000), score: P(0.001) } },
  { id: 'E26', attrs: { active: P(true, { datasetId: 'urn:ds:x' }) } },
  { id: 'E27', tenant: 't2', attrs: { temperature: P(21), name: P('Alpha') } },
  { id: 'E29', attrs: { name: P('alpha'), status: P('OPEN') } },
]

const ALL_T1 = ENTITIES.filter((e) => !e.tenant).map((e) => e.id)
const WITH_TEMPERATURE = ['E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'E19', 'E20']
const WITH_NAME = ['E01', 'E02', 'E03', 'E04', 'E06', 'E23', 'E24', 'E29']
const except = (ids: string[]) => ALL_T1.filter((id) => !ids.includes(id))

let db: PGlite
beforeAll(async () => {
  db = await openTestDb()
  await insertEntities(db, ENTITIES)
})
afterAll(async () => {
  await db?.close()
})

const run = (q: string) => selectIds(db, compileQ(parseQ(q), { expand, expandVocab }))

const cases = (title: string, table: [string, string[]][]) =>
  describe(title, () => {
    it.each(table)('%s', async (q, expected) => {
      expect(await run(q)).toEqual([...expected].sort())
    })
  })

cases('numbers and typed comparisons', [
  ['temperature==21', ['E01']],
  ['temperature=="21"', ['E06']],
  ['temperature>20', ['E01', 'E02', 'E04', 'E05', 'E19']],
  ['temperature>=21', ['E01', 'E02', 'E04', 'E05', 'E19']],
  ['temperature<0', ['E03']],
  ['temperature<=10', ['E03', 'E05']],
  ['temperature==40', ['E05']],
  ['temperature!=21', ['E02', 'E03', 'E04', 'E05', 'E06', 'E19', 'E20']],
  ['temperature==21,25.5,-3', ['E01', 'E02', 'E03']],
  ['temperature!=21,25.5', ['E03', 'E04', 'E05', 'E06', 'E19', 'E20']],
  ['count==1000', ['E25']],
  ['count>=1e3', ['E25']],
  ['score<1e-2', ['E25']],
  ['active==true', ['E01', 'E26']],
  ['active==false', ['E02']],
  ['active!=true', ['E02']],
  ['name>"Z"', ['E03', 'E29']],
  ['name<"B"', ['E01']],
])

cases('ranges (per element)', [
  ['temperature==18..20', ['E04', 'E20']],
  ['temperature==20..29', ['E01', 'E02', 'E19']],
  ['temperature!=18..25', ['E02', 'E03', 'E05', 'E06']],
  ['name=="A".."C"', ['E01', 'E02']],
])

cases('existence', [
  ['temperature', WITH_TEMPERATURE],
  ['!temperature', except(WITH_TEMPERATURE)],
  ['temperature.accuracy', ['E19', 'E20']],
  ['temperature.observedAt', ['E01', 'E02', 'E19']],
  ['address[postal]', ['E16', 'E17']],
  ['!address[postal]', except(['E16', 'E17'])],
  ['createdAt', ALL_T1],
])

cases('strings, relationships, lists, vocab, json, language maps', [
  ['name=="Alpha"', ['E01']],
  ['name==Alpha', ['E01']],
  ['name=="Via Roma"', ['E06']],
  ['name[it]=="Via Roma"', ['E06']],
  ['name[en]=="Via Roma"', []],
  ['name=="Alpha","Beta"', ['E01', 'E02']],
  ['name!="Alpha"', except(['E01']).filter((id) => WITH_NAME.includes(id))],
  ['name=="O\'Brien; DROP TABLE ngsi_entities; --"', ['E24']],
  ['comment=="He said \\"hi\\" (twice) | ok"', ['E24']],
  ['refDevice==urn:ngsi-ld:Device:1', ['E07', 'E09']],
  ['refDevice=="urn:ngsi-ld:Device:2"', ['E08']],
  ['refDevice!=urn:ngsi-ld:Device:1', ['E08']],
  ['tags=="green"', ['E10']],
  ['tags==blue,green', ['E10', 'E11']],
  ['tags!="red"', ['E11']],
  ['members==urn:ngsi-ld:Person:1', ['E11']],
  ['members==urn:ngsi-ld:Person:2', ['E12']],
  ['category==Park', ['E13', 'E14']],
  ['category==Garden', ['E14']],
  [`category=="${VOCAB_NS}Garden"`, ['E14']],
  ['config[mode]=="eco"', ['E15']],
  ['config[level]>2', ['E15']],
  ['config[level]>3', []],
  ['address[addressLocality]=="Lucca"', ['E16', 'E18']],
  ['address[postal][code]=="56100"', ['E17']],
  ['address[addressLocality]!="Lucca"', ['E17']],
  ['status=="OPEN"', ['E29']],
])

cases('patterns', [
  ['name~="^alpha"', ['E03', 'E29']],
  ['name~=^alpha', ['E03', 'E29']],
  ['name~="(?i)^alpha"', ['E01', 'E03', 'E29']],
  ['name!~="^alpha"', ['E01', 'E02', 'E04', 'E06', 'E23', 'E24']],
  ['name~="Rom[ae]"', ['E06']],
  ['refDevice~="Device:[23]$"', ['E08', 'E09']],
  ['address[addressLocality]~="^(Pisa|Firenze)$"', ['E17', 'E18']],
  ['status~="(?i)^open$"', ['E01', 'E03', 'E29']],
  ['category~="Gard"', ['E14']],
  ['members~="Person:1$"', ['E11']],
  ['name~="DROP TABLE"', ['E24']],
  ['temperature~="."', ['E06']],
  ['tags~="^(?:r|b)"', ['E10', 'E11']],
])

cases('dates, times and metadata', [
  ['temperature.observedAt>=2024-03-02T00:00:00Z', ['E02', 'E19']],
  ['temperature.observedAt==2024-03-01T10:00:00Z', ['E01']],
  ['temperature.observedAt==2024-03-01T11:00:00+01:00', ['E01']],
  ['temperature.observedAt<2024-03-02', ['E01']],
  ['temperature.observedAt==2024-03-01T00:00:00Z..2024-03-03T00:00:00Z', ['E01', 'E02']],
  ['temperature.unitCode=="CEL"', ['E01']],
  ['temperature.unitCode==CEL', ['E01']],
  ['temperature.datasetId==urn:ds:b', ['E05']],
  ['temperature.accuracy<1', ['E19']],
  ['temperature.sensor==urn:ngsi-ld:Device:9', ['E19']],
  ['temperature.accuracy.method=="calibrated"', ['E20']],
  ['temperature.accuracy.observedAt>2024-01-01T00:00:00Z', ['E20']],
  ['dateObserved>2024-01-01T00:00:00Z', ['E21', 'E22']],
  ['dateObserved==2024-05-01T12:00:00Z', ['E21']],
  ['dateObserved<2024-06-01T00:00:00Z', ['E21']],
  ['opening<09:00:00', ['E21']],
  ['birth==2020-02-29', ['E21']],
  ['birth<2021-01-01', ['E21']],
  ['createdAt<2023-06-01T00:00:00Z', ['E01']],
  ['createdAt==2024-02-01T00:00:00Z', ['E02']],
  ['createdAt!=2024-01-01T00:00:00Z', ['E01', 'E02']],
  ['createdAt==2023-01-01..2024-01-15', except(['E02'])],
  ['modifiedAt>=2024-06-01', ALL_T1],
])

cases('logic, precedence and parentheses', [
  ['status=="open";temperature>0', ['E01']],
  ['status=="open"|status=="closed"', ['E01', 'E02', 'E03']],
  ['(status=="closed"|status=="open");temperature<0', ['E03']],
  ['status=="closed"|status=="open";temperature<0', ['E02', 'E03']],
  ['((temperature>20;active==true)|name=="Beta")', ['E01', 'E02']],
  ['temperature;!name', ['E05', 'E19', 'E20']],
  ['(a|(b|(c|(refDevice))));refDevice!=urn:ngsi-ld:Device:1', ['E08']],
  ['a|b|c', []],
])

describe('compiler details', () => {
  it('never returns other tenants', async () => {
    expect(await selectIds(db, compileQ(parseQ('temperature==21'), { expand }), 't2')).toEqual(['E27'])
  })

  it('binds every user value as a parameter', () => {
    const q = 'name=="x\'); DROP TABLE ngsi_entities; --";address[k"]=="v"'
    expect(() => parseQ(q)).toThrow(AppError)
    const c = compileWhere(compileQ(parseQ('name=="x\'); DROP TABLE t; --"|n~="a\'b"'), { expand }))
    expect(c.sql).not.toContain('DROP')
    expect(c.sql).not.toContain("a'b")
    expect(c.parameters.some((p) => String(p).includes('DROP TABLE'))).toBe(true)
  })

  it('emits the GIN containment pre-filter for equality and nothing else', () => {
    const eq = compileWhere(compileQ(parseQ('refDevice==urn:ngsi-ld:Device:1'), { expand })).sql
    expect(eq).toContain('@>')
    const gt = compileWhere(compileQ(parseQ('temperature>1'), { expand })).sql
    expect(gt).not.toContain('@>')
    const off = compileWhere(compileQ(parseQ('a==1'), { expand, containment: false })).sql
    expect(off).not.toContain('@>')
  })

  it('uses a custom alias', () => {
    const c = compileQ(parseQ('a==1;createdAt>2020-01-01'), { expand, alias: 'x' })
    const s = compileWhere(c).sql
    expect(s).toContain('"x"."attrs"')
    expect(s).toContain('"x"."created_at"')
    expect(() => compileQ(parseQ('a'), { expand, alias: 'x; DROP' })).toThrow()
  })

  it('lets PostgreSQL use the GIN index for selective equality', async () => {
    await db.exec(`
      INSERT INTO ngsi_entities (tenant, id, types, attrs, search)
      SELECT 'bulk', 'urn:b:' || g, ARRAY['T'], a, ngsi_search_doc(a)
      FROM generate_series(1, 5000) g, LATERAL (SELECT jsonb_build_object('${expand('refDevice')}',
        jsonb_build_array(jsonb_build_object('type', 'Relationship', 'object', 'urn:d:' || g))) AS a) x;`)
    // Merge the GIN pending list (no autovacuum in PGlite), as a production database would have done.
    await db.exec('VACUUM ANALYZE ngsi_entities')
    const c = compileWhere(compileQ(parseQ('refDevice==urn:d:42'), { expand }))
    const plan = await db.query<Record<string, string>>(`EXPLAIN ${c.sql}`, [...c.parameters])
    const text = plan.rows.map((r) => Object.values(r).join('')).join('\n')
    expect(text).toContain('ngsi_entities_search_gin')
    const r = await db.query<{ id: string }>(c.sql, [...c.parameters])
    expect(r.rows.map((x) => x.id)).toEqual(['urn:b:42'])
  })
})
