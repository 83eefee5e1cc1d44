/* seedkit--0.1.0.sql: install script for seedkit 0.1.0 */

\echo Use "CREATE EXTENSION seedkit" to load this file. \quit

CREATE SCHEMA seedkit;
COMMENT ON SCHEMA seedkit IS 'seedkit catalog: stored snapshots, flags, seed';
GRANT USAGE ON SCHEMA seedkit TO PUBLIC;

/*
 * ---------------------------------------------------------------------------
 * Snapshots
 * ---------------------------------------------------------------------------
 */

-- Stored snapshots: one row per owner and name, visible to its owner only.
CREATE TABLE seedkit.snapshots (
	name		text NOT NULL,
	owner		regrole NOT NULL DEFAULT CURRENT_USER::pg_catalog.regrole,
	taken_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	root		text NOT NULL,
	row_counts	jsonb NOT NULL,
	document	json NOT NULL,
	PRIMARY KEY (owner, name)
);
COMMENT ON TABLE seedkit.snapshots IS 'documents taken by seedkit_snapshot or stored by seedkit_load';
-- documents are stored uncompressed: compressing one would need a second
-- buffer of its size in the backend taking the snapshot
ALTER TABLE seedkit.snapshots ALTER COLUMN document SET STORAGE EXTERNAL;
ALTER TABLE seedkit.snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE seedkit.snapshots FORCE ROW LEVEL SECURITY;
CREATE POLICY snapshots_owner ON seedkit.snapshots
	USING (owner OPERATOR(pg_catalog.=) CURRENT_USER::pg_catalog.regrole)
	WITH CHECK (owner OPERATOR(pg_catalog.=) CURRENT_USER::pg_catalog.regrole);
GRANT SELECT, INSERT, UPDATE, DELETE ON seedkit.snapshots TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('seedkit.snapshots', '');

CREATE FUNCTION seedkit_snapshot(root regclass,
								 filter text DEFAULT NULL,
								 name text DEFAULT NULL,
								 children boolean DEFAULT true,
								 exclude regclass[] DEFAULT '{}',
								 max_rows bigint DEFAULT 1000000,
								 reset_keys boolean DEFAULT true,
								 anonymise boolean DEFAULT true)
RETURNS json
AS 'MODULE_PATHNAME', 'seedkit_snapshot'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION seedkit_snapshot(regclass, text, text, boolean, regclass[], bigint, boolean, boolean)
	IS 'snapshot a root table and every FK-related row as a seedkit/1 JSON document';

CREATE FUNCTION seedkit_snapshot_lines(root regclass,
									   filter text DEFAULT NULL,
									   name text DEFAULT NULL,
									   children boolean DEFAULT true,
									   exclude regclass[] DEFAULT '{}',
									   max_rows bigint DEFAULT 1000000,
									   reset_keys boolean DEFAULT true,
									   anonymise boolean DEFAULT true)
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'seedkit_snapshot_lines'
LANGUAGE C VOLATILE SECURITY INVOKER ROWS 1000;
COMMENT ON FUNCTION seedkit_snapshot_lines(regclass, text, text, boolean, regclass[], bigint, boolean, boolean)
	IS 'seedkit_snapshot streamed one line per row, for documents over 1 GB; not stored';

CREATE FUNCTION seedkit_plan(root regclass,
							 filter text DEFAULT NULL,
							 name text DEFAULT NULL,
							 children boolean DEFAULT true,
							 exclude regclass[] DEFAULT '{}',
							 max_rows bigint DEFAULT 1000000,
							 reset_keys boolean DEFAULT true,
							 anonymise boolean DEFAULT true)
RETURNS TABLE(table_name regclass, rows bigint, reached_as text, via text, depth int)
AS 'MODULE_PATHNAME', 'seedkit_plan'
LANGUAGE C VOLATILE SECURITY INVOKER ROWS 10;
COMMENT ON FUNCTION seedkit_plan(regclass, text, text, boolean, regclass[], bigint, boolean, boolean)
	IS 'the tables and row counts seedkit_snapshot would take, without building the document';

CREATE FUNCTION seedkit_plan_graph(root regclass,
								   filter text DEFAULT NULL,
								   name text DEFAULT NULL,
								   children boolean DEFAULT true,
								   exclude regclass[] DEFAULT '{}',
								   max_rows bigint DEFAULT 1000000,
								   reset_keys boolean DEFAULT true,
								   anonymise boolean DEFAULT true)
RETURNS text
AS 'MODULE_PATHNAME', 'seedkit_plan_graph'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION seedkit_plan_graph(regclass, text, text, boolean, regclass[], bigint, boolean, boolean)
	IS 'seedkit_plan as a Graphviz DOT graph';

/* restore: section owned by src/restore.c */

CREATE FUNCTION seedkit_restore(snapshot json,
								mode text DEFAULT 'append',
								overrides jsonb DEFAULT NULL)
RETURNS TABLE(table_name regclass, "rows" bigint)
AS 'MODULE_PATHNAME', 'seedkit_restore'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION seedkit_restore(json, text, jsonb)
	IS 'restore a seedkit/1 document: fresh keys in append mode, the document''s keys after emptying the tables in replace mode';

CREATE FUNCTION seedkit_restore(name text,
								mode text DEFAULT 'append',
								overrides jsonb DEFAULT NULL)
RETURNS TABLE(table_name regclass, "rows" bigint)
AS 'MODULE_PATHNAME', 'seedkit_restore_name'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION seedkit_restore(text, text, jsonb)
	IS 'restore the caller''s stored snapshot of that name';

CREATE FUNCTION seedkit_restore()
RETURNS TABLE(table_name regclass, "rows" bigint)
AS 'MODULE_PATHNAME', 'seedkit_restore_all'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION seedkit_restore()
	IS 'per-test reset: restore every stored snapshot of the caller in replace mode, in one step';

CREATE FUNCTION seedkit_restore_file(path text,
									 mode text DEFAULT 'append',
									 overrides jsonb DEFAULT NULL)
RETURNS TABLE(table_name regclass, "rows" bigint)
AS 'MODULE_PATHNAME', 'seedkit_restore_file'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION seedkit_restore_file(text, text, jsonb)
	IS 'restore a document from a file on the server (up to 2 GB, past the 1 GB limit of a json value)';

CREATE FUNCTION seedkit_load(snapshot json)
RETURNS text
AS 'MODULE_PATHNAME', 'seedkit_load'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION seedkit_load(json)
	IS 'check a seedkit/1 document and store it under its name for the caller, without restoring it';

CREATE FUNCTION seedkit_reseed(tables regclass[] DEFAULT NULL)
RETURNS TABLE(sequence regclass, last_value bigint)
AS 'MODULE_PATHNAME', 'seedkit_reseed'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION seedkit_reseed(regclass[])
	IS 'move the serial and identity sequences of the tables (NULL: every table the caller may update) past their rows';

/* anonymise: section owned by src/anonymise.c */

-- The per-database secret that keys the fakes when seedkit.seed is empty.
-- Created on first use; readable only by its owner and superusers.
CREATE TABLE seedkit.secret (
	id			boolean PRIMARY KEY DEFAULT true CHECK (id),
	secret		bytea NOT NULL CHECK (pg_catalog.octet_length(secret) >= 16),
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE seedkit.secret IS 'random key of the anonymisation fakes when seedkit.seed is empty; delete the row to rotate it';
REVOKE ALL ON seedkit.secret FROM PUBLIC;
-- row-level security as for every internal table: readable by roles granted SELECT
ALTER TABLE seedkit.secret ENABLE ROW LEVEL SECURITY;
CREATE POLICY secret_read ON seedkit.secret FOR SELECT USING (true);
SELECT pg_catalog.pg_extension_config_dump('seedkit.secret', '');

-- Flagged columns: by relation and attribute number (attname and relid_seen
-- let a restored database, where OIDs and numbers change, find them again).
CREATE TABLE seedkit.flag (
	tbl			regclass NOT NULL,
	relid_seen	oid NOT NULL,
	attnum		smallint NOT NULL,
	attname		name NOT NULL,
	strategy	text NOT NULL,
	options		jsonb NOT NULL DEFAULT '{}',
	flagged_by	name NOT NULL DEFAULT CURRENT_USER,
	flagged_at	timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE seedkit.flag IS 'columns flagged by seedkit_flag; read them through the view seedkit.flags';
ALTER TABLE seedkit.flag ENABLE ROW LEVEL SECURITY;
CREATE POLICY flag_read ON seedkit.flag FOR SELECT USING (true);
CREATE POLICY flag_owner ON seedkit.flag FOR ALL
	USING (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = tbl)
		   OR pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = tbl), 'USAGE'))
	WITH CHECK (pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = tbl), 'USAGE'));
GRANT SELECT, INSERT, UPDATE, DELETE ON seedkit.flag TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('seedkit.flag', '');

-- Keep flags in step with DDL: a renamed column's stored name (used to find
-- it again in a restored database), and no flag left on a dropped table or
-- column.  They run as the user doing the DDL, who owns the table, which the
-- row-level security of seedkit.flag allows.
CREATE FUNCTION seedkit.seedkit_flag_follow_ddl()
RETURNS event_trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF pg_catalog.to_regclass('seedkit.flag') IS NULL THEN
		RETURN;
	END IF;
	UPDATE seedkit.flag f SET attname = a.attname
	  FROM pg_catalog.pg_event_trigger_ddl_commands() AS c, pg_catalog.pg_attribute AS a
	 WHERE c.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
	   AND f.tbl OPERATOR(pg_catalog.=) c.objid AND f.relid_seen OPERATOR(pg_catalog.=) f.tbl::pg_catalog.oid
	   AND a.attrelid = f.tbl AND a.attnum = f.attnum AND NOT a.attisdropped
	   AND a.attname OPERATOR(pg_catalog.<>) f.attname;
END
$$;
COMMENT ON FUNCTION seedkit.seedkit_flag_follow_ddl()
	IS 'event trigger: keep the stored column names of flags current after ALTER TABLE';
CREATE EVENT TRIGGER seedkit_flag_follow_ddl ON ddl_command_end
	WHEN TAG IN ('ALTER TABLE')
	EXECUTE FUNCTION seedkit.seedkit_flag_follow_ddl();

CREATE FUNCTION seedkit.seedkit_flag_follow_drop()
RETURNS event_trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF pg_catalog.to_regclass('seedkit.flag') IS NULL THEN
		RETURN;
	END IF;
	DELETE FROM seedkit.flag f
	 USING pg_catalog.pg_event_trigger_dropped_objects() AS d
	 WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
	   AND f.tbl::pg_catalog.oid OPERATOR(pg_catalog.=) d.objid
	   AND (d.objsubid = 0
			OR (d.objsubid = f.attnum AND f.relid_seen OPERATOR(pg_catalog.=) f.tbl::pg_catalog.oid));
END
$$;
COMMENT ON FUNCTION seedkit.seedkit_flag_follow_drop()
	IS 'event trigger: remove the flags of dropped tables and columns';
CREATE EVENT TRIGGER seedkit_flag_follow_drop ON sql_drop
	EXECUTE FUNCTION seedkit.seedkit_flag_follow_drop();

CREATE VIEW seedkit.flags AS
SELECT f.tbl AS "table", a.attname AS "column", f.strategy, f.options
FROM seedkit.flag f
JOIN pg_catalog.pg_attribute a
  ON a.attrelid = f.tbl AND a.attnum > 0 AND NOT a.attisdropped
 AND CASE WHEN f.tbl::oid = f.relid_seen THEN a.attnum = f.attnum
		  ELSE a.attname = f.attname END;
COMMENT ON VIEW seedkit.flags IS 'flagged columns: table, column, strategy, options';
GRANT SELECT ON seedkit.flags TO PUBLIC;

CREATE FUNCTION seedkit_flag(tbl regclass, col name, strategy text,
							 options jsonb DEFAULT '{}')
RETURNS void
AS 'MODULE_PATHNAME', 'seedkit_flag'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION seedkit_flag(regclass, name, text, jsonb)
	IS 'flag a column of personal data with an anonymisation strategy and its options';

CREATE FUNCTION seedkit_unflag(tbl regclass, col name)
RETURNS void
AS 'MODULE_PATHNAME', 'seedkit_unflag'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION seedkit_unflag(regclass, name)
	IS 'remove the anonymisation flag of a column';

CREATE FUNCTION seedkit_fake(strategy text, value anyelement,
							 options jsonb DEFAULT '{}')
RETURNS anyelement
AS 'MODULE_PATHNAME', 'seedkit_fake'
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY INVOKER;
COMMENT ON FUNCTION seedkit_fake(text, anyelement, jsonb)
	IS 'deterministic keyed fake of a value: same seed, strategy, options and value give the same fake';

CREATE FUNCTION seedkit_anonymise(tables regclass[] DEFAULT NULL,
								  triggers boolean DEFAULT false)
RETURNS TABLE(table_name regclass, columns int, rows bigint)
AS 'MODULE_PATHNAME', 'seedkit_anonymise'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION seedkit_anonymise(regclass[], boolean)
	IS 'replace every flagged column in place by one rewrite per table (ACCESS EXCLUSIVE lock)';
