// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { getCsrfToken, setCsrfToken } from '../api'
import { App } from '../App'

type Handler = (url: string, init?: RequestInit) => unknown

function mockFetch(routes: Record<string, Handler | unknown>) {
  const calls: { url: string; init?: RequestInit }[] = []
  const fn = vi.fn(async (input: string, init?: RequestInit) => {
    calls.push({ url: input, init })
    const path = input.split('?')[0]!
    const key = Object.keys(routes).find((k) => k === path || k === input)
    if (!key) return new Response(JSON.stringify({ title: 'Not Found' }), { status: 404 })
    const r = routes[key]
    const body = typeof r === 'function' ? (r as Handler)(input, init) : r
    return new Response(JSON.stringify(body), { status: 200 })
  })
  vi.stubGlobal('fetch', fn)
  return calls
}

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  localStorage.clear()
  setCsrfToken(null)
})

const NOW = {
  at: new Date().toISOString(),
  air: { index: 2, level: 'fair', stations: 3, no2: 31.2, pm10: 20, pm25: 11, o3: 60 },
  weather: { temperature: 18.4, relativeHumidity: 60, precipitation: 0, windSpeed: 2.1 },
  traffic: { intensity: 820, averageVehicleSpeed: 38, congested: 1, roads: 6 },
  parking: { free: 312, total: 900, carParks: 4 },
  energy: { todayKWh: 1520.4, powerKW: 88.2, buildings: 5 },
}

describe('pages with a mocked API', () => {
  it('home lists the Comuni and switches language', async () => {
    history.replaceState(null, '', '/')
    mockFetch({
      '/api/tenants': [{ id: '046017', name: 'Lucca', province: 'Lucca', region: 'Toscana', population: 89000 }],
    })
    render(<App />)
    expect(await screen.findByRole('heading', { name: 'Scegli il tuo Comune' })).toBeTruthy()
    expect(await screen.findByText('Lucca', { selector: 'a' })).toBeTruthy()
    fireEvent.click(screen.getByTestId('lang-switch'))
    expect(await screen.findByRole('heading', { name: 'Choose your municipality' })).toBeTruthy()
    expect(document.documentElement.lang).toBe('en')
    expect(localStorage.getItem('urbe.lang')).toBe('en')
  })

  it('the city page shows "the city now" cards', async () => {
    history.replaceState(null, '', '/lucca')
    mockFetch({
      '/api/tenants': [{ id: '046017', name: 'Lucca' }],
      '/api/tenants/046017': { id: '046017', name: 'Lucca', boundary: null, center: [10.5, 43.84] },
      '/api/portal/046017/categories': [],
      '/api/portal/046017/now': NOW,
    })
    render(<App />)
    const air = await screen.findByTestId('now-air')
    expect(air.textContent).toContain('Discreta')
    expect(screen.getByTestId('now-parking').textContent).toContain('312')
    expect(screen.getByTestId('now-energy').textContent).toContain('1520 kWh')
  })

  it('the console logs in and keeps the CSRF token for writes', async () => {
    history.replaceState(null, '', '/console')
    let logged = false
    const calls = mockFetch({
      '/api/auth/me': () =>
        logged
          ? {
              kind: 'user',
              user: { id: 'u', username: 'admin', displayName: null, superadmin: true, roles: {} },
              csrfToken: 'csrf-1',
            }
          : { kind: 'anonymous', role: null },
      '/api/auth/login': () => {
        logged = true
        return {
          user: { id: 'u', username: 'admin', displayName: null, superadmin: true, roles: {} },
          csrfToken: 'csrf-1',
        }
      },
      '/api/tenants': [{ id: '046017', name: 'Lucca' }],
      '/ngsi-ld/v1/entities': [],
    })
    render(<App />)
    const user = await screen.findByLabelText('Nome utente')
    fireEvent.change(user, { target: { value: 'admin' } })
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'urbe-demo' } })
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Accedi' }))
    })
    await waitFor(() => expect(getCsrfToken()).toBe('csrf-1'))
    const login = calls.find((c) => c.url === '/api/auth/login')!
    expect(JSON.parse(String(login.init?.body))).toEqual({ username: 'admin', password: 'urbe-demo' })
    expect(await screen.findByTestId('tenant-switch')).toBeTruthy()
  })
})
