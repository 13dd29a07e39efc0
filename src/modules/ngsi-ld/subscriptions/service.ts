/**
 * Subscription operations (clauses 5.8.1 - 5.8.5): create, retrieve, query, update, delete, per tenant.
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../../../db/schema.js'
import { AppError } from '../../../errors.js'
import type { ActiveContext, ContextResolver } from '../context/index.js'
import { parseSubscription } from './parse.js'
import * as repo from './repo.js'

export interface SubscriptionServiceDeps {
  db: Kysely<DB>
  resolver: ContextResolver
  /** Called after a change (the delivery workers may have a periodic subscription to start). */
  changed?: () => void
}

const notFound = (id: string) => new AppError('ResourceNotFound', `Subscription ${id} does not exist`)

export function createSubscriptionService(deps: SubscriptionServiceDeps) {
  const { db, resolver } = deps

  /** jsonldContext must be usable for compacting notifications: resolve it now (400/503 otherwise). */
  async function checkContext(body: unknown): Promise<void> {
    const url = (body as { jsonldContext?: unknown } | null)?.jsonldContext
    if (typeof url === 'string' && /^https?:\/\/\S+$/.test(url)) await resolver.resolve(url)
  }

  return {
    async create(tenant: string, ctx: ActiveContext, body: unknown): Promise<string> {
      const parsed = parseSubscription(body, ctx)
      await checkContext(body)
      const id = parsed.id ?? `urn:ngsi-ld:Subscription:${randomUUID()}`
      const ok = await repo.insertSubscription(db, tenant, id, { view: parsed.view, def: parsed.def }, ctx.value)
      if (!ok) throw new AppError('AlreadyExists', `Subscription ${id} already exists`)
      deps.changed?.()
      return id
    },

    async get(tenant: string, id: string): Promise<repo.SubscriptionRow> {
      const s = await repo.getSubscription(db, tenant, id)
      if (!s) throw notFound(id)
      return s
    },

    async list(tenant: string, page: { limit: number; offset: number; count: boolean }) {
      const [rows, count] = await Promise.all([
        repo.listSubscriptions(db, tenant, page),
        page.count ? repo.countSubscriptions(db, tenant) : Promise.resolve(undefined),
      ])
      return { rows, count }
    },

    async update(tenant: string, ctx: ActiveContext, id: string, body: unknown): Promise<void> {
      if (body && typeof body === 'object' && 'id' in body && (body as { id: unknown }).id !== id) {
        throw new AppError('BadRequestData', 'The id of the payload differs from the subscription id of the URL')
      }
      // Parse once before the transaction, so that bad input fails without locking anything.
      const before = await repo.getSubscription(db, tenant, id)
      if (!before) throw notFound(id)
      parseSubscription(body, ctx, { stored: before })
      await checkContext(body)
      const done = await repo.updateSubscription(db, tenant, id, (cur) => {
        const next = parseSubscription(body, ctx, { stored: cur })
        return { view: next.view, def: next.def }
      })
      if (!done) throw notFound(id)
      deps.changed?.()
    },

    async delete(tenant: string, id: string): Promise<void> {
      if (!(await repo.deleteSubscription(db, tenant, id))) throw notFound(id)
    },
  }
}

export type SubscriptionService = ReturnType<typeof createSubscriptionService>
