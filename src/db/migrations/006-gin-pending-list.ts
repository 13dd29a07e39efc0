/**
 * The GIN index on `attrs` takes new entries into its pending list (`fastupdate`), merged in bulk when the list
 * reaches 1 MB (by the writer that crosses it, or by autovacuum on PostgreSQL), instead of inserting every entry of
 * every written entity into the tree at once: each write of an entity replaces all its ~45 entries (modifiedAt and
 * observedAt are inside the document), which made the index the largest single cost of PATCH and batch writes.
 * A query scans the pending list too, which the 1 MB limit keeps small.
 */
export default `
ALTER INDEX ngsi_entities_attrs_gin SET (fastupdate = on, gin_pending_list_limit = 1024);
`
