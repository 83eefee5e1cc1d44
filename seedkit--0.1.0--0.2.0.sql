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

-- Issue 14 (restore into a living database): seedkit_restore and
-- seedkit_restore_file take reuse and schema_map after overrides, and mode
-- 'merge'; then copies (N copies of the document in one call, 1 to 1000000)
-- and vary (per-column variation across copies).  New parameters with
-- defaults change the signature, so the three functions are dropped and
-- created again; every positional and named call of 0.1.0 keeps working.
DROP FUNCTION @extschema@.seedkit_restore(pg_catalog.json, pg_catalog.text, pg_catalog.jsonb);
CREATE FUNCTION @extschema@.seedkit_restore(snapshot pg_catalog.json,
								mode pg_catalog.text DEFAULT 'append',
								overrides pg_catalog.jsonb DEFAULT NULL,
								reuse pg_catalog.jsonb DEFAULT NULL,
								schema_map pg_catalog.jsonb DEFAULT NULL,
								copies pg_catalog.int4 DEFAULT 1,
								vary pg_catalog.jsonb DEFAULT NULL)
RETURNS TABLE(table_name pg_catalog.regclass, "rows" pg_catalog.int8)
AS 'MODULE_PATHNAME', 'seedkit_restore'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_restore(pg_catalog.json, pg_catalog.text, pg_catalog.jsonb, pg_catalog.jsonb, pg_catalog.jsonb, pg_catalog.int4, pg_catalog.jsonb)
	IS 'restore a seedkit/1 document: fresh keys in append mode, the document''s keys after emptying the tables in replace mode, existing keys updated in merge mode; reuse matches rows already there, schema_map renames schemas, copies loads the document N times (vary: how values differ between copies)';

DROP FUNCTION @extschema@.seedkit_restore(pg_catalog.text, pg_catalog.text, pg_catalog.jsonb);
CREATE FUNCTION @extschema@.seedkit_restore(name pg_catalog.text,
								mode pg_catalog.text DEFAULT 'append',
								overrides pg_catalog.jsonb DEFAULT NULL,
								reuse pg_catalog.jsonb DEFAULT NULL,
								schema_map pg_catalog.jsonb DEFAULT NULL,
								copies pg_catalog.int4 DEFAULT 1,
								vary pg_catalog.jsonb DEFAULT NULL)
RETURNS TABLE(table_name pg_catalog.regclass, "rows" pg_catalog.int8)
AS 'MODULE_PATHNAME', 'seedkit_restore_name'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_restore(pg_catalog.text, pg_catalog.text, pg_catalog.jsonb, pg_catalog.jsonb, pg_catalog.jsonb, pg_catalog.int4, pg_catalog.jsonb)
	IS 'restore the caller''s stored snapshot of that name';

DROP FUNCTION @extschema@.seedkit_restore_file(pg_catalog.text, pg_catalog.text, pg_catalog.jsonb);
CREATE FUNCTION @extschema@.seedkit_restore_file(path pg_catalog.text,
									 mode pg_catalog.text DEFAULT 'append',
									 overrides pg_catalog.jsonb DEFAULT NULL,
									 reuse pg_catalog.jsonb DEFAULT NULL,
									 schema_map pg_catalog.jsonb DEFAULT NULL,
									 copies pg_catalog.int4 DEFAULT 1,
									 vary pg_catalog.jsonb DEFAULT NULL)
RETURNS TABLE(table_name pg_catalog.regclass, "rows" pg_catalog.int8)
AS 'MODULE_PATHNAME', 'seedkit_restore_file'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_restore_file(pg_catalog.text, pg_catalog.text, pg_catalog.jsonb, pg_catalog.jsonb, pg_catalog.jsonb, pg_catalog.int4, pg_catalog.jsonb)
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
-- Issue 12 (the per-test reset): seedkit_restore(name, 'replace') and
-- seedkit_restore() put back only the tables a test changed.  Each covered
-- table gets one statement-level trigger, seedkit_track (ENABLE ALWAYS),
-- that records the table in seedkit.changes; seedkit.reset_state says which
-- full restore (epoch) a table's rows come from; seedkit.tracked which
-- stored snapshots cover a tracked table.  The two unlogged tables are
-- emptied by a crash, after which every table is reset fully once.
CREATE UNLOGGED TABLE seedkit.changes (
	relid		pg_catalog.oid NOT NULL,
	truncated	pg_catalog.bool NOT NULL
);
COMMENT ON TABLE seedkit.changes IS 'tables written since their last reset (one row per statement), filled by the seedkit_track triggers';
CREATE UNLOGGED TABLE seedkit.reset_state (
	relid		pg_catalog.oid PRIMARY KEY,
	epoch		pg_catalog.int8 NOT NULL
);
COMMENT ON TABLE seedkit.reset_state IS 'the full restore whose rows each tracked table holds, up to the changes in seedkit.changes';
CREATE TABLE seedkit.tracked (
	relid		pg_catalog.oid NOT NULL,
	owner		pg_catalog.regrole NOT NULL DEFAULT CURRENT_USER::pg_catalog.regrole,
	name		pg_catalog.text NOT NULL,
	PRIMARY KEY (relid, owner, name)
);
COMMENT ON TABLE seedkit.tracked IS 'tables carrying the seedkit_track trigger, by the stored snapshot covering them';
CREATE SEQUENCE seedkit.reset_epoch;
GRANT USAGE ON SEQUENCE seedkit.reset_epoch TO PUBLIC;
-- anyone may mark a table changed (the trigger runs as the writer); only a
-- role that may empty a table reads or clears its marks and state
GRANT SELECT, INSERT, DELETE ON seedkit.changes TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON seedkit.reset_state TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON seedkit.tracked TO PUBLIC;
ALTER TABLE seedkit.changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE seedkit.reset_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE seedkit.tracked ENABLE ROW LEVEL SECURITY;
CREATE POLICY changes_mark ON seedkit.changes FOR INSERT WITH CHECK (true);
CREATE POLICY changes_read ON seedkit.changes FOR SELECT
	USING (pg_catalog.has_table_privilege(relid, 'TRUNCATE'));
CREATE POLICY changes_clear ON seedkit.changes FOR DELETE
	USING (pg_catalog.has_table_privilege(relid, 'TRUNCATE'));
CREATE POLICY reset_state_resetter ON seedkit.reset_state
	USING (pg_catalog.has_table_privilege(relid, 'TRUNCATE'))
	WITH CHECK (pg_catalog.has_table_privilege(relid, 'TRUNCATE'));
CREATE POLICY tracked_read ON seedkit.tracked FOR SELECT USING (true);
CREATE POLICY tracked_owner_ins ON seedkit.tracked FOR INSERT
	WITH CHECK (owner OPERATOR(pg_catalog.=) CURRENT_USER::pg_catalog.regrole);
CREATE POLICY tracked_owner_del ON seedkit.tracked FOR DELETE
	USING (owner OPERATOR(pg_catalog.=) CURRENT_USER::pg_catalog.regrole
		   OR pg_catalog.has_table_privilege(relid, 'TRIGGER'));

CREATE FUNCTION seedkit.seedkit_track_change()
RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
	INSERT INTO seedkit.changes (relid, truncated)
	VALUES (TG_RELID, TG_OP OPERATOR(pg_catalog.=) 'TRUNCATE');
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION seedkit.seedkit_track_change()
	IS 'the seedkit_track trigger: marks its table changed for the next seedkit_restore';

CREATE FUNCTION @extschema@.seedkit_untrack(tables pg_catalog.regclass[] DEFAULT NULL)
RETURNS SETOF pg_catalog.regclass
AS 'MODULE_PATHNAME', 'seedkit_untrack'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_untrack(pg_catalog.regclass[])
	IS 'remove the seedkit_track trigger from the tables (NULL: every table the caller may), so their next reset is a full one';

-- the last stored snapshot covering a table gone: its trigger goes too
CREATE FUNCTION seedkit.seedkit_snapshot_gone()
RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	gone pg_catalog.regclass[];
BEGIN
	WITH d AS (DELETE FROM seedkit.tracked t
				WHERE t.owner OPERATOR(pg_catalog.=) OLD.owner
				  AND t.name OPERATOR(pg_catalog.=) OLD.name
			RETURNING t.relid)
	SELECT pg_catalog.array_agg(d.relid::pg_catalog.regclass) INTO gone FROM d;
	IF gone IS NOT NULL THEN
		SELECT pg_catalog.array_agg(g) INTO gone
		  FROM pg_catalog.unnest(gone) g
		 WHERE NOT EXISTS (SELECT FROM seedkit.tracked t
							WHERE t.relid OPERATOR(pg_catalog.=) g::pg_catalog.oid)
		   AND pg_catalog.has_table_privilege(g, 'TRIGGER');
		IF gone IS NOT NULL THEN
			PERFORM @extschema@.seedkit_untrack(gone);
		END IF;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER seedkit_snapshot_gone AFTER DELETE ON seedkit.snapshots
	FOR EACH ROW EXECUTE FUNCTION seedkit.seedkit_snapshot_gone();
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
-- issue 16 (Citus): a tenant snapshot of distributed tables is taken on the
-- node holding the tenant's shards, and seedkit_anonymise rewrites every
-- shard on its node, by distributed functions per colocation group that
-- seedkit_citus_prepare creates.
-- The seed or secret does not ride in the text of the delegated calls (a
-- worker with log_statement logs that text): the coordinator sends it ahead
-- as a Citus intermediate result of the distributed transaction and the
-- calls name that result.  The functions seedkit_citus_prepare creates are
-- members of extension seedkit, on the coordinator and on every worker, so
-- DROP EXTENSION takes them.
CREATE FUNCTION @extschema@.seedkit_citus_tenant_snapshot(root pg_catalog.regclass,
	filter pg_catalog.text, name pg_catalog.text, children pg_catalog.bool,
	exclude pg_catalog.regclass[], max_rows pg_catalog.int8,
	reset_keys pg_catalog.bool, anonymise pg_catalog.bool, tenant pg_catalog.text,
	flags pg_catalog.json, key pg_catalog.text)
RETURNS pg_catalog.json
AS 'MODULE_PATHNAME', 'seedkit_citus_tenant_snapshot'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_citus_tenant_snapshot(pg_catalog.regclass, pg_catalog.text, pg_catalog.text, pg_catalog.bool, pg_catalog.regclass[], pg_catalog.int8, pg_catalog.bool, pg_catalog.bool, pg_catalog.text, pg_catalog.json, pg_catalog.text)
	IS 'internal: one tenant''s document, on the node Citus runs it on, with the coordinator''s flags and the seed or secret it sent ahead as intermediate result key';

CREATE FUNCTION @extschema@.seedkit_citus_prepare()
RETURNS TABLE(colocation_group pg_catalog.int4, function_name pg_catalog.regprocedure)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $prepare$
DECLARE
	g record;
	fn text;
	sig text;
	ddl text;
	msgs text;
	w record;
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname OPERATOR(pg_catalog.=) 'citus') THEN
		RAISE EXCEPTION 'extension "citus" is not installed'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				HINT = 'seedkit_citus_prepare is for Citus coordinators.';
	END IF;
	FOR g IN
		SELECT c.colocationid AS id,
			pg_catalog.format_type(c.distributioncolumntype, NULL) AS typ,
			(SELECT p.logicalrelid FROM pg_catalog.pg_dist_partition p
			 WHERE p.colocationid OPERATOR(pg_catalog.=) c.colocationid
				AND p.partmethod OPERATOR(pg_catalog.=) 'h'
			 ORDER BY p.logicalrelid::pg_catalog.oid LIMIT 1) AS rel
		FROM pg_catalog.pg_dist_colocation c
		WHERE c.distributioncolumntype OPERATOR(pg_catalog.<>) 0
		ORDER BY c.colocationid
	LOOP
		CONTINUE WHEN g.rel IS NULL;
		FOR i IN 1..2 LOOP
			IF i OPERATOR(pg_catalog.=) 1 THEN
				-- a tenant snapshot on the tenant's node
				fn := pg_catalog.format('seedkit.citus_tenant_%s', g.id);
				sig := pg_catalog.format('%s(%s, text, text, text, boolean, text[], bigint, boolean, boolean, json, text)',
										 fn, g.typ);
				ddl := pg_catalog.format($create$
			CREATE OR REPLACE FUNCTION %s(tenant %s, root text, filter text,
				name text, children boolean, exclude text[], max_rows bigint, reset_keys boolean,
				anonymise boolean, flags json, key text)
			RETURNS json LANGUAGE plpgsql VOLATILE SECURITY INVOKER
			SET search_path = pg_catalog, pg_temp
			AS $body$BEGIN
				RETURN @extschema@.seedkit_citus_tenant_snapshot(root::regclass, filter, name,
					children, exclude::regclass[], max_rows, reset_keys, anonymise,
					tenant::text, flags, key);
			END$body$$create$, fn, g.typ);
			ELSE
				-- seedkit_anonymise: this node's shards of the tables, for
				-- the shard groups holding tenants (tenant is the first of
				-- them), with the coordinator's flags and the seed it sent
				-- ahead as intermediate result key
				fn := pg_catalog.format('seedkit.citus_anonymise_%s', g.id);
				sig := pg_catalog.format('%s(%s, text[], json, text, text[])', fn, g.typ);
				ddl := pg_catalog.format($create$
			CREATE OR REPLACE FUNCTION %s(tenant %s, tables text[], flags json, key text,
				tenants text[])
			RETURNS json LANGUAGE plpgsql VOLATILE SECURITY INVOKER
			SET search_path = pg_catalog, pg_temp
			AS $body$
			DECLARE
				names text[];
				shards regclass[];
				seed text;
				result json;
			BEGIN
				SELECT array_agg(u.t ORDER BY u.o, w.o),
						array_agg(to_regclass(shard_name(u.t::regclass,
							get_shard_id_for_distribution_column(u.t::regclass, w.v), false))
							ORDER BY u.o, w.o)
					INTO names, shards
					FROM unnest(tables) WITH ORDINALITY AS u(t, o),
						unnest(tenants) WITH ORDINALITY AS w(v, o);
				IF array_position(shards, NULL) IS NOT NULL THEN
					RAISE EXCEPTION 'the shards of tenant %% are not on this node', tenant
						USING ERRCODE = 'feature_not_supported';
				END IF;
				SELECT r.seed INTO seed
					FROM read_intermediate_result(key, 'binary') AS r(seed text, secret bytea);
				IF seed IS NULL OR seed = '' THEN
					RAISE EXCEPTION 'the seed of the anonymisation did not reach this node'
						USING ERRCODE = 'object_not_in_prerequisite_state';
				END IF;
				INSERT INTO seedkit.flag (tbl, relid_seen, attnum, attname, strategy, options)
					SELECT m.s, m.s, a.attnum, a.attname, f.strategy, f.options
					FROM json_to_recordset(flags) AS f(tbl text, attname name, strategy text, options jsonb)
					JOIN unnest(names, shards) AS m(t, s) ON m.t = f.tbl
					JOIN pg_attribute a ON a.attrelid = m.s AND a.attname = f.attname
						AND NOT a.attisdropped;
				PERFORM set_config('seedkit.seed', seed, true);
				SELECT json_agg(json_build_array(m.t, x.columns, x.rows) ORDER BY m.t)
					INTO result
					FROM @extschema@.seedkit_anonymise(shards) x
					JOIN unnest(names, shards) AS m(t, s) ON m.s = x.table_name;
				DELETE FROM seedkit.flag WHERE tbl = ANY (shards);
				RETURN result;
			END$body$$create$, fn, g.typ);
			END IF;
			-- on every worker first, committed there and made a member of
			-- seedkit (Citus does not carry ALTER EXTENSION ... ADD to the
			-- workers); the distribution below replaces it in place
			FOR w IN
				SELECT r.nodename, r.nodeport, r.success, r.result
				FROM pg_catalog.run_command_on_workers(pg_catalog.format($worker$
					BEGIN;
					SET LOCAL citus.enable_ddl_propagation TO off;
					%s;
					DO $member$BEGIN
						IF NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
							WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
								AND d.objid OPERATOR(pg_catalog.=) %L::pg_catalog.regprocedure
								AND d.deptype OPERATOR(pg_catalog.=) 'e') THEN
							ALTER EXTENSION seedkit ADD FUNCTION %s;
						END IF;
					END$member$;
					COMMIT$worker$, ddl, sig, sig)) r
			LOOP
				IF NOT w.success THEN
					RAISE EXCEPTION 'could not create function % on worker %:%', sig, w.nodename, w.nodeport
						USING ERRCODE = 'connection_failure',
							DETAIL = pg_catalog.format('The worker answered: %s.', w.result);
				END IF;
			END LOOP;
			EXECUTE ddl;
			IF NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
				WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
					AND d.objid OPERATOR(pg_catalog.=) sig::pg_catalog.regprocedure::pg_catalog.oid
					AND d.deptype OPERATOR(pg_catalog.=) 'e') THEN
				-- without Citus's notice that it leaves the workers out:
				-- they were done above
				msgs := pg_catalog.current_setting('client_min_messages');
				PERFORM pg_catalog.set_config('client_min_messages', 'warning', true);
				EXECUTE pg_catalog.format('ALTER EXTENSION seedkit ADD FUNCTION %s', sig);
				PERFORM pg_catalog.set_config('client_min_messages', msgs, true);
			END IF;
			PERFORM pg_catalog.create_distributed_function(sig::pg_catalog.regprocedure, '$1',
				colocate_with => g.rel::pg_catalog.regclass::pg_catalog.text,
				force_delegation => true);
			colocation_group := g.id;
			function_name := sig::pg_catalog.regprocedure;
			RETURN NEXT;
		END LOOP;
	END LOOP;
END
$prepare$;
COMMENT ON FUNCTION @extschema@.seedkit_citus_prepare()
	IS 'on a Citus coordinator: create the distributed functions that take tenant snapshots and anonymise shards on their node, two per colocation group, as members of extension seedkit on every node';

-- Issue 15, speed of subsets (s3subset): a sample keeps a row by a keyed
-- hash of its key computed in C (SipHash under the sampling key) instead of
-- SHA-256 in SQL.  Internal to seedkit_subset; STABLE like the output
-- functions it calls.
CREATE FUNCTION seedkit.seedkit_sample_hash(key pg_catalog.bytea, VARIADIC pg_catalog."any")
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME', 'seedkit_sample_hash'
LANGUAGE C STABLE STRICT PARALLEL SAFE SECURITY INVOKER;
COMMENT ON FUNCTION seedkit.seedkit_sample_hash(pg_catalog.bytea, pg_catalog."any")
	IS 'internal to seedkit_subset: the keyed hash (56 bits) of a row key''s values that a sample compares with its bound';
-- issue 16, s3citus item 4: the coordinator sends the seed to the workers
-- from a query that calls seedkit_citus_seed (it answers only while seedkit
-- sends), no longer from one that holds it as a literal.
CREATE FUNCTION @extschema@.seedkit_citus_seed()
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'seedkit_citus_seed'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_citus_seed()
	IS 'internal: this session''s seedkit.seed, only while seedkit sends it to the Citus workers';
-- issue 16, s3citus item 3: Citus cannot add a worker while the functions
-- seedkit_citus_prepare made exist (members of seedkit, CREATE EXTENSION on
-- the new node does not make them, and Citus's metadata sync then fails):
-- seedkit_citus_unprepare drops them on every node; prepare again after
-- citus_add_node.
CREATE FUNCTION @extschema@.seedkit_citus_unprepare()
RETURNS TABLE(function_name pg_catalog.text)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $unprepare$
DECLARE
	f record;
	w record;
	msgs text;
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname OPERATOR(pg_catalog.=) 'citus') THEN
		RAISE EXCEPTION 'extension "citus" is not installed'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				HINT = 'seedkit_citus_unprepare is for Citus coordinators.';
	END IF;
	FOR f IN
		SELECT p.oid::pg_catalog.regprocedure::pg_catalog.text AS sig
		FROM pg_catalog.pg_proc p
		WHERE p.pronamespace OPERATOR(pg_catalog.=) 'seedkit'::pg_catalog.regnamespace::pg_catalog.oid
			AND p.proname OPERATOR(pg_catalog.~) '^citus_(tenant|anonymise)_[0-9]+$'
		ORDER BY 1
	LOOP
		-- no longer a member of seedkit on the workers (committed there),
		-- then here; the DROP below reaches every node through Citus
		FOR w IN
			SELECT r.nodename, r.nodeport, r.success, r.result
			FROM pg_catalog.run_command_on_workers(pg_catalog.format($worker$
				DO $member$BEGIN
					IF EXISTS (SELECT FROM pg_catalog.pg_depend d
						WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
							AND d.objid OPERATOR(pg_catalog.=) pg_catalog.to_regprocedure(%L)::pg_catalog.oid
							AND d.deptype OPERATOR(pg_catalog.=) 'e') THEN
						ALTER EXTENSION seedkit DROP FUNCTION %s;
					END IF;
				END$member$$worker$, f.sig, f.sig)) r
		LOOP
			IF NOT w.success THEN
				RAISE EXCEPTION 'could not release function % on worker %:%', f.sig, w.nodename, w.nodeport
					USING ERRCODE = 'connection_failure',
						DETAIL = pg_catalog.format('The worker answered: %s.', w.result);
			END IF;
		END LOOP;
		msgs := pg_catalog.current_setting('client_min_messages');
		PERFORM pg_catalog.set_config('client_min_messages', 'warning', true);
		EXECUTE pg_catalog.format('ALTER EXTENSION seedkit DROP FUNCTION %s', f.sig);
		EXECUTE pg_catalog.format('DROP FUNCTION %s', f.sig);
		PERFORM pg_catalog.set_config('client_min_messages', msgs, true);
		function_name := f.sig;
		RETURN NEXT;
	END LOOP;
END
$unprepare$;
COMMENT ON FUNCTION @extschema@.seedkit_citus_unprepare()
	IS 'on a Citus coordinator: drop the functions seedkit_citus_prepare made, on every node (before citus_add_node; prepare again after it)';
