/** JSON-LD @context handling for the NGSI-LD broker. */
export { coreActiveContext, JsonLdActiveContext } from './active-context.js'
export {
  type BuiltinContextInfo,
  type BuiltinKind,
  CORE_CONTEXT_URL,
  DEFAULT_RESPONSE_CONTEXT,
  DEFAULT_VOCAB,
  dataDir,
  getBuiltinDocument,
  isBuiltinContextUrl,
  isCoreContextUrl,
  listBuiltinContexts,
} from './builtin.js'
export { type ContextDocument, getContextDocument } from './documents.js'
export { contextLinkHeader, JSONLD_CONTEXT_REL, type LinkValue, parseLinkHeader, parseLinks } from './link-header.js'
export { contextFromRequest, mediaType, type RequestContextInput } from './request-context.js'
export {
  type ContextResolver,
  type ContextResolverOptions,
  contextKey,
  createContextResolver,
} from './resolver.js'
export { MemoryContextStore } from './memory-store.js'
export type { ActiveContext, ContextStore } from './types.js'
