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

-- issue 13, item 1 (word lists from Faker): the locales and what each supports
CREATE FUNCTION @extschema@.seedkit_locales()
RETURNS TABLE(locale pg_catalog.text, faker_locale pg_catalog.text,
			  given_names pg_catalog.int4, surnames pg_catalog.int4,
			  from_faker pg_catalog.text[], hand_written pg_catalog.text[],
			  generic pg_catalog.text[])
AS 'MODULE_PATHNAME', 'seedkit_locales'
LANGUAGE C STABLE STRICT SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_locales()
	IS 'the anonymisation locales: Faker''s name for each, how many given names and surnames, and which strategies draw on Faker''s data, a hand-written list or rule, or a generic format';
