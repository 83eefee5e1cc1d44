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

-- Issue 15 (subsets): seedkit_subset and its streamed and planned forms take
-- a spec of several roots (filter, sample, limit), whole tables, exclusions
-- or "roots": "all"; one closure, one document whose "root" is the spec.
CREATE FUNCTION @extschema@.seedkit_subset(spec pg_catalog.jsonb,
								name pg_catalog.text DEFAULT NULL,
								max_rows pg_catalog.int8 DEFAULT 10000000,
								reset_keys pg_catalog.bool DEFAULT true,
								anonymise pg_catalog.bool DEFAULT true)
RETURNS pg_catalog.json
AS 'MODULE_PATHNAME', 'seedkit_subset'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_subset(pg_catalog.jsonb, pg_catalog.text, pg_catalog.int8, pg_catalog.bool, pg_catalog.bool)
	IS 'a subset of the database as one document: several roots (filter, sample, limit), whole tables, exclusions, or every table of some schemas; stored like a snapshot';

CREATE FUNCTION @extschema@.seedkit_subset_lines(spec pg_catalog.jsonb,
								name pg_catalog.text DEFAULT NULL,
								max_rows pg_catalog.int8 DEFAULT 10000000,
								reset_keys pg_catalog.bool DEFAULT true,
								anonymise pg_catalog.bool DEFAULT true)
RETURNS SETOF pg_catalog.text
AS 'MODULE_PATHNAME', 'seedkit_subset_lines'
LANGUAGE C VOLATILE SECURITY INVOKER ROWS 1000;
COMMENT ON FUNCTION @extschema@.seedkit_subset_lines(pg_catalog.jsonb, pg_catalog.text, pg_catalog.int8, pg_catalog.bool, pg_catalog.bool)
	IS 'seedkit_subset streamed one line per row, for documents over 1 GB; not stored';

CREATE FUNCTION @extschema@.seedkit_subset_plan(spec pg_catalog.jsonb,
								name pg_catalog.text DEFAULT NULL,
								max_rows pg_catalog.int8 DEFAULT 10000000,
								reset_keys pg_catalog.bool DEFAULT true,
								anonymise pg_catalog.bool DEFAULT true)
RETURNS TABLE(table_name pg_catalog.regclass, "rows" pg_catalog.int8,
			  reached_as pg_catalog.text, via pg_catalog.text, depth pg_catalog.int4)
AS 'MODULE_PATHNAME', 'seedkit_subset_plan'
LANGUAGE C VOLATILE SECURITY INVOKER ROWS 10;
COMMENT ON FUNCTION @extschema@.seedkit_subset_plan(pg_catalog.jsonb, pg_catalog.text, pg_catalog.int8, pg_catalog.bool, pg_catalog.bool)
	IS 'the tables and row counts seedkit_subset would take, without building the document';

CREATE FUNCTION @extschema@.seedkit_subset_plan_graph(spec pg_catalog.jsonb,
								name pg_catalog.text DEFAULT NULL,
								max_rows pg_catalog.int8 DEFAULT 10000000,
								reset_keys pg_catalog.bool DEFAULT true,
								anonymise pg_catalog.bool DEFAULT true)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'seedkit_subset_plan_graph'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_subset_plan_graph(pg_catalog.jsonb, pg_catalog.text, pg_catalog.int8, pg_catalog.bool, pg_catalog.bool)
	IS 'seedkit_subset_plan as a Graphviz DOT graph';

-- Issue 15 (virtual references): relationships no constraint declares,
-- declared with seedkit_relate and followed as foreign keys by snapshots,
-- subsets, plans, restore's key mapping and the anonymisation of flagged
-- columns.  Stored by relation and attribute numbers like flags (the names
-- let a restored database, where OIDs and numbers change, find them again).
CREATE TABLE seedkit.relation (
	name			pg_catalog.text NOT NULL,
	child			pg_catalog.regclass NOT NULL,
	child_seen		pg_catalog.oid NOT NULL,
	attnums			pg_catalog.int2[] NOT NULL,
	attnames		pg_catalog.name[] NOT NULL,
	parent			pg_catalog.regclass NOT NULL,
	parent_seen		pg_catalog.oid NOT NULL,
	parent_attnums	pg_catalog.int2[] NOT NULL,
	parent_attnames	pg_catalog.name[] NOT NULL,
	condition		pg_catalog.text,
	related_by		pg_catalog.name NOT NULL DEFAULT CURRENT_USER,
	related_at		pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE seedkit.relation IS 'relationships declared by seedkit_relate; read them through the view seedkit.relations';
ALTER TABLE seedkit.relation ENABLE ROW LEVEL SECURITY;
CREATE POLICY relation_read ON seedkit.relation FOR SELECT USING (true);
CREATE POLICY relation_owner ON seedkit.relation FOR ALL
	USING (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
						WHERE c.oid OPERATOR(pg_catalog.=) child::pg_catalog.oid)
		   OR pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c
									   WHERE c.oid OPERATOR(pg_catalog.=) child::pg_catalog.oid), 'USAGE'))
	WITH CHECK (pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c
										 WHERE c.oid OPERATOR(pg_catalog.=) child::pg_catalog.oid), 'USAGE'));
GRANT SELECT, INSERT, UPDATE, DELETE ON seedkit.relation TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('seedkit.relation', '');

-- Keep relations in step with DDL: renamed columns' stored names, and no
-- relation left on a dropped table or column (of either side).
CREATE FUNCTION seedkit.seedkit_relation_follow_ddl()
RETURNS event_trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF pg_catalog.to_regclass('seedkit.relation') IS NULL THEN
		RETURN;
	END IF;
	UPDATE seedkit.relation r
	   SET attnames = ARRAY(SELECT a.attname FROM pg_catalog.unnest(r.attnums) WITH ORDINALITY AS u(n, o)
							  JOIN pg_catalog.pg_attribute a
								ON a.attrelid OPERATOR(pg_catalog.=) r.child::pg_catalog.oid AND a.attnum OPERATOR(pg_catalog.=) u.n
							 ORDER BY u.o)
	 WHERE r.child_seen OPERATOR(pg_catalog.=) r.child::pg_catalog.oid
	   AND r.child::pg_catalog.oid IN (SELECT c.objid FROM pg_catalog.pg_event_trigger_ddl_commands() c
										WHERE c.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass);
	UPDATE seedkit.relation r
	   SET parent_attnames = ARRAY(SELECT a.attname FROM pg_catalog.unnest(r.parent_attnums) WITH ORDINALITY AS u(n, o)
									 JOIN pg_catalog.pg_attribute a
									   ON a.attrelid OPERATOR(pg_catalog.=) r.parent::pg_catalog.oid AND a.attnum OPERATOR(pg_catalog.=) u.n
									ORDER BY u.o)
	 WHERE r.parent_seen OPERATOR(pg_catalog.=) r.parent::pg_catalog.oid
	   AND r.parent::pg_catalog.oid IN (SELECT c.objid FROM pg_catalog.pg_event_trigger_ddl_commands() c
										 WHERE c.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass);
END
$$;
COMMENT ON FUNCTION seedkit.seedkit_relation_follow_ddl()
	IS 'event trigger: keep the stored column names of relations current after ALTER TABLE';
CREATE EVENT TRIGGER seedkit_relation_follow_ddl ON ddl_command_end
	WHEN TAG IN ('ALTER TABLE')
	EXECUTE FUNCTION seedkit.seedkit_relation_follow_ddl();

CREATE FUNCTION seedkit.seedkit_relation_follow_drop()
RETURNS event_trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF pg_catalog.to_regclass('seedkit.relation') IS NULL THEN
		RETURN;
	END IF;
	DELETE FROM seedkit.relation r
	 USING pg_catalog.pg_event_trigger_dropped_objects() AS d
	 WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
	   AND ((d.objid OPERATOR(pg_catalog.=) r.child::pg_catalog.oid
			 AND (d.objsubid OPERATOR(pg_catalog.=) 0
				  OR (r.child_seen OPERATOR(pg_catalog.=) r.child::pg_catalog.oid
					  AND d.objsubid::pg_catalog.int2 OPERATOR(pg_catalog.=) ANY (r.attnums))))
			OR (d.objid OPERATOR(pg_catalog.=) r.parent::pg_catalog.oid
				AND (d.objsubid OPERATOR(pg_catalog.=) 0
					 OR (r.parent_seen OPERATOR(pg_catalog.=) r.parent::pg_catalog.oid
						 AND d.objsubid::pg_catalog.int2 OPERATOR(pg_catalog.=) ANY (r.parent_attnums)))));
END
$$;
COMMENT ON FUNCTION seedkit.seedkit_relation_follow_drop()
	IS 'event trigger: remove the relations of dropped tables and columns';
CREATE EVENT TRIGGER seedkit_relation_follow_drop ON sql_drop
	EXECUTE FUNCTION seedkit.seedkit_relation_follow_drop();

CREATE VIEW seedkit.relations AS
SELECT r.name, r.child, r.attnames AS columns, r.parent, r.parent_attnames AS parent_columns,
	   r.condition
  FROM seedkit.relation r
 WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_class c
				WHERE c.oid OPERATOR(pg_catalog.=) r.child::pg_catalog.oid)
   AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c
				WHERE c.oid OPERATOR(pg_catalog.=) r.parent::pg_catalog.oid);
COMMENT ON VIEW seedkit.relations IS 'declared relationships: name, child table and columns, parent table and key columns, condition';
GRANT SELECT ON seedkit.relations TO PUBLIC;

CREATE FUNCTION @extschema@.seedkit_relate(child pg_catalog.regclass,
								columns pg_catalog.name[],
								parent pg_catalog.regclass,
								parent_columns pg_catalog.name[],
								condition pg_catalog.text DEFAULT NULL)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'seedkit_relate'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_relate(pg_catalog.regclass, pg_catalog.name[], pg_catalog.regclass, pg_catalog.name[], pg_catalog.text)
	IS 'declare that columns of child reference the unique key parent_columns of parent (only in rows matching condition): followed as a foreign key; returns its name';

CREATE FUNCTION @extschema@.seedkit_unrelate(child pg_catalog.regclass,
								columns pg_catalog.name[],
								parent pg_catalog.regclass)
RETURNS void
AS 'MODULE_PATHNAME', 'seedkit_unrelate'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_unrelate(pg_catalog.regclass, pg_catalog.name[], pg_catalog.regclass)
	IS 'remove a relationship declared by seedkit_relate';
