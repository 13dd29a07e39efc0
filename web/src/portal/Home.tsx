import { Icon } from '../components/Icon'
import { Layout } from '../components/Layout'
import { Link } from '../components/Link'
import { formatNumber } from '../format'
import { useI18n } from '../i18n'
import type { Tenant } from '../types'
import { tenantList, tenantSlug } from './tenant'
import { useEffect, useState } from 'react'

export function Home() {
  const { t, lang } = useI18n()
  const [data, setData] = useState<Tenant[]>()
  const [error, setError] = useState<Error>()
  useEffect(() => {
    tenantList().then(setData, setError)
  }, [])
  const tenants = { data, error, loading: !data && !error }
  return (
    <Layout title="Urbe">
      <h1>{t('home.title')}</h1>
      <p className="lead">{t('home.intro')}</p>
      {tenants.error ? (
        <div className="alert alert-danger">{t('common.error', { msg: tenants.error.message })}</div>
      ) : null}
      {tenants.loading ? <p>{t('common.loading')}</p> : null}
      <div className="row">
        {(tenants.data ?? []).map((c) => (
          <div className="col-12 col-md-6 col-lg-4 mb-4" key={c.id}>
            <div className="card-wrapper card-space">
              <div className="card card-bg shadow-sm">
                <div className="card-body">
                  <h2 className="card-title h4">
                    <Icon name="it-pa" className="me-2" />
                    {c.name}
                  </h2>
                  <p className="card-text">
                    {[c.province, c.region].filter(Boolean).join(' · ')}
                    {c.population ? (
                      <>
                        <br />
                        {t('home.population', { n: formatNumber(c.population, lang, 0) })}
                      </>
                    ) : null}
                  </p>
                  <Link
                    className="btn btn-primary"
                    href={`/${tenantSlug(c)}`}
                    aria-label={t('home.open', { name: c.name })}
                  >
                    {c.name}
                  </Link>
                </div>
              </div>
            </div>
          </div>
        ))}
      </div>
    </Layout>
  )
}
