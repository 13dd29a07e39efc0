/** The tourism key figures: visitors (and per day), foreign share, estimated overnight stays, change on last year. */
import { formatNumber } from '../format'
import { useMobI18n } from './messages'
import { CellText } from './CellText'
import { cellNumber, formatChange, formatPercent } from './cells'
import type { TourismTotals } from './types'

export function TourismCards({ totals, days: all, k }: { totals: TourismTotals; days: number; k: number }) {
  const { t, lang } = useMobI18n()
  const days = totals.days ?? all
  const v = cellNumber(totals.visitors)
  return (
    <div className="now-grid mob-cards mb-3" data-testid="tourism-cards">
      <div className="now-card" data-testid="card-visitors">
        <h3>{t('mob.visitors')}</h3>
        <div className="big">
          <CellText cell={totals.visitors} k={k} />
        </div>
        {v !== null && days > 0 ? <p>{t('mob.perDay', { n: formatNumber(v / days, lang, 0) })}</p> : null}
      </div>
      <div className="now-card" data-testid="card-foreign">
        <h3>{t('mob.foreignShare')}</h3>
        <div className="big">{formatPercent(totals.foreignShare, lang)}</div>
        <p>
          {t('mob.foreignVisitors')}: <CellText cell={totals.foreign} k={k} />
        </p>
      </div>
      <div className="now-card" data-testid="card-overnight">
        <h3>{t('mob.overnight')}</h3>
        <div className="big">
          <CellText cell={totals.overnight} k={k} />
        </div>
        <p>{t('mob.overnightHelp')}</p>
      </div>
      <div className="now-card" data-testid="card-lastyear">
        <h3>{t('mob.lastYear')}</h3>
        <div className="big">{formatChange(totals.change, lang)}</div>
        <p>
          {t('mob.lastYearVisitors')}: <CellText cell={totals.lastYearVisitors} k={k} />
        </p>
      </div>
    </div>
  )
}
