/** A time-series chart with uPlot (loaded on demand): the average line and the min-max band. */
import { useEffect, useRef } from 'react'
import type uPlot from 'uplot'
import type { Lang } from '../i18n'
import type { SeriesPoint } from '../types'

const LOCALE: Record<Lang, string> = { it: 'it-IT', en: 'en-GB' }

/** Tick labels in the user's language: hours within two days, day and month beyond. */
export function timeTicks(lang: Lang, splits: number[]): string[] {
  const span = splits.length > 1 ? splits[splits.length - 1]! - splits[0]! : 0
  const f = new Intl.DateTimeFormat(
    LOCALE[lang],
    span > 2 * 86400 ? { day: 'numeric', month: 'short' } : { hour: '2-digit', minute: '2-digit' },
  )
  return splits.map((s) => f.format(new Date(s * 1000)))
}

export function toColumns(points: SeriesPoint[]): [number[], (number | null)[], (number | null)[], (number | null)[]] {
  const t: number[] = []
  const avg: (number | null)[] = []
  const min: (number | null)[] = []
  const max: (number | null)[] = []
  for (const p of points) {
    t.push(new Date(p.t).getTime() / 1000)
    avg.push(p.avg)
    min.push(p.min)
    max.push(p.max)
  }
  return [t, avg, min, max]
}

export default function Chart({
  points,
  label,
  unit,
  labels,
  lang,
}: {
  lang: Lang
  points: SeriesPoint[]
  label: string
  unit: string
  labels: { avg: string; min: string; max: string }
}) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    let plot: uPlot | undefined
    let cancelled = false
    let ro: ResizeObserver | undefined
    Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([mod]) => {
      if (cancelled || !box.current) return
      const UPlot = mod.default
      const width = box.current.clientWidth || 600
      plot = new UPlot(
        {
          width,
          height: 300,
          scales: { x: { time: true } },
          axes: [{ values: (_u, splits) => timeTicks(lang, splits) }, { label: unit, size: 60 }],
          series: [
            {
              label: lang === 'it' ? 'Ora' : 'Time',
              value: (_u, v) => (v == null ? '—' : new Date(v * 1000).toLocaleString(LOCALE[lang])),
            },
            { label: `${label} (${labels.avg})`, stroke: '#0066cc', width: 2 },
            { label: labels.min, stroke: '#7fb2e5', width: 1, dash: [4, 4] },
            { label: labels.max, stroke: '#7fb2e5', width: 1, dash: [4, 4] },
          ],
          bands: [{ series: [3, 2], fill: 'rgba(0,102,204,0.12)' }],
        },
        toColumns(points) as uPlot.AlignedData,
        box.current,
      )
      if (typeof ResizeObserver !== 'undefined') {
        ro = new ResizeObserver(() => {
          if (plot && box.current) plot.setSize({ width: box.current.clientWidth, height: 300 })
        })
        ro.observe(box.current)
      }
    })
    return () => {
      cancelled = true
      ro?.disconnect()
      plot?.destroy()
    }
  }, [points, label, unit, labels, lang])
  return <div ref={box} className="chart-box" data-testid="chart" />
}
