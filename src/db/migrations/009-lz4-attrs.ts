/**
 * `attrs` of an entity is stored compressed (its JSON passes the ~2 kB at which PostgreSQL compresses a row), and every
 * write compresses the whole document again, every read decompresses it. LZ4 does both several times faster than
 * PostgreSQL's default pglz, for a slightly larger row. Only values written from now on use it (the others are
 * converted as they are rewritten). A build without LZ4 (the embedded database) keeps pglz.
 */
export default `
DO $do$
BEGIN
  ALTER TABLE ngsi_entities ALTER COLUMN attrs SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  RAISE NOTICE 'lz4 is not available: attrs stay compressed with pglz';
END
$do$;
`
