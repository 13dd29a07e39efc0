/** The class filter: all people, or one of the four classes. */
import { type MobKey, useMobI18n } from './messages'
import { type ClassFilter, PEOPLE_CLASSES } from './types'

export const classKey = (c: string) => `mob.class.${c}` as MobKey

export function ClassSelect({
  id,
  value,
  onChange,
}: {
  id: string
  value: ClassFilter
  onChange(c: ClassFilter): void
}) {
  const { t } = useMobI18n()
  return (
    <div className="select-wrapper">
      <label htmlFor={id}>{t('mob.class')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as ClassFilter)}>
        {(['all', ...PEOPLE_CLASSES] as const).map((c) => (
          <option key={c} value={c}>
            {t(classKey(c))}
          </option>
        ))}
      </select>
    </div>
  )
}
