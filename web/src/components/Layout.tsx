import type { ReactNode } from 'react'
import { useI18n } from '../i18n'
import { Icon } from './Icon'
import { Link } from './Link'

/** Bootstrap Italia header (slim + centre), the language switch, the main region and the footer. */
export function Layout({
  title,
  subtitle,
  home = '/',
  children,
}: {
  title: string
  subtitle?: string
  home?: string
  children: ReactNode
}) {
  const { t, lang, setLang } = useI18n()
  const other = lang === 'it' ? 'en' : 'it'
  return (
    <>
      <div className="skiplinks">
        <a className="visually-hidden-focusable" href="#main">
          {t('nav.skip')}
        </a>
      </div>
      <header className="it-header-wrapper">
        <div className="it-header-slim-wrapper">
          <div className="container">
            <div className="row">
              <div className="col-12">
                <div className="it-header-slim-wrapper-content">
                  <Link className="navbar-brand" href="/">
                    Urbe · {t('nav.home')}
                  </Link>
                  <div className="it-header-slim-right-zone">
                    <nav aria-label="Urbe" className="d-flex gap-3 align-items-center">
                      <Link className="text-white" href="/console">
                        {t('nav.console')}
                      </Link>
                      <button
                        type="button"
                        className="btn btn-primary btn-sm"
                        lang={other}
                        aria-label={t('lang.switchLabel')}
                        data-testid="lang-switch"
                        onClick={() => setLang(other)}
                      >
                        {t('lang.switch')}
                      </button>
                    </nav>
                  </div>
                </div>
              </div>
            </div>
          </div>
        </div>
        <div className="it-nav-wrapper">
          <div className="it-header-center-wrapper">
            <div className="container">
              <div className="row">
                <div className="col-12">
                  <div className="it-header-center-content-wrapper">
                    <div className="it-brand-wrapper">
                      <Link href={home}>
                        <Icon name="it-map-marker-circle" />
                        <div className="it-brand-text">
                          <div className="it-brand-title">{title}</div>
                          <div className="it-brand-tagline d-none d-md-block">{subtitle ?? t('app.tagline')}</div>
                        </div>
                      </Link>
                    </div>
                  </div>
                </div>
              </div>
            </div>
          </div>
        </div>
      </header>
      <main id="main" className="container my-4" tabIndex={-1}>
        {children}
      </main>
      <footer className="it-footer">
        <div className="it-footer-small-prints clearfix">
          <div className="container">
            <p className="text-white py-3 mb-0">{t('footer.text')}</p>
          </div>
        </div>
      </footer>
    </>
  )
}
