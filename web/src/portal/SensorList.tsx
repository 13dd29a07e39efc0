import { useMemo, useState } from 'react'
import { Link } from '../components/Link'
import { formatAttr } from '../format'
import { pick, useI18n } from '../i18n'
import type { Category, PortalEntity } from '../types'

const PAGE = 60

/** Searchable list of sensors by category: any sensor in two clicks, with the keyboard too. */
export function SensorList({
  categories,
  byCategory,
  version,
  sensorHref,
}: {
  categories: Category[]
  byCategory: Map<string, Map<string, PortalEntity>>
  version: number
  sensorHref(e: PortalEntity): string
}) {
  const { t, lang } = useI18n()
  const [cat, setCat] = useState('')
  const [text, setText] = useState('')
  const [shown, setShown] = useState(PAGE)
  const catById = useMemo(() => new Map(categories.map((c) => [c.id, c])), [categories])
  // biome-ignore lint/correctness/useExhaustiveDependencies: version marks changes in byCategory
  const rows = useMemo(() => {
    const q = text.trim().toLowerCase()
    const out: PortalEntity[] = []
    for (const [id, m] of byCategory) {
      if (cat && id !== cat) continue
      for (const e of m.values())
        if (!q || e.name.toLowerCase().includes(q) || e.id.toLowerCase().includes(q)) out.push(e)
    }
    return out.sort((a, b) => a.name.localeCompare(b.name))
  }, [byCategory, version, cat, text])
  return (
    <section aria-labelledby="sensors-title" data-testid="sensor-list">
      <h2 id="sensors-title" className="h4">
        {t('city.sensors')} <small className="fs-6 fw-normal">({t('city.sensorsCount', { n: rows.length })})</small>
      </h2>
      <div className="select-wrapper mb-3 mt-4">
        <label htmlFor="sensor-cat">{t('city.category')}</label>
        <select
          id="sensor-cat"
          value={cat}
          onChange={(e) => {
            setCat(e.target.value)
            setShown(PAGE)
          }}
        >
          <option value="">{t('city.allCategories')}</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {pick(c.label, lang)}
            </option>
          ))}
        </select>
      </div>
      <div className="form-group mb-2 mt-4">
        <label htmlFor="sensor-filter" className="active">
          {t('city.filter')}
        </label>
        <input
          id="sensor-filter"
          type="search"
          className="form-control"
          value={text}
          onChange={(e) => {
            setText(e.target.value)
            setShown(PAGE)
          }}
        />
      </div>
      <div className="sensor-list">
        <ul>
          {rows.slice(0, shown).map((e) => {
            const c = catById.get(e.category)
            const attr = e.primaryAttr ?? c?.primary.attr
            const v = attr ? e.values[attr] : undefined
            return (
              <li key={e.id}>
                <Link href={sensorHref(e)}>
                  <span>{e.name}</span>
                  <span className="text-nowrap text-muted">
                    {v && attr ? formatAttr(attr, v.value, lang, v.unitCode) : ''}
                  </span>
                </Link>
              </li>
            )
          })}
        </ul>
      </div>
      {rows.length > shown ? (
        <button
          type="button"
          className="btn btn-outline-primary btn-sm mt-2"
          onClick={() => setShown((s) => s + PAGE * 2)}
        >
          {t('city.showMore')}
        </button>
      ) : null}
    </section>
  )
}
