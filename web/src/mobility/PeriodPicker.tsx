/** Two date inputs (from, to) within the data's range, applied together. */
import { type FormEvent, useState } from 'react'
import { useMobI18n } from './messages'

export function PeriodPicker({
  id,
  value,
  min,
  max,
  onChange,
}: {
  id: string
  value: { from: string; to: string }
  min?: string
  max?: string
  onChange(p: { from: string; to: string }): void
}) {
  const { t } = useMobI18n()
  const [from, setFrom] = useState(value.from)
  const [to, setTo] = useState(value.to)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (from && to) onChange(from <= to ? { from, to } : { from: to, to: from })
  }
  return (
    <form className="row g-3 align-items-end mb-3 mob-period" onSubmit={submit}>
      <div className="col-6 col-md-3">
        <div className="form-group mb-0">
          <label htmlFor={`${id}-from`} className="active">
            {t('mob.from')}
          </label>
          <input
            id={`${id}-from`}
            type="date"
            className="form-control"
            min={min}
            max={max}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </div>
      </div>
      <div className="col-6 col-md-3">
        <div className="form-group mb-0">
          <label htmlFor={`${id}-to`} className="active">
            {t('mob.to')}
          </label>
          <input
            id={`${id}-to`}
            type="date"
            className="form-control"
            min={min}
            max={max}
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </div>
      </div>
      <div className="col-12 col-md-3">
        <button type="submit" className="btn btn-primary">
          {t('mob.apply')}
        </button>
      </div>
    </form>
  )
}
