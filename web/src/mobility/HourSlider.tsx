/** The hour of the day, 0-23: a range input (arrow keys, Home/End) with its value spoken, and a play button. */
import { useEffect } from 'react'
import { useMobI18n } from './messages'
import { hourLabel } from './cells'

export function HourSlider({
  hour,
  onChange,
  playing,
  onPlaying,
  intervalMs = 800,
}: {
  hour: number
  onChange(h: number): void
  playing: boolean
  onPlaying(p: boolean): void
  intervalMs?: number
}) {
  const { t } = useMobI18n()
  useEffect(() => {
    if (!playing) return
    const id = setInterval(() => onChange((hour + 1) % 24), intervalMs)
    return () => clearInterval(id)
  }, [playing, hour, onChange, intervalMs])
  return (
    <div className="hour-slider d-flex align-items-center gap-3" data-testid="hour-slider">
      <button
        type="button"
        className="btn btn-outline-primary btn-sm"
        aria-pressed={playing}
        onClick={() => onPlaying(!playing)}
        data-testid="hour-play"
      >
        {playing ? t('mob.pause') : t('mob.play')}
      </button>
      <div className="flex-grow-1">
        <div>
          <label htmlFor="mob-hour" className="form-label mb-0 fw-semibold">
            {t('mob.hour')}
          </label>{' '}
          <output htmlFor="mob-hour" className="fw-semibold" data-testid="hour-value">
            {hourLabel(hour)}
          </output>
        </div>
        <input
          id="mob-hour"
          type="range"
          className="form-range"
          min={0}
          max={23}
          step={1}
          value={hour}
          aria-valuetext={hourLabel(hour)}
          onChange={(e) => {
            onPlaying(false)
            onChange(Number(e.target.value))
          }}
        />
        <div className="d-flex justify-content-between small text-muted" aria-hidden="true">
          <span>00</span>
          <span>06</span>
          <span>12</span>
          <span>18</span>
          <span>23</span>
        </div>
      </div>
    </div>
  )
}
