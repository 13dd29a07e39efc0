// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { useState } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Bars } from './Bars'
import { CellText } from './CellText'
import { HourSlider } from './HourSlider'
import { OdMatrix } from './OdMatrix'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('mobility components', () => {
  it('a suppressed cell reads "< k" with its explanation, never 0', () => {
    render(
      <p>
        <CellText cell="suppressed" k={30} /> <CellText cell={0} k={30} /> <CellText cell={null} k={30} />
      </p>,
    )
    const abbr = screen.getByText('< 30')
    expect(abbr.tagName).toBe('ABBR')
    expect(abbr.getAttribute('title')).toContain('meno di 30 persone')
    expect(document.body.textContent).toContain('0')
    expect(document.body.textContent).toContain('—')
  })

  it('the OD matrix: zones as row and column headers, cells shaded, suppressed hatched', () => {
    render(
      <OdMatrix
        k={30}
        od={{
          zones: [
            { zone: 'a', name: 'Centro storico' },
            { zone: 'b', name: 'Sant’Anna' },
          ],
          cells: [
            [null, 1200],
            ['suppressed', 45],
          ],
        }}
      />,
    )
    const table = screen.getByTestId('od-matrix').querySelector('table')!
    expect(table.querySelector('caption')?.textContent).toMatch(/righe = origine/)
    const rows = table.querySelectorAll('tbody tr')
    expect(rows.length).toBe(2)
    expect(rows[0]!.querySelector('th')!.getAttribute('scope')).toBe('row')
    expect(rows[0]!.textContent).toContain('1200')
    const hidden = rows[1]!.querySelectorAll('td')[0]!
    expect(hidden.textContent).toBe('< 30')
    expect(hidden.className).toContain('mob-hatch')
    expect((rows[0]!.querySelectorAll('td')[1] as HTMLElement).style.background).not.toBe('')
  })

  it('bars: value, share and a suppressed origin', () => {
    render(
      <Bars
        k={30}
        caption="Paesi"
        items={[
          { key: 'c:222', label: 'Italia', value: 9000, share: 0.9 },
          { key: 'c:262', label: 'Germania', value: 'suppressed', share: null },
        ]}
      />,
    )
    const rows = screen.getAllByRole('row')
    expect(rows[1]!.textContent).toContain('Italia')
    expect(rows[1]!.textContent).toContain('90 %')
    expect(rows[2]!.textContent).toContain('< 30')
  })

  it('the hour slider: changes by input, plays hour by hour, stops when moved', () => {
    vi.useFakeTimers()
    function Host() {
      const [h, setH] = useState(22)
      const [p, setP] = useState(false)
      return <HourSlider hour={h} onChange={setH} playing={p} onPlaying={setP} intervalMs={100} />
    }
    render(<Host />)
    const slider = screen.getByLabelText(/Ora/) as HTMLInputElement
    expect(slider.type).toBe('range')
    expect(slider.getAttribute('aria-valuetext')).toBe('22:00')
    fireEvent.change(slider, { target: { value: '7' } })
    expect(slider.value).toBe('7')
    expect(screen.getByText('07:00')).toBeTruthy()
    fireEvent.click(screen.getByTestId('hour-play'))
    expect(screen.getByTestId('hour-play').getAttribute('aria-pressed')).toBe('true')
    act(() => {
      vi.advanceTimersByTime(100)
    })
    expect(slider.value).toBe('8')
    fireEvent.change(slider, { target: { value: '23' } })
    expect(screen.getByTestId('hour-play').getAttribute('aria-pressed')).toBe('false')
    act(() => {
      vi.advanceTimersByTime(300)
    })
    expect(slider.value).toBe('23')
  })
})
