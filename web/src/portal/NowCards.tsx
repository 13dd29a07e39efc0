import { useEffect } from 'react'
import { formatNumber, formatRelative } from '../format'
import { type MessageKey, useI18n } from '../i18n'
import type { CityNow } from '../types'
import { takeCity } from '../boot'
import { useFetch } from '../use-fetch'

/** Relative humidity comes as 0..1 (Smart Data Models) or as a percentage. */
const pct = (v: number | undefined) => (v === undefined ? undefined : v <= 1 ? v * 100 : v)

const AIR_COLOURS = ['#50f0e6', '#50ccaa', '#f0e641', '#ff5050', '#960032', '#7d2181']

/** "La città ora": air quality index, weather, traffic, free parking, energy used today. */
export function NowCards({ tenantId }: { tenantId: string }) {
  const { t, lang } = useI18n()
  const now = useFetch<CityNow>(`/api/portal/${tenantId}/now`, undefined, () => takeCity(tenantId, 'now'))
  const { reload } = now
  useEffect(() => {
    const timer = setInterval(reload, 60_000)
    return () => clearInterval(timer)
  }, [reload])
  const n = now.data
  const num = (v: number | undefined | null, d?: number) =>
    v === undefined || v === null ? '—' : formatNumber(v, lang, d)
  return (
    <section aria-labelledby="now-title" className="mb-4" data-testid="city-now">
      <h2 id="now-title" className="h3">
        {t('city.now')}
        {n?.at ? (
          <small className="ms-2 fs-6 fw-normal text-muted">
            {t('common.updated', { when: formatRelative(n.at, lang) })}
          </small>
        ) : null}
      </h2>
      {now.error ? <div className="alert alert-warning">{t('common.error', { msg: now.error.message })}</div> : null}
      {!n && !now.error ? <p>{t('common.loading')}</p> : null}
      {n ? (
        <div className="now-grid">
          <article className="now-card" data-testid="now-air">
            <h3>{t('now.air')}</h3>
            {n.air ? (
              <>
                <div className="big">
                  <span
                    className="swatch me-2"
                    style={{ background: AIR_COLOURS[n.air.index - 1] ?? '#999' }}
                    aria-hidden="true"
                  />
                  {t(`air.${Math.min(6, Math.max(1, n.air.index))}` as MessageKey)}
                </div>
                <p>
                  {t('now.airIndex', { n: n.air.index })} · {t('now.stations', { n: n.air.stations })}
                </p>
                <p>
                  NO₂ {num(n.air.no2)} · PM10 {num(n.air.pm10)} · PM2.5 {num(n.air.pm25)} µg/m³
                </p>
              </>
            ) : (
              <p>{t('common.none')}</p>
            )}
          </article>
          <article className="now-card" data-testid="now-weather">
            <h3>{t('now.weather')}</h3>
            {n.weather ? (
              <>
                <div className="big">{num(n.weather.temperature, 1)} °C</div>
                <p>
                  {t('now.humidity')} {num(pct(n.weather.relativeHumidity), 0)} % · {t('now.rain')}{' '}
                  {num(n.weather.precipitation, 1)} mm · {t('now.wind')} {num(n.weather.windSpeed, 1)} m/s
                </p>
              </>
            ) : (
              <p>{t('common.none')}</p>
            )}
          </article>
          <article className="now-card" data-testid="now-traffic">
            <h3>{t('now.traffic')}</h3>
            {n.traffic ? (
              <>
                <div className="big">
                  {num(n.traffic.intensity, 0)} <small className="fs-6">{t('now.vehiclesPerHour')}</small>
                </div>
                <p>{t('now.avgSpeed', { v: `${num(n.traffic.averageVehicleSpeed, 0)} km/h` })}</p>
                <p>{t('now.congested', { n: n.traffic.congested ?? 0, m: n.traffic.roads ?? 0 })}</p>
              </>
            ) : (
              <p>{t('common.none')}</p>
            )}
          </article>
          <article className="now-card" data-testid="now-parking">
            <h3>{t('now.parking')}</h3>
            {n.parking ? (
              <>
                <div className="big">{num(n.parking.free, 0)}</div>
                <p>{t('now.parkingOf', { m: num(n.parking.total, 0), n: n.parking.carParks })}</p>
              </>
            ) : (
              <p>{t('common.none')}</p>
            )}
          </article>
          <article className="now-card" data-testid="now-energy">
            <h3>{t('now.energy')}</h3>
            {n.energy ? (
              <>
                <div className="big">{num(n.energy.todayKWh, 0)} kWh</div>
                <p>{t('now.energyBuildings', { n: n.energy.buildings, kw: `${num(n.energy.powerKW, 1)} kW` })}</p>
              </>
            ) : (
              <p>{t('common.none')}</p>
            )}
          </article>
        </div>
      ) : null}
    </section>
  )
}
