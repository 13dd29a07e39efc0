import { describe, expect, it } from 'vitest'
import { devicesFromCsv, parseCsv } from './csv.js'

describe('CSV import', () => {
  it('parses quotes, escaped quotes and line breaks inside quotes, with the starting line', () => {
    const r = parseCsv('a,b\n"x, y","say ""hi"""\n"multi\nline",2\r\n\n3,4')
    expect(r).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', '2'] },
      { line: 6, fields: ['3', '4'] },
    ])
  })
  it('maps compact cells to FIWARE device inputs', () => {
    const r = devicesFromCsv(
      'device_id,latitude,longitude,attributes,static_attributes,commands\n' +
        'aq1,43.84,10.50,t=temperature:Number:CEL;pm10,address=Piazza Napoleone;floor=2,dimmingLevel=100;reboot\n',
    )
    expect(r.errors).toEqual([])
    expect(r.inputs[0]).toEqual({
      device_id: 'aq1',
      location: { type: 'Point', coordinates: [10.5, 43.84] },
      attributes: [{ object_id: 't', name: 'temperature', type: 'Number', unitCode: 'CEL' }, { name: 'pm10' }],
      static_attributes: [
        { name: 'address', type: 'Property', value: 'Piazza Napoleone' },
        { name: 'floor', type: 'Property', value: 2 },
      ],
      commands: [{ name: 'dimmingLevel', initial: 100 }, { name: 'reboot' }],
    })
  })
  it('reports problems with their line numbers', () => {
    const r = devicesFromCsv('device_id,latitude,longitude,attributes\nok,,,\nbad,43,,\nx,1,2,[nope\ny,1\n')
    expect(r.errors).toEqual([
      'line 3: latitude and longitude: two numbers, or both empty',
      'line 4: attributes: not valid JSON: ' + r.errors[1]!.split('JSON: ')[1],
      'line 5: 2 fields, the header has 4',
    ])
    expect(() => devicesFromCsv('id,name\n')).toThrow(/line 1: unknown column/)
  })
})
