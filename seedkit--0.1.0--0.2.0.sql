/* seedkit--0.1.0--0.2.0.sql: update seedkit from 0.1.0 to 0.2.0 */

\echo Use "ALTER EXTENSION seedkit UPDATE TO '0.2.0'" to load this file. \quit

-- A fresh install runs seedkit--0.1.0.sql, then this file (contrib's way):
-- every change to the SQL API after 0.1.0 is written here, and only here.

-- issue 10, item 3: seedkit_fake may insert the database secret into
-- seedkit.secret on first use, so it is not STABLE.
ALTER FUNCTION @extschema@.seedkit_fake(pg_catalog.text, anyelement, pg_catalog.jsonb) VOLATILE;
-- Issue 10, item 4 (search_path): the view seedkit.flags and the policy
-- flag_owner name every operator with its schema.  0.1.0 wrote a bare "="
-- between oid and regclass, for which pg_catalog has no exact operator: an
-- operator of the creating schema taking exactly those types would have
-- been bound into them at CREATE EXTENSION.
CREATE OR REPLACE VIEW seedkit.flags AS
SELECT f.tbl AS "table", a.attname AS "column", f.strategy, f.options
FROM seedkit.flag f
JOIN pg_catalog.pg_attribute a
  ON a.attrelid OPERATOR(pg_catalog.=) f.tbl::pg_catalog.oid
 AND a.attnum OPERATOR(pg_catalog.>) 0::pg_catalog.int2 AND NOT a.attisdropped
 AND CASE WHEN f.tbl::pg_catalog.oid OPERATOR(pg_catalog.=) f.relid_seen
		  THEN a.attnum OPERATOR(pg_catalog.=) f.attnum
		  ELSE a.attname OPERATOR(pg_catalog.=) f.attname END;
ALTER POLICY flag_owner ON seedkit.flag
	USING (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
						WHERE c.oid OPERATOR(pg_catalog.=) tbl::pg_catalog.oid)
		   OR pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c
									   WHERE c.oid OPERATOR(pg_catalog.=) tbl::pg_catalog.oid), 'USAGE'))
	WITH CHECK (pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c
										 WHERE c.oid OPERATOR(pg_catalog.=) tbl::pg_catalog.oid), 'USAGE'));

-- Issue 14 (restore into a living database): seedkit_restore takes reuse
-- and schema_map after overrides, and mode 'merge'.  New parameters with
-- defaults change the signature, so both forms are dropped and created
-- again; every positional and named call of 0.1.0 keeps working.
DROP FUNCTION @extschema@.seedkit_restore(pg_catalog.json, pg_catalog.text, pg_catalog.jsonb);
CREATE FUNCTION @extschema@.seedkit_restore(snapshot pg_catalog.json,
								mode pg_catalog.text DEFAULT 'append',
								overrides pg_catalog.jsonb DEFAULT NULL,
								reuse pg_catalog.jsonb DEFAULT NULL,
								schema_map pg_catalog.jsonb DEFAULT NULL)
RETURNS TABLE(table_name pg_catalog.regclass, "rows" pg_catalog.int8)
AS 'MODULE_PATHNAME', 'seedkit_restore'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_restore(pg_catalog.json, pg_catalog.text, pg_catalog.jsonb, pg_catalog.jsonb, pg_catalog.jsonb)
	IS 'restore a seedkit/1 document: fresh keys in append mode, the document''s keys after emptying the tables in replace mode, existing keys updated in merge mode; reuse matches rows already there, schema_map renames schemas';

DROP FUNCTION @extschema@.seedkit_restore(pg_catalog.text, pg_catalog.text, pg_catalog.jsonb);
CREATE FUNCTION @extschema@.seedkit_restore(name pg_catalog.text,
								mode pg_catalog.text DEFAULT 'append',
								overrides pg_catalog.jsonb DEFAULT NULL,
								reuse pg_catalog.jsonb DEFAULT NULL,
								schema_map pg_catalog.jsonb DEFAULT NULL)
RETURNS TABLE(table_name pg_catalog.regclass, "rows" pg_catalog.int8)
AS 'MODULE_PATHNAME', 'seedkit_restore_name'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_restore(pg_catalog.text, pg_catalog.text, pg_catalog.jsonb, pg_catalog.jsonb, pg_catalog.jsonb)
	IS 'restore the caller''s stored snapshot of that name';

DROP FUNCTION @extschema@.seedkit_restore_file(pg_catalog.text, pg_catalog.text, pg_catalog.jsonb);
CREATE FUNCTION @extschema@.seedkit_restore_file(path pg_catalog.text,
									 mode pg_catalog.text DEFAULT 'append',
									 overrides pg_catalog.jsonb DEFAULT NULL,
									 reuse pg_catalog.jsonb DEFAULT NULL,
									 schema_map pg_catalog.jsonb DEFAULT NULL)
RETURNS TABLE(table_name pg_catalog.regclass, "rows" pg_catalog.int8)
AS 'MODULE_PATHNAME', 'seedkit_restore_file'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_restore_file(pg_catalog.text, pg_catalog.text, pg_catalog.jsonb, pg_catalog.jsonb, pg_catalog.jsonb)
	IS 'restore a document from a file on the server (up to 2 GB, past the 1 GB limit of a json value)';

-- issue 13, section 5 (finding personal data): seedkit_suggest_flags
CREATE FUNCTION @extschema@.seedkit_suggest_flags(schemas pg_catalog.name[] DEFAULT NULL)
RETURNS TABLE(table_name pg_catalog.regclass, column_name pg_catalog.name, strategy pg_catalog.text,
			  options pg_catalog.jsonb, reason pg_catalog.text, confidence pg_catalog.float4)
AS 'MODULE_PATHNAME', 'seedkit_suggest_flags'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_suggest_flags(pg_catalog.name[])
	IS 'columns and json fields that look like personal data (by name in several languages, and by a sample of values), with a strategy to flag them with; never shows a value';

-- issue 13, section 5 (flagged data that stays elsewhere): seedkit_check
CREATE FUNCTION @extschema@.seedkit_check()
RETURNS TABLE(table_name pg_catalog.regclass, column_name pg_catalog.name,
			  flagged_table pg_catalog.regclass, flagged_column pg_catalog.name, reason pg_catalog.text)
AS 'MODULE_PATHNAME', 'seedkit_check'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_check()
	IS 'materialized views and tables (without a foreign key to it) whose column of the same name and type holds copies of a flagged column''s values, before or after seedkit_anonymise';
-- Issue 13, item 3 (inside JSON and arrays): seedkit_fake_inside applies a
-- strategy to each element of an array, or at option "path" inside a json
-- or jsonb document; snapshots call it for such flags.
CREATE FUNCTION @extschema@.seedkit_fake_inside(strategy pg_catalog.text, value anyelement,
												options pg_catalog.jsonb DEFAULT '{}')
RETURNS anyelement
AS 'MODULE_PATHNAME', 'seedkit_fake_inside'
LANGUAGE C VOLATILE PARALLEL RESTRICTED SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_fake_inside(pg_catalog.text, anyelement, pg_catalog.jsonb)
	IS 'deterministic keyed fakes inside a value: each element of an array, or the values at options'' path in a json or jsonb document';
