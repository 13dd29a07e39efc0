/**
 * Records notifications in the outbox inside the write transaction, with one statement whatever the number of
 * changes and subscriptions: the candidate (subscription, entity) pairs travel as arrays and each subscription's
 * condition (q, geoQ, scopeQ, selectors) is checked in SQL against the entity's new state, read from
 * `ngsi_entities` (or, for a deleted entity, its last state sent as parameters, with its geometries rebuilt in a CTE
 * that stands in for `ngsi_entity_geo`). The entity travels with the notification as it was at that moment.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { DB } from '../../../db/schema.js'
import type { AttrChange } from '../format/index.js'
import type { StoredEntity } from '../model.js'
import type { CompiledSubscription, Fired } from './compile.js'

export const NOTIFY_CHANNEL = 'urbe_ngsi_notifications'

export interface Candidate {
  sub: CompiledSubscription
  entityId: string
  fired: Fired
  /** The last state of a deleted entity. */
  deleted?: StoredEntity
}

/** What the notification needs of a change: the attribute, kind, and (showChanges, deletions) the previous instance. */
export function changesJson(c: Candidate): string | null {
  const show = c.sub.def.notification.showChanges
  const list = c.fired.changes.map((x: AttrChange) => {
    const out: Record<string, unknown> = { a: x.attr, k: x.kind }
    if (x.datasetId !== undefined) out.d = x.datasetId
    if (x.previous && (show || x.kind === 'deleted')) out.p = show ? x.previous : { type: x.previous.type }
    return out
  })
  return list.length ? JSON.stringify(list) : null
}

const keepJson = (s: CompiledSubscription) => {
  const a = s.def.notification.attributes
  return a ? JSON.stringify(a) : null
}

function conditions(subs: CompiledSubscription[], column: RawBuilder<unknown>): RawBuilder<boolean> {
  const withWhere = subs.filter((s) => s.where)
  if (withWhere.length === 0) return sql<boolean>`true`
  const whens = withWhere.map((s) => sql`WHEN ${s.id} THEN ${s.where!}`)
  return sql<boolean>`(CASE ${column} ${sql.join(whens, sql` `)} ELSE true END)`
}

const filteredAttrs = sql`CASE WHEN c.keep IS NULL THEN e.attrs ELSE (SELECT coalesce(jsonb_object_agg(x.k, x.v), '{}'::jsonb)
  FROM jsonb_each(e.attrs) x(k, v) WHERE c.keep::jsonb ? x.k) END`

const jsonArray = (col: RawBuilder<unknown>) => sql`ARRAY(SELECT jsonb_array_elements_text(${col}::jsonb))`

/** Inserts the notifications of the candidates whose entity satisfies their subscription; returns how many. */
export async function recordNotifications(
  trx: Kysely<DB>,
  tenant: string,
  candidates: Candidate[],
  opts: { notify: boolean },
): Promise<number> {
  const live = candidates.filter((c) => !c.deleted)
  const gone = candidates.filter((c) => c.deleted)
  const subsOf = (list: Candidate[]) => [...new Set(list.map((c) => c.sub))]
  const selects: RawBuilder<unknown>[] = []
  if (live.length) {
    selects.push(sql`SELECT c.sub, e.id, c.trig, c.changes::jsonb AS changes, e.types, e.scopes, ${filteredAttrs} AS attrs,
        e.created_at, e.modified_at, c.ord
      FROM unnest(${live.map((c) => c.sub.id)}::text[], ${live.map((c) => c.entityId)}::text[],
        ${live.map((c) => c.fired.trigger)}::text[], ${live.map(changesJson)}::text[], ${live.map((c) => keepJson(c.sub))}::text[])
        WITH ORDINALITY AS c(sub, id, trig, changes, keep, ord)
      JOIN ngsi_entities e ON e.tenant = ${tenant} AND e.id = c.id
      WHERE ${conditions(subsOf(live), sql.ref('c.sub'))}`)
  }
  let geoCte: RawBuilder<unknown> | undefined
  if (gone.length) {
    const d = gone.map((c) => c.deleted!)
    selects.push(sql`SELECT e.sub, e.id, e.trig, e.changes::jsonb, e.types, e.scopes, NULL::jsonb, e.created_at,
        now(), e.ord + 1000000000
      FROM (SELECT ${tenant}::text AS tenant, u.sub, u.id, u.trig, u.changes, ${jsonArray(sql.ref('u.types'))} AS types,
          CASE WHEN u.scopes IS NULL THEN NULL ELSE ${jsonArray(sql.ref('u.scopes'))} END AS scopes,
          u.attrs::jsonb AS attrs, u.created::timestamptz AS created_at, u.ord
        FROM unnest(${gone.map((c) => c.sub.id)}::text[], ${gone.map((c) => c.entityId)}::text[],
          ${gone.map((c) => c.fired.trigger)}::text[], ${gone.map(changesJson)}::text[],
          ${d.map((e) => JSON.stringify(e.types))}::text[],
          ${d.map((e) => (e.scopes?.length ? JSON.stringify(e.scopes) : null))}::text[],
          ${d.map((e) => JSON.stringify(e.attrs))}::text[], ${d.map((e) => e.createdAt)}::text[])
          WITH ORDINALITY AS u(sub, id, trig, changes, types, scopes, attrs, created, ord)) e
      WHERE ${conditions(subsOf(gone), sql.ref('e.sub'))}`)
    if (gone.some((c) => c.sub.hasGeo && c.sub.where)) {
      // A deleted entity's geometries are gone from ngsi_entity_geo: rebuild them from its last state, beside the
      // real rows of the other changed entities (a CTE named like the table stands in for it in this statement).
      geoCte = sql`ngsi_entity_geo AS (
        SELECT g.tenant, g.entity_id, g.attr, g.dataset_id, g.geom FROM ngsi_entity_geo g
          WHERE g.tenant = ${tenant} AND g.entity_id = ANY(${live.map((c) => c.entityId)}::text[])
        UNION ALL
        SELECT ${tenant}::text, u.id, a.k, coalesce(i->>'datasetId', ''), ST_SetSRID(ST_GeomFromGeoJSON(i->'value'), 4326)
          FROM unnest(${gone.map((c) => c.entityId)}::text[], ${d.map((e) => JSON.stringify(e.attrs))}::text[]) AS u(id, attrs),
            jsonb_each(u.attrs::jsonb) a(k, v), jsonb_array_elements(a.v) i
          WHERE i->>'type' = 'GeoProperty' AND i ? 'value'), `
    }
  }
  if (selects.length === 0) return 0
  const notify = opts.notify
    ? sql`, (SELECT count(*) FROM (SELECT pg_notify(${NOTIFY_CHANNEL}, '') FROM ins LIMIT 1) z) AS notified`
    : sql``
  const r = await sql<{ n: number }>`WITH ${geoCte ?? sql``} ins AS (
      INSERT INTO ngsi_notifications (tenant, subscription_id, entity_id, trigger, changes, types, scopes, attrs,
        created_at, modified_at)
      SELECT ${tenant}, x.sub, x.id, x.trig, x.changes, x.types, x.scopes, x.attrs, x.created_at, x.modified_at
      FROM (${sql.join(selects, sql` UNION ALL `)}) AS x(sub, id, trig, changes, types, scopes, attrs, created_at,
        modified_at, ord)
      ORDER BY x.ord
      RETURNING 1)
    SELECT count(*)::int AS n ${notify} FROM ins`.execute(trx)
  return Number(r.rows[0]?.n ?? 0)
}
