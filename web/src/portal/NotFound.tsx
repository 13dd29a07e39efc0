import { Link } from '../components/Link'
import { Layout } from '../components/Layout'
import { useI18n } from '../i18n'

export function NotFound() {
  const { t } = useI18n()
  return (
    <Layout title="Urbe">
      <h1>{t('common.notFound')}</h1>
      <p>
        <Link href="/">{t('home.title')}</Link>
      </p>
    </Layout>
  )
}
