import fs from 'node:fs'
import { ensureBuilt } from '../../scripts/build.js'
import { prepareTemplate, templateDir } from './test-db.js'

export default async function setup() {
  process.env.URBE_TEST_RUN_ID ??= `${process.pid}`
  // Process tests run the built server (bin/urbe.js), so build it once here.
  await ensureBuilt({ quiet: true })
  await prepareTemplate()
  return () => fs.rmSync(templateDir(), { recursive: true, force: true })
}
