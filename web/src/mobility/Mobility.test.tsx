// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { setCsrfToken } from '../api'
import type { User } from '../console/session'
import Mobility from './Mobility'
import type { Meta } from './types'

const T = '046017'
const admin: User = { id: 'u', username: 'admin', displayName: null, superadmin: true, roles: {} }
const viewer: User = { id: 'v', username: 'v', displayName: null, superadmin: false, roles: { [T]: 'viewer' } }
const META: Meta = {
  tenant: T,
  name: 'Lucca',
  k: 30,
  synthetic: true,
  classes: ['resident', 'commuter', 'italian_visitor', 'foreign_visitor'],
  range: { from: '2026-10-01', to: '2026-11-20' },
  zones: 2,
  layers: [{ layer: 'census', count: 2 }],
  flows: { from: '2026-10-01', to: '2026-11-20' },
  origins: true,
  timezone: 'Europe/Rome',
}

function mockApi(routes: Record<string, unknown | ((url: string, init?: RequestInit) => unknown)>) {
  const calls: { url: string; init?: RequestInit }[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      calls.push({ url, init })
      const path = url.split('?')[0]!.replace(`/api/mobility/${T}`, '')
      if (!(path in routes)) return new Response(JSON.stringify({ title: 'Not Found' }), { status: 404 })
      const r = routes[path]
      return new Response(JSON.stringify(typeof r === 'function' ? r(url, init) : r), { status: 200 })
    }),
  )
  return calls
}

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  setCsrfToken(null)
})

const hours = (f: (h: number) => number | 'suppressed' | null) => Array.from({ length: 24 }, (_, h) => f(h))

describe('mobility section with a mocked API', () => {
  it('empty state, synthetic badge and the k note', async () => {
    mockApi({ '/meta': { ...META, range: null, flows: null } })
    render(<Mobility tenant={T} user={admin} page="presenze" />)
    expect(await screen.findByTestId('mob-empty')).toBeTruthy()
    expect(screen.getByTestId('synthetic-badge').textContent).toBe('Dati sintetici')
    expect(screen.getByTestId('k-note').textContent).toContain('i valori inferiori a k = 30 sono oscurati')
    expect(screen.getByRole('link', { name: /Importa un file CSV/ }).getAttribute('href')).toBe(
      `/console/${T}/mobilita/importazioni`,
    )
  })

  it('presence: the slider changes the legend and the table; a zone opens its series', async () => {
    const calls = mockApi({
      '/meta': META,
      '/zones': { type: 'FeatureCollection', features: [] },
      '/heatmap': {
        day: '2026-11-20',
        class: 'all',
        k: 30,
        zones: [
          { zone: 'z1', name: 'Centro', values: hours((h) => 100 + h * 10) },
          { zone: 'z2', name: 'Borgo', values: hours((h) => (h < 6 ? 'suppressed' : 50)) },
        ],
      },
      '/series': { zone: 'z1', name: 'Centro', resolution: 'hour', times: [], classes: {}, total: [] },
      '/profiles': { zone: 'z1', class: 'all', profiles: {}, days: {}, holidays: [] },
      '/traffic': {
        times: [],
        traffic: { sensors: 0, intensity: [] },
        parking: { sites: 0, occupancy: [] },
        presence: { values: [] },
      },
    })
    render(<Mobility tenant={T} user={admin} page="presenze" />)
    const total = await screen.findByTestId('hour-total')
    await waitFor(() => expect(screen.getByTestId('hour-total').textContent).toContain('270'))
    expect(calls.some((c) => c.url.includes('/heatmap?day=2026-11-20&class=all'))).toBe(true)
    fireEvent.change(screen.getByLabelText('Ora'), { target: { value: '3' } })
    expect(screen.getByTestId('heat-legend').getAttribute('data-hour')).toBe('3')
    expect(total.textContent).toContain('130')
    const rows = screen.getByTestId('zone-table').querySelectorAll('tbody tr')
    expect(rows[1]!.textContent).toContain('< 30')
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Centro' }))
    })
    expect(await screen.findByTestId('zone-detail')).toBeTruthy()
    expect(screen.getByTestId('traffic').textContent).toContain('non ci sono contatori di traffico')
    expect(calls.some((c) => c.url.includes('/series?zone=z1&from=2026-11-07&to=2026-11-20'))).toBe(true)
  })

  it('tourism: the key figures', async () => {
    mockApi({
      '/meta': META,
      '/tourism': {
        days: [{ date: '2026-11-20', visitors: 5000, italian: 3000, foreign: 2000, overnight: 1200, lastYear: 4000 }],
        totals: {
          days: 1,
          visitors: 5000,
          italian: 3000,
          foreign: 2000,
          foreignShare: 0.4,
          overnight: 1200,
          lastYearVisitors: 4000,
          change: 0.25,
        },
      },
    })
    render(<Mobility tenant={T} user={admin} page="turismo" />)
    expect((await screen.findByTestId('card-visitors')).textContent).toContain('5000')
    expect(screen.getByTestId('card-foreign').textContent).toContain('40 %')
    expect(screen.getByTestId('card-lastyear').textContent).toContain('+25 %')
  })

  it('imports: the summary lists each problem with its line; viewers cannot import', async () => {
    setCsrfToken('tok')
    const summary = {
      id: 1,
      rows: 2,
      imported: 1,
      rejected: 1,
      problems: [{ line: 3, reason: 'hour out of range' }],
      days: null,
      seconds: 0.2,
    }
    const calls = mockApi({ '/meta': META, '/imports': { items: [] }, '/imports/presence': summary })
    render(<Mobility tenant={T} user={admin} page="importazioni" />)
    const input = (await screen.findByLabelText('File CSV')) as HTMLInputElement
    fireEvent.change(input, { target: { files: [new File(['a,b\n'], 'presenze.csv', { type: 'text/csv' })] } })
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Importa' }))
    })
    const problems = await screen.findByTestId('import-problems')
    expect(problems.querySelector('tr[data-line="3"]')?.textContent).toContain('hour out of range')
    const post = calls.find((c) => c.init?.method === 'POST')!
    expect(post.url).toBe(`/api/mobility/${T}/imports/presence?filename=presenze.csv`)
    cleanup()
    render(<Mobility tenant={T} user={viewer} page="importazioni" />)
    expect(await screen.findByText(/serve il ruolo di operatore/)).toBeTruthy()
  })

  it('forecast: both MAPE figures', async () => {
    mockApi({
      '/meta': META,
      '/zones': { type: 'FeatureCollection', features: [] },
      '/forecast': {
        zone: 'all',
        class: 'all',
        model: 'holt-winters',
        issued: '2026-11-21T00:00:00Z',
        times: [],
        forecast: [],
        lower: [],
        upper: [],
        history: { times: [], values: [] },
        accuracy: { model: { mape: 8.25 }, seasonalNaive: { mape: 14.5 }, weeks: 4 },
      },
    })
    render(<Mobility tenant={T} user={admin} page="previsioni" />)
    expect((await screen.findByTestId('mape-model')).textContent).toContain('8,3 %')
    expect(screen.getByTestId('mape-naive').textContent).toContain('14,5 %')
  })
})
