/** A uPlot line chart (uPlot loaded on demand): several series on a time or hour axis, an optional band between two. */
import { useEffect, useRef } from 'react'
import type uPlot from 'uplot'
import { formatNumber } from '../format'
import { useMobI18n } from './messages'
import { timeTicks } from '../portal/Chart'
import { hourLabel } from './cells'

export interface LineSeries {
  label: string
  values: (number | null)[]
  colour: string
  dash?: number[]
  width?: number
  /** Not drawn as a line (the edges of a band). */
  hidden?: boolean
}

export default function LineChart({
  x,
  series,
  time = true,
  hours = false,
  band,
  height = 280,
  label,
  testid = 'mob-chart',
}: {
  /** Epoch seconds (time) or plain numbers (hours 0-23). */
  x: number[]
  series: LineSeries[]
  time?: boolean
  hours?: boolean
  /** Fill between two series, by their index in `series` (upper, lower). */
  band?: [number, number]
  height?: number
  label: string
  testid?: string
}) {
  const { lang } = useMobI18n()
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    let plot: uPlot | undefined
    let cancelled = false
    let ro: ResizeObserver | undefined
    Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([mod]) => {
      if (cancelled || !box.current) return
      const UPlot = mod.default
      const width = box.current.clientWidth || 600
      const fmt = (v: number | null | undefined) => (v == null ? '—' : formatNumber(v, lang, 0))
      plot = new UPlot(
        {
          width,
          height,
          scales: { x: { time } },
          axes: [
            {
              values: (_u, splits) =>
                time ? timeTicks(lang, splits) : splits.map((s) => (hours ? hourLabel(s) : String(s))),
            },
            { size: 84, values: (_u, splits) => splits.map((s) => formatNumber(s, lang, 0)) },
          ],
          series: [
            {
              label: time ? (lang === 'it' ? 'Ora' : 'Time') : lang === 'it' ? 'Ora del giorno' : 'Hour',
              value: (_u, v) =>
                v == null
                  ? '—'
                  : time
                    ? new Date(v * 1000).toLocaleString(lang === 'it' ? 'it-IT' : 'en-GB')
                    : hourLabel(v),
            },
            ...series.map((s) => ({
              label: s.label,
              stroke: s.hidden ? 'transparent' : s.colour,
              width: s.hidden ? 0 : (s.width ?? 2),
              dash: s.dash,
              value: (_u: uPlot, v: number | null) => fmt(v),
              points: { show: false },
            })),
          ],
          bands: band ? [{ series: [band[0] + 1, band[1] + 1], fill: 'rgba(0,102,204,0.15)' }] : undefined,
        },
        [x, ...series.map((s) => s.values)] as uPlot.AlignedData,
        box.current,
      )
      if (typeof ResizeObserver !== 'undefined') {
        ro = new ResizeObserver(() => {
          if (plot && box.current) plot.setSize({ width: box.current.clientWidth, height })
        })
        ro.observe(box.current)
      }
    })
    return () => {
      cancelled = true
      ro?.disconnect()
      plot?.destroy()
    }
  }, [x, series, time, hours, band, height, lang])
  return (
    <figure className="mb-3">
      <figcaption className="visually-hidden">{label}</figcaption>
      <div ref={box} className="chart-box mob-chart" data-testid={testid} />
    </figure>
  )
}
