/** SQL of the temporal write operations that change or remove history (clauses 5.6.13 - 5.6.16). */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../../../db/schema.js'
import type { HistoryRow } from './history-rows.js'
import { epochMs, type InstanceRow, type RawInstanceRow, seriesMatch, toInstanceRow } from './repo.js'

type Db = Kysely<DB>

/** The rows of one entity's attribute (the series index, then entity_id and attr against a hash collision). */
const series = (id: string, attr: string) => sql`${seriesMatch(sql`${id}::text`, sql`${attr}::text`)}
  AND h.entity_id = ${id} AND h.attr = ${attr}`

/**
 * Gives the current entity's row a new version and nothing else. Whatever removes from a temporal record calls it
 * first: a direct write (group-commit.ts) that read the record before it then finds the row changed and goes the
 * transactional way, which registers the entity again (it would otherwise skip a registration the record no longer
 * holds); and the locks are taken in the order writes take them, entity then record.
 */
export async function fenceEntity(trx: Db, tenant: string, id: string): Promise<void> {
  await sql`UPDATE ngsi_entities SET modified_at = modified_at WHERE tenant = ${tenant} AND id = ${id}`.execute(trx)
}

/** Deletes the temporal representation of an entity (all the attributes it ever had); false when there was none. */
export async function deleteTemporalEntity(trx: Db, tenant: string, id: string): Promise<boolean> {
  const r = await sql<{
    attr_names: string[]
  }>`DELETE FROM ngsi_temporal_entities WHERE tenant = ${tenant} AND id = ${id}
    RETURNING attr_names`.execute(trx)
  const names = r.rows[0]?.attr_names
  if (!names) return false
  if (names.length) {
    await sql`DELETE FROM ngsi_attr_history h USING unnest(${names}::text[]) AS k(a)
      WHERE h.tenant = ${tenant} AND ${seriesMatch(sql`${id}::text`, sql`k.a`)} AND h.entity_id = ${id}`.execute(trx)
  }
  return true
}

/**
 * Deletes the instances of an attribute: of the default dataset, of `datasetId`, or of all (`deleteAll`). Returns how
 * many; the attribute leaves the entity's attribute names when it has no instance left.
 */
export async function deleteAttrHistory(
  trx: Db,
  tenant: string,
  id: string,
  attr: string,
  opts: { datasetId?: string; deleteAll?: boolean },
): Promise<number> {
  const ds = opts.deleteAll ? sql`` : sql`AND h.dataset_id = ${opts.datasetId ?? ''}`
  const r = await sql<{ n: number }>`WITH d AS (DELETE FROM ngsi_attr_history h
      WHERE h.tenant = ${tenant} AND ${series(id, attr)} ${ds} RETURNING 1)
    SELECT count(*)::int AS n FROM d`.execute(trx)
  const n = Number(r.rows[0]?.n ?? 0)
  if (n > 0) {
    await sql`UPDATE ngsi_temporal_entities SET attr_names = array_remove(attr_names, ${attr})
      WHERE tenant = ${tenant} AND id = ${id} AND NOT EXISTS (SELECT 1 FROM ngsi_attr_history h
        WHERE h.tenant = ${tenant} AND ${series(id, attr)})`.execute(trx)
  }
  return n
}

/** One instance, locked. */
export async function lockInstance(
  trx: Db,
  tenant: string,
  id: string,
  attr: string,
  instanceId: string,
): Promise<InstanceRow | undefined> {
  const observed = epochMs(sql`h.observed_at`)
  const r = await sql<RawInstanceRow>`SELECT h.entity_id, h.attr, h.dataset_id, h.instance_id::text AS instance_id,
      ${observed} AS t, ${observed} AS observed_at, ${epochMs(sql`h.created_at`)} AS created_at,
      ${epochMs(sql`h.modified_at`)} AS modified_at, h.deleted, h.inst
    FROM ngsi_attr_history h
    WHERE h.tenant = ${tenant} AND ${series(id, attr)} AND h.instance_id = ${instanceId}::uuid
    FOR UPDATE`.execute(trx)
  return r.rows[0] && toInstanceRow(r.rows[0])
}

/** Rewrites one instance (its time may move it to another monthly partition). */
export async function updateInstance(
  trx: Db,
  tenant: string,
  instanceId: string,
  row: Pick<HistoryRow, 'entityId' | 'attr' | 'time' | 'modifiedAt' | 'num' | 'inst'>,
): Promise<void> {
  await sql`UPDATE ngsi_attr_history h SET observed_at = ${row.time}::timestamptz,
      modified_at = ${row.modifiedAt}::timestamptz, num = ${row.num}::float8, inst = ${JSON.stringify(row.inst)}::jsonb
    WHERE h.tenant = ${tenant} AND ${series(row.entityId, row.attr)} AND h.instance_id = ${instanceId}::uuid`.execute(
    trx,
  )
}

export async function deleteInstance(
  trx: Db,
  tenant: string,
  id: string,
  attr: string,
  instanceId: string,
): Promise<boolean> {
  const r = await sql`DELETE FROM ngsi_attr_history h WHERE h.tenant = ${tenant} AND ${series(id, attr)}
    AND h.instance_id = ${instanceId}::uuid RETURNING 1`.execute(trx)
  return r.rows.length > 0
}
