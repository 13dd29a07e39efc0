import fs from 'node:fs'
import { prepareTemplate, templateDir } from './test-db.js'

export default async function setup() {
  process.env.URBE_TEST_RUN_ID ??= `${process.pid}`
  await prepareTemplate()
  return () => fs.rmSync(templateDir(), { recursive: true, force: true })
}
