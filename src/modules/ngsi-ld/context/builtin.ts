/**
 * Built-in JSON-LD contexts: the NGSI-LD core context (ETSI) and the FIWARE Smart Data Models domain contexts, shipped
 * in `data/contexts/`. Their public URLs are answered from disk and never fetched. Files are read lazily, once.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The unversioned core context URL. */
export const CORE_CONTEXT_URL = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld'
/** The core context URL of the targeted API version, echoed in responses when the client gave no context. */
export const DEFAULT_RESPONSE_CONTEXT = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld'
/** The core context's `@vocab`: where terms that no context defines end up. */
export const DEFAULT_VOCAB = 'https://uri.etsi.org/ngsi-ld/default-context/'

const CORE_FILE = 'ngsi-ld-core-context-v1.9.jsonld'
const CORE_V14_FILE = 'ngsi-ld-core-context-v1.4.jsonld'
const SDM_DIR = 'smart-data-models'

export type BuiltinKind = 'Core' | 'SmartDataModels'

export interface BuiltinContextInfo {
  readonly url: string
  readonly kind: BuiltinKind
  /** Path relative to `data/contexts/`. */
  readonly file: string
  /** The Smart Data Models domain, for SDM contexts. */
  readonly domain?: string
}

let cachedDataDir: string | undefined

/**
 * The repository's `data/` directory. Walks up from this module (works from `src/` under Vitest and from `dist/`)
 * to the first directory holding a `package.json`, preferring one that also holds `data/contexts`.
 */
export function dataDir(): string {
  if (cachedDataDir) return cachedDataDir
  let dir = path.dirname(fileURLToPath(import.meta.url))
  let firstPackageDir: string | undefined
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      firstPackageDir ??= dir
      if (fs.existsSync(path.join(dir, 'data', 'contexts'))) {
        cachedDataDir = path.join(dir, 'data')
        return cachedDataDir
      }
    }
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  if (!firstPackageDir) throw new Error('Cannot locate the Urbe package root (no package.json above the module)')
  cachedDataDir = path.join(firstPackageDir, 'data')
  return cachedDataDir
}

let registry: Map<string, BuiltinContextInfo> | undefined

function buildRegistry(): Map<string, BuiltinContextInfo> {
  const map = new Map<string, BuiltinContextInfo>()
  const core = (url: string, file: string) => map.set(url, { url, kind: 'Core', file })
  core(CORE_CONTEXT_URL, CORE_FILE)
  for (let minor = 0; minor <= 9; minor++) {
    core(
      `https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.${minor}.jsonld`,
      minor === 4 ? CORE_V14_FILE : CORE_FILE,
    )
  }
  const sdmDir = path.join(dataDir(), 'contexts', SDM_DIR)
  const files = fs.existsSync(sdmDir) ? fs.readdirSync(sdmDir).filter((f) => f.endsWith('.jsonld')) : []
  for (const f of files.sort()) {
    const domain = f.slice(0, -'.jsonld'.length)
    const file = `${SDM_DIR}/${f}`
    for (const url of [
      `https://raw.githubusercontent.com/smart-data-models/dataModel.${domain}/master/context.jsonld`,
      `https://smart-data-models.github.io/dataModel.${domain}/context.jsonld`,
    ]) {
      map.set(url, { url, kind: 'SmartDataModels', file, domain })
    }
  }
  return map
}

function getRegistry(): Map<string, BuiltinContextInfo> {
  registry ??= buildRegistry()
  return registry
}

export function isBuiltinContextUrl(url: string): boolean {
  return getRegistry().has(url)
}

/** True for every URL of the NGSI-LD core context (any version): it is always applied last, whatever the client says. */
export function isCoreContextUrl(url: string): boolean {
  return getRegistry().get(url)?.kind === 'Core'
}

export function listBuiltinContexts(): BuiltinContextInfo[] {
  return [...getRegistry().values()]
}

const documents = new Map<string, Readonly<Record<string, unknown>>>()

function readJsonFile(file: string): Record<string, unknown> {
  const text = fs.readFileSync(path.join(dataDir(), 'contexts', file), 'utf8').replace(/^\uFEFF/, '')
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    // Some published copies carry a line with their URL before the JSON (the v1.4 core context does): skip it.
    const start = text.indexOf('{')
    doc = start > 0 ? JSON.parse(text.slice(start)) : undefined
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !('@context' in doc)) {
    throw new Error(`Built-in context ${file} is not a JSON-LD context document`)
  }
  return doc as Record<string, unknown>
}

/** The document (`{ "@context": ... }`) of a built-in context URL, or undefined if the URL is not built in. */
export function getBuiltinDocument(url: string): Readonly<Record<string, unknown>> | undefined {
  const info = getRegistry().get(url)
  if (!info) return undefined
  let doc = documents.get(info.file)
  if (!doc) {
    doc = deepFreeze(readJsonFile(info.file))
    documents.set(info.file, doc)
  }
  return doc
}

/** The core context document that is applied to every request (v1.9). */
export function getCoreDocument(): Readonly<Record<string, unknown>> {
  return getBuiltinDocument(CORE_CONTEXT_URL)!
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}
