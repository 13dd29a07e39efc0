/**
 * The series index of the history (`ngsi_attr_history_series`) ordered by entity first. Keyed on the series hash
 * alone, the attributes of one entity landed on unrelated leaf pages, so that a write of 1,000 entities with 8
 * attributes each touched some 8,000 pages of the index (each a likely cache miss, and after a checkpoint a full page
 * in the WAL); led by a hash of the entity id, those 8 rows share a page. Series reads name both hashes
 * (`seriesMatch` in src/modules/ngsi-ld/temporal/repo.ts); the index still covers the numbers for index-only
 * aggregation. Adding the stored column rewrites the history once.
 */
export default `
ALTER TABLE ngsi_attr_history ADD COLUMN eid bigint GENERATED ALWAYS AS (hashtextextended(entity_id, 0)) STORED;
DROP INDEX ngsi_attr_history_series;
CREATE INDEX ngsi_attr_history_series ON ngsi_attr_history (eid, sid, observed_at)
  INCLUDE (tenant, dataset_id, num, deleted);
`
