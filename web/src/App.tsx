import { lazy, Suspense, useMemo, useState } from 'react'
import { I18nContext, initialLang, type Lang, makeI18n, saveLang } from './i18n'
import { CityPage } from './portal/CityPage'
import { Home } from './portal/Home'
import { NotFound } from './portal/NotFound'
import { match, usePath } from './router'

const SensorPage = lazy(() => import('./portal/SensorPage'))
const Console = lazy(() => import('./console/Console'))

export function Routes({ path }: { path: string }) {
  const p = path.split('?')[0]!
  if (p === '/' || p === '') return <Home />
  if (p === '/console' || p.startsWith('/console/')) return <Console path={p} />
  let m = match('/:tenant/sensori/:id', p)
  if (m) return <SensorPage tenant={m.tenant!} id={m.id!} />
  m = match('/:tenant', p)
  if (m && /^\d{6}$|^[a-z-]+$/i.test(m.tenant!)) return <CityPage tenant={m.tenant!} />
  return <NotFound />
}

export function App() {
  const [lang, setLangState] = useState<Lang>(() => {
    const l = initialLang()
    saveLang(l)
    return l
  })
  const path = usePath()
  const i18n = useMemo(
    () =>
      makeI18n(lang, (l) => {
        saveLang(l)
        setLangState(l)
      }),
    [lang],
  )
  return (
    <I18nContext.Provider value={i18n}>
      <Suspense fallback={<p className="container my-4">{i18n.t('common.loading')}</p>}>
        <Routes path={path} />
      </Suspense>
    </I18nContext.Provider>
  )
}
