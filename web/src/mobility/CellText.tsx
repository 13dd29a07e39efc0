/** A published count in text: the number, "—" for no data, "< k" (with its explanation) where it is suppressed. */
import { useMobI18n } from './messages'
import { formatCell, isSuppressed } from './cells'
import type { Cell } from './types'

export function CellText({ cell, k, digits = 0 }: { cell: Cell | undefined; k: number; digits?: number }) {
  const { t, lang } = useMobI18n()
  if (isSuppressed(cell))
    return (
      <abbr className="cell-suppressed" title={t('mob.suppressedTitle', { k })} data-suppressed="true">
        {`< ${k}`}
      </abbr>
    )
  return <>{formatCell(cell, lang, k, digits)}</>
}
