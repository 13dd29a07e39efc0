/** The processed NGSI-LD core context (v1.9), built once from the built-in document. */
import { getCoreDocument } from './builtin.js'
import { processContext } from './process-context.js'
import type { ContextState } from './term-definition.js'

let coreState: ContextState | undefined

/** The core context's terms (all `core: true`, protected) and its @vocab. Do not mutate: clone it. */
export function getCoreState(): ContextState {
  if (!coreState) {
    const empty = (): ContextState => ({ terms: new Map(), vocab: undefined })
    coreState = processContext(empty(), getCoreDocument()['@context'], {
      contextOf: (url) => {
        throw new Error(`The built-in core context must not reference ${url}`)
      },
      isCore: () => true,
      initial: empty,
      core: true,
      maxDepth: 0,
    })
  }
  return coreState
}

/** Where user contexts start (and restart after a `null`): the core terms, so that `ngsi-ld:` etc. are usable. */
export function initialUserState(): ContextState {
  return { terms: new Map(getCoreState().terms), vocab: undefined }
}
