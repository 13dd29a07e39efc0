/**
 * The point projection (`ngsi_entity_geo`) loses its foreign key to `ngsi_entities`. The key checked every projected
 * geometry with a query of its own (and a share lock on the entity row just written), about a fifth of the cost of
 * projecting a batch; every row it checks was written in the same transaction as its entity, by the only code that
 * writes the table (repo.syncGeo). Deleting an entity deletes its geometries in the same statement (repo.deleteEntities)
 * instead of by cascade.
 */
export default `
ALTER TABLE ngsi_entity_geo DROP CONSTRAINT IF EXISTS ngsi_entity_geo_tenant_entity_id_fkey;
DELETE FROM ngsi_entity_geo g
  WHERE NOT EXISTS (SELECT 1 FROM ngsi_entities e WHERE e.tenant = g.tenant AND e.id = g.entity_id);
`
