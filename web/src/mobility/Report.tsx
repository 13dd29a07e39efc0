/**
 * Report: a printable page (/console/{tenant}/mobilita/report?from=&to=) from `GET /report`: key figures, SVG charts,
 * origins, top flows, the days that stood out, the forecast's accuracy; the k-threshold and the source stated. The
 * print CSS (app.css) hides the console around it.
 */
import { formatDateTime, formatNumber } from '../format'
import { useMobI18n } from './messages'
import { navigate } from '../router'
import { useFetch } from '../use-fetch'
import { Bars } from './Bars'
import { CellText } from './CellText'
import { cellNumber, formatDay, hourLabel, isDay, lastDays, mobUrl } from './cells'
import { PeriodPicker } from './PeriodPicker'
import { ReportTables } from './ReportTables'
import { SvgLines } from './SvgLines'
import { TourismCards } from './TourismCards'
import { DAY_TYPES, type Meta, type OriginItem, type Report as ReportAnswer } from './types'

const HOURS = Array.from({ length: 24 }, (_, h) => hourLabel(h))
const DAY_COLOURS = ['#0066cc', '#cc7a00', '#a61e4d']
const bars = (items: OriginItem[]) =>
  items.slice(0, 10).map((i) => ({ key: i.origin, label: i.name || i.code, value: i.value, share: i.share }))

export function Report({ tenant, meta }: { tenant: string; meta: Meta }) {
  const { t, lang } = useMobI18n()
  const q = new URLSearchParams(location.search)
  const range = meta.range ?? meta.flows!
  const def = lastDays(range.to, 30, range.from)
  const from = q.get('from')
  const to = q.get('to')
  const period = { from: isDay(from) ? from : def.from, to: isDay(to) ? to : def.to }
  const r = useFetch<ReportAnswer>(mobUrl(tenant, '/report', period))
  const d = r.data
  const k = d?.k ?? meta.k
  const periodText = t('mob.periodShort', {
    from: formatDay(period.from, lang, false),
    to: formatDay(period.to, lang, false),
  })
  const synthetic = d?.synthetic ?? meta.synthetic
  const peak = d?.figures.peakDay
  return (
    <div data-testid="mob-report" className="mob-report">
      <div className="no-print d-flex flex-wrap align-items-end gap-3">
        <PeriodPicker
          key={`${period.from}/${period.to}`}
          id="rep"
          value={period}
          min={range.from}
          max={range.to}
          onChange={(p) => navigate(`/console/${tenant}/mobilita/report?from=${p.from}&to=${p.to}`, true)}
        />
        <button
          type="button"
          className="btn btn-outline-primary mb-3"
          onClick={() => window.print()}
          data-testid="print"
        >
          {t('mob.print')}
        </button>
      </div>
      <article className="mob-report-sheet">
        <h3 className="h2" data-testid="report-title">
          {t('mob.reportTitle', { name: d?.name ?? meta.name ?? tenant, period: periodText })}
        </h3>
        {synthetic ? <p className="badge mob-synthetic">{t('mob.synthetic')}</p> : null}
        <p className="small mb-3" data-testid="report-k">
          {t('mob.kNote', { k })}
        </p>
        {r.error ? <p className="text-danger">{t('common.error', { msg: r.error.message })}</p> : null}
        {r.loading && !d ? <p>{t('common.loading')}</p> : null}
        {d ? (
          <>
            <section className="mob-avoid-break" data-testid="report-figures">
              <h4 className="h5">{t('mob.keyFigures')}</h4>
              <TourismCards totals={d.figures} days={d.tourism.length} k={k} />
              <ul className="list-unstyled mb-3">
                {peak ? (
                  <li>
                    {t('mob.peakDay')}: <strong>{formatDay(peak.date, lang)}</strong>,{' '}
                    <CellText cell={peak.visitors} k={k} /> {t('mob.visitors').toLowerCase()}
                  </li>
                ) : null}
                {d.accuracy ? (
                  <li>
                    {t('mob.reportAccuracy', {
                      model: d.accuracy.model.mape === null ? '—' : formatNumber(d.accuracy.model.mape, lang, 1),
                      naive:
                        d.accuracy.seasonalNaive.mape === null
                          ? '—'
                          : formatNumber(d.accuracy.seasonalNaive.mape, lang, 1),
                      n: d.accuracy.weeks,
                    })}
                  </li>
                ) : null}
              </ul>
            </section>
            <section className="mob-avoid-break">
              <h4 className="h5">{t('mob.tourismChart')}</h4>
              <SvgLines
                title={t('mob.tourismChart')}
                testid="report-tourism-chart"
                labels={d.tourism.map((x) => `${x.date.slice(8, 10)}/${x.date.slice(5, 7)}`)}
                series={[
                  { label: t('mob.visitors'), values: d.tourism.map((x) => cellNumber(x.visitors)), colour: '#0066cc' },
                  {
                    label: t('mob.foreignVisitors'),
                    values: d.tourism.map((x) => cellNumber(x.foreign)),
                    colour: '#a61e4d',
                  },
                  {
                    label: t('mob.lastYearVisitors'),
                    values: d.tourism.map((x) => cellNumber(x.lastYear)),
                    colour: '#5c6f82',
                    dash: '6 4',
                  },
                ]}
              />
            </section>
            <section className="mob-avoid-break">
              <h4 className="h5">{t('mob.profilesTitle')}</h4>
              <SvgLines
                title={t('mob.profilesTitle')}
                testid="report-profiles-chart"
                labels={HOURS}
                series={DAY_TYPES.map((dt, i) => ({
                  label: t(`mob.day.${dt}`),
                  values: (d.profiles[dt] ?? []).map(cellNumber),
                  colour: DAY_COLOURS[i]!,
                  dash: i === 0 ? undefined : i === 1 ? '6 4' : '2 3',
                }))}
              />
            </section>
            {d.countries.length || d.provinces.length ? (
              <section className="mob-two mob-avoid-break">
                <div>
                  <h4 className="h5">{t('mob.reportCountries')}</h4>
                  <Bars items={bars(d.countries)} k={k} caption={t('mob.countriesCaption')} testid="report-countries" />
                </div>
                <div>
                  <h4 className="h5">{t('mob.reportProvinces')}</h4>
                  <Bars items={bars(d.provinces)} k={k} caption={t('mob.provincesCaption')} testid="report-provinces" />
                </div>
              </section>
            ) : null}
            <ReportTables flows={d.flows} events={d.events} k={k} />
          </>
        ) : null}
        <footer className="mob-report-foot small" data-testid="report-foot">
          <p className="mb-1">
            {t('mob.source')}: {d?.source ?? t('mob.sourceDefault')}
          </p>
          <p className="mb-0">{t('mob.generated', { when: formatDateTime(d?.generated ?? null, lang) })}</p>
        </footer>
      </article>
    </div>
  )
}
