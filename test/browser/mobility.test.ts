/// <reference lib="dom" />
/**
 * The console's "Mobilità e turismo" section in a real browser (Debian's Chromium through playwright-core) against a
 * real `urbe serve` with the demo's synthetic mobility data for Lucca: the presence map and its hour slider, a zone's
 * series, origins and flows, tourism figures, events and alerts, the forecast's accuracy, the printable report (print
 * media hides the console) and a CSV import with a bad line. axe-core on every page; screenshots in
 * test-results/screenshots/.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ServerProcess, startServerProcess } from '../support/server-process.js'
import { createTestLocation, type TestLocation } from '../support/test-db.js'
import { axe, hasChromium, launch, screenshot } from './support.js'

const LUCCA = '046017'

describe.skipIf(!hasChromium)('mobility pages in Chromium', { timeout: 180_000 }, () => {
  let loc: TestLocation
  let server: ServerProcess
  let browser: Browser
  let page: Page
  let url: string
  const axeFailures: string[] = []
  const base = () => `${url}/console/${LUCCA}/mobilita`

  async function checkAxe(name: string) {
    const v = await axe(page)
    for (const x of v)
      axeFailures.push(`${name}: ${x.id} (${x.impact}) ${x.help} ${JSON.stringify(x.nodes.map((n) => n.target))}`)
    expect(v.map((x) => `${x.id}: ${x.help} ${JSON.stringify(x.nodes.map((n) => n.target))}`)).toEqual([])
  }

  async function notes() {
    await page.locator('[data-testid=synthetic-badge]', { hasText: 'Dati sintetici' }).waitFor()
    expect(await page.locator('[data-testid=k-note]').textContent()).toContain(
      'i valori inferiori a k = 30 sono oscurati',
    )
  }

  beforeAll(async () => {
    loc = await createTestLocation()
    const env: Record<string, string> = loc.databaseUrl
      ? { DATABASE_URL: loc.databaseUrl }
      : { URBE_DATA_DIR: loc.dataDir! }
    ;[server, browser] = await Promise.all([
      startServerProcess({ ...env, URBE_MOBILITY_DEMO_DAYS: process.env.URBE_TEST_MOBILITY_DAYS ?? '120' }),
      launch(),
    ])
    url = server.url
    // the synthetic mobility data are written in the background after the start
    const deadline = Date.now() + 150_000
    const done = new RegExp(`"tenant":"${LUCCA}"[^\\n]*mobility demo: done`)
    while (!done.test(server.output())) {
      if (Date.now() > deadline) throw new Error(`no mobility demo data after 150 s:\n${server.output().slice(-3000)}`)
      await new Promise((res) => setTimeout(res, 500))
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT' })
    page = await context.newPage()
    page.on('pageerror', (e) => console.warn('page error:', e.message))
    await page.goto(`${url}/console`)
    await page.fill('#login-user', 'admin')
    await page.fill('#login-password', 'urbe-demo')
    await page.click('button[type=submit]')
    await page.locator('[data-testid=tenant-switch]').waitFor()
  }, 300_000)

  afterAll(async () => {
    if (axeFailures.length) console.warn(`axe-core serious/critical violations:\n${axeFailures.join('\n')}`)
    await browser?.close()
    if (server) {
      server.proc.kill('SIGTERM')
      await server.exited
    }
    await loc?.drop()
  })

  it('presence: the map of zones, the hour slider, a zone clicked shows its series', async () => {
    await page.goto(`${base()}/presenze`)
    await page.getByRole('link', { name: 'Mobilità e turismo' }).waitFor()
    await notes()
    const map = page.locator('[data-testid=zone-map][data-ready=true]')
    await map.waitFor()
    expect(Number(await map.getAttribute('data-zones'))).toBeGreaterThan(10)
    await page.waitForFunction(() => {
      const m = (window as any).__urbeMobMap
      return m && m.queryRenderedFeatures(undefined, { layers: ['zones-fill'] }).length > 10
    })
    // the day picker starts at the last day of the data
    const day = await page.inputValue('#mob-day')
    expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    await page.locator('[data-testid=zone-table] tbody tr').first().waitFor()
    const legend = page.locator('[data-testid=heat-legend]')
    expect(await legend.getAttribute('data-hour')).toBe('12')
    const before = await page.locator('[data-testid=hour-total]').textContent()
    const valuesBefore = await page.locator('[data-testid=zone-value]').allTextContents()
    // the keyboard moves the slider: three hours on
    await page.focus('#mob-hour')
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight')
    await page.locator('[data-testid=heat-legend][data-hour="15"]').waitFor()
    expect(await legend.textContent()).toContain('Ore 15:00')
    expect(await page.locator('[data-testid=hour-value]').textContent()).toBe('15:00')
    await page.keyboard.press('Home')
    await page.locator('[data-testid=heat-legend][data-hour="0"]').waitFor()
    const night = await page.locator('[data-testid=hour-total]').textContent()
    expect(night).not.toBe(before)
    expect(await page.locator('[data-testid=zone-value]').allTextContents()).not.toEqual(valuesBefore)
    await page.keyboard.press('End')
    for (let i = 0; i < 11; i++) await page.keyboard.press('ArrowLeft')
    await page.locator('[data-testid=heat-legend][data-hour="12"]').waitFor()
    // a click on a zone of the map
    const target = await page.evaluate(() => {
      const m = (window as any).__urbeMobMap
      const rect = m.getCanvas().getBoundingClientRect()
      for (const f of m.queryRenderedFeatures(undefined, { layers: ['zones-fill'] })) {
        const ring = f.geometry.coordinates[0] as [number, number][]
        const lon = ring.reduce((s, p) => s + p[0], 0) / ring.length
        const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length
        const p = m.project([lon, lat])
        if (p.x < 10 || p.y < 10 || p.x > rect.width - 60 || p.y > rect.height - 10) continue
        const hit = m.queryRenderedFeatures([p.x, p.y], { layers: ['zones-fill'] })[0]
        if (hit?.properties.zone === f.properties.zone)
          return { x: rect.left + p.x, y: rect.top + p.y, zone: f.properties.zone as string }
      }
      return null
    })
    expect(target).not.toBeNull()
    await page.locator('[data-testid=zone-map]').scrollIntoViewIfNeeded()
    const again = await page.evaluate((zone) => {
      const m = (window as any).__urbeMobMap
      const rect = m.getCanvas().getBoundingClientRect()
      const f = m
        .queryRenderedFeatures(undefined, { layers: ['zones-fill'] })
        .find((x: any) => x.properties.zone === zone)
      const ring = f.geometry.coordinates[0] as [number, number][]
      const p = m.project([
        ring.reduce((s, q) => s + q[0], 0) / ring.length,
        ring.reduce((s, q) => s + q[1], 0) / ring.length,
      ])
      return { x: rect.left + p.x, y: rect.top + p.y }
    }, target!.zone)
    await page.mouse.click(again.x, again.y)
    await page.locator(`[data-testid=zone-detail][data-zone="${target!.zone}"]`).waitFor()
    await page.locator('[data-testid=zone-series] canvas').waitFor()
    await page.locator('[data-testid=zone-profiles] canvas').waitFor()
    // traffic counters and car parks beside presence (none in this server's history: it says so)
    await page.locator('[data-testid=traffic] p, [data-testid=traffic-chart] canvas').first().waitFor()
    await page.setViewportSize({ width: 1280, height: 1700 })
    await page.waitForTimeout(400)
    await screenshot(page, 'mobility-presence')
    await page.setViewportSize({ width: 1280, height: 900 })
    await checkAxe('mobility-presence')
  })

  it('presence on a phone, in English', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${base()}/presenze`)
    await page.click('[data-testid=lang-switch]')
    await page.locator('[data-testid=synthetic-badge]', { hasText: 'Synthetic data' }).waitFor()
    await page.locator('[data-testid=zone-map][data-ready=true]').waitFor()
    await page.locator('[data-testid=heat-legend]', { hasText: 'At 12:00' }).waitFor()
    await page.waitForTimeout(300)
    await screenshot(page, 'mobility-presence-phone-en', true)
    await checkAxe('mobility-presence-phone-en')
    await page.click('[data-testid=lang-switch]')
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('origins and flows: countries, provinces, the flow map, the OD matrix, commuters', async () => {
    await page.goto(`${base()}/origini`)
    await notes()
    const countries = page.locator('[data-testid=origins-country] tbody tr')
    await countries.first().waitFor()
    expect(await page.locator('[data-testid=origins-country]').textContent()).toMatch(
      /Germania|Francia|Stati Uniti|Regno Unito/,
    )
    await page.locator('[data-testid=origins-province] tbody tr').first().waitFor()
    await page.locator('[data-testid=flow-map][data-ready=true]').waitFor()
    expect(await page.locator('[data-testid=flow-table] tbody tr').count()).toBeGreaterThan(5)
    await page.locator('[data-testid=od-matrix] tbody tr').first().waitFor()
    await page.locator('[data-testid=commuters-table] tbody tr').first().waitFor()
    await page.selectOption('#orig-class', 'foreign_visitor')
    await page.waitForLoadState('networkidle')
    await countries.first().waitFor()
    await page.setViewportSize({ width: 1280, height: 2000 })
    await page.waitForTimeout(400)
    await screenshot(page, 'mobility-origins')
    await page.setViewportSize({ width: 1280, height: 900 })
    await checkAxe('mobility-origins')
  })

  it('tourism: key figures and the chart', async () => {
    await page.goto(`${base()}/turismo`)
    await notes()
    await page.locator('[data-testid=card-visitors] .big').waitFor()
    expect(await page.locator('[data-testid=card-visitors] .big').textContent()).toMatch(/\d/)
    expect(await page.locator('[data-testid=card-foreign] .big').textContent()).toMatch(/\d+(,\d)? %/)
    expect(await page.locator('[data-testid=card-overnight] .big').textContent()).toMatch(/\d/)
    expect(await page.locator('[data-testid=card-lastyear] .big').textContent()).toMatch(/[+−]?\d+(,\d)? %|—/)
    await page.locator('[data-testid=tourism-chart] canvas').waitFor()
    // the CSV download of the same period, with the session's cookie
    const href = await page.locator('[data-testid=tourism-csv]').getAttribute('href')
    expect(href).toMatch(/format=csv/)
    const csv = await page.request.get(`${url}${href}`)
    expect(csv.headers()['content-type']).toContain('text/csv')
    expect((await csv.text()).split('\n')[0]).toBe('date,visitors,italian,foreign,overnight,lastYear')
    await page.setViewportSize({ width: 1280, height: 1100 })
    await page.waitForTimeout(300)
    await screenshot(page, 'mobility-tourism')
    await page.setViewportSize({ width: 1280, height: 900 })
    await checkAxe('mobility-tourism')
  })

  it('events and alerts: days that stand out, an evaluation of the last day', async () => {
    await page.goto(`${base()}/eventi`)
    await notes()
    await page.locator('[data-testid=events-table] tbody tr').first().waitFor()
    await page.click('[data-testid=evaluate]')
    await page.locator('[data-testid=mob-events] [role=status]', { hasText: 'Valutato' }).waitFor({ timeout: 60_000 })
    await screenshot(page, 'mobility-events', true)
    await checkAxe('mobility-events')
  })

  it('forecast: the chart with its band, Holt-Winters and seasonal-naive MAPE', async () => {
    await page.goto(`${base()}/previsioni`)
    await notes()
    await page.locator('[data-testid=forecast-chart] canvas').waitFor({ timeout: 60_000 })
    expect(await page.locator('[data-testid=mape-model] td').textContent()).toMatch(/^\d+(,\d)? %$/)
    expect(await page.locator('[data-testid=mape-naive] td').textContent()).toMatch(/^\d+(,\d)? %$/)
    await page.setViewportSize({ width: 1280, height: 1100 })
    await page.waitForTimeout(300)
    await screenshot(page, 'mobility-forecast')
    await page.setViewportSize({ width: 1280, height: 900 })
    await checkAxe('mobility-forecast')
  })

  it('report: key figures, charts, printable without the console around it', async () => {
    const meta = await page.evaluate(
      async (u) => (await (await fetch(u, { credentials: 'same-origin' })).json()) as { range: { to: string } },
      `/api/mobility/${LUCCA}/meta`,
    )
    const to = meta.range.to
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86400_000).toISOString().slice(0, 10)
    await page.goto(`${base()}/report?from=${from}&to=${to}`)
    await page.locator('[data-testid=report-figures] [data-testid=card-visitors] .big').waitFor({ timeout: 60_000 })
    expect(await page.locator('[data-testid=report-title]').textContent()).toMatch(
      /^Rapporto mobilità e turismo — Lucca, \d+ \w+ \d{4} – \d+ \w+ \d{4}$/,
    )
    expect(await page.locator('[data-testid=report-k]').textContent()).toContain('k = 30')
    expect(await page.locator('[data-testid=report-foot]').textContent()).toContain('Fonte')
    await page.locator('[data-testid=report-tourism-chart] svg path').first().waitFor()
    expect(await page.locator('.console-nav').isVisible()).toBe(true)
    await checkAxe('mobility-report')
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('.console-nav').isVisible()).toBe(false)
    expect(await page.locator('.mob-subnav').isVisible()).toBe(false)
    expect(await page.locator('[data-testid=print]').isVisible()).toBe(false)
    expect(await page.locator('header.it-header-wrapper').isVisible()).toBe(false)
    expect(await page.locator('[data-testid=report-title]').isVisible()).toBe(true)
    expect(await page.locator('[data-testid=report-figures]').isVisible()).toBe(true)
    await page.setViewportSize({ width: 794, height: 1123 })
    await screenshot(page, 'mobility-report-print', true)
    const pdf = await page.pdf({ format: 'A4', printBackground: true })
    expect(pdf.length).toBeGreaterThan(10_000)
    await page.emulateMedia({ media: 'screen' })
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('imports: a CSV with one bad line shows the problem and its line number', async () => {
    await page.goto(`${base()}/importazioni`)
    await notes()
    const csv = [
      'zone,date,hour,class,count',
      'G-05-04,2025-01-10,9,resident,120',
      'G-05-04,2025-01-10,27,resident,130',
      'G-05-04,2025-01-10,10,resident,140',
    ].join('\n')
    await page.setInputFiles('#imp-file', {
      name: 'presenze-prova.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    })
    await page.click('[data-testid=import-form] button[type=submit]')
    const problem = page.locator('[data-testid=import-problems] tr[data-line="3"]')
    await problem.waitFor()
    expect(await problem.textContent()).toContain('27')
    expect(await page.locator('[data-testid=import-summary]').textContent()).toMatch(
      /3 righe lette, 2 importate, 1 scartate/,
    )
    await page.locator('[data-testid=import-list] tbody tr', { hasText: 'presenze-prova.csv' }).waitFor()
    expect(await page.locator('[data-testid=import-list] thead th').count()).toBe(
      await page.locator('[data-testid=import-list] tbody tr').first().locator('td').count(),
    )
    await screenshot(page, 'mobility-imports', true)
    await checkAxe('mobility-imports')
  })
})
