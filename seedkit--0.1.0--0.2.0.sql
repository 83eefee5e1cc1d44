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

-- issue 16 (Citus): a tenant snapshot of distributed tables is taken on the
-- node holding the tenant's shards, and seedkit_anonymise rewrites every
-- shard on its node, by distributed functions per colocation group that
-- seedkit_citus_prepare creates.
CREATE FUNCTION @extschema@.seedkit_citus_tenant_snapshot(root pg_catalog.regclass,
	filter pg_catalog.text, name pg_catalog.text, children pg_catalog.bool,
	exclude pg_catalog.regclass[], max_rows pg_catalog.int8,
	reset_keys pg_catalog.bool, anonymise pg_catalog.bool, tenant pg_catalog.text,
	flags pg_catalog.json, seed pg_catalog.text, secret pg_catalog.bytea)
RETURNS pg_catalog.json
AS 'MODULE_PATHNAME', 'seedkit_citus_tenant_snapshot'
LANGUAGE C VOLATILE SECURITY INVOKER;
COMMENT ON FUNCTION @extschema@.seedkit_citus_tenant_snapshot(pg_catalog.regclass, pg_catalog.text, pg_catalog.text, pg_catalog.bool, pg_catalog.regclass[], pg_catalog.int8, pg_catalog.bool, pg_catalog.bool, pg_catalog.text, pg_catalog.json, pg_catalog.text, pg_catalog.bytea)
	IS 'internal: one tenant''s document, on the node Citus runs it on, with the coordinator''s flags and seed or secret';

CREATE FUNCTION @extschema@.seedkit_citus_prepare()
RETURNS TABLE(colocation_group pg_catalog.int4, function_name pg_catalog.regprocedure)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $prepare$
DECLARE
	g record;
	fn text;
	sig text;
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
		fn := pg_catalog.format('seedkit.citus_tenant_%s', g.id);
		sig := pg_catalog.format('%s(%s, text, text, text, boolean, text[], bigint, boolean, boolean, json, text, bytea)',
								 fn, g.typ);
		EXECUTE pg_catalog.format($create$
			CREATE OR REPLACE FUNCTION %s(tenant %s, root text, filter text,
				name text, children boolean, exclude text[], max_rows bigint, reset_keys boolean,
				anonymise boolean, flags json, seed text, secret bytea)
			RETURNS json LANGUAGE plpgsql VOLATILE SECURITY INVOKER
			SET search_path = pg_catalog, pg_temp
			AS $body$BEGIN
				RETURN @extschema@.seedkit_citus_tenant_snapshot(root::regclass, filter, name,
					children, exclude::regclass[], max_rows, reset_keys, anonymise,
					tenant::text, flags, seed, secret);
			END$body$$create$, fn, g.typ);
		PERFORM pg_catalog.create_distributed_function(sig::pg_catalog.regprocedure, '$1',
			colocate_with => g.rel::pg_catalog.regclass::pg_catalog.text,
			force_delegation => true);
		colocation_group := g.id;
		function_name := sig::pg_catalog.regprocedure;
		RETURN NEXT;
		-- seedkit_anonymise: this node's shards of the tables, for the
		-- shard groups holding tenants (tenant is the first of them), with
		-- the coordinator's flags and seed
		fn := pg_catalog.format('seedkit.citus_anonymise_%s', g.id);
		sig := pg_catalog.format('%s(%s, text[], json, text, text[])', fn, g.typ);
		EXECUTE pg_catalog.format($create$
			CREATE OR REPLACE FUNCTION %s(tenant %s, tables text[], flags json, seed text,
				tenants text[])
			RETURNS json LANGUAGE plpgsql VOLATILE SECURITY INVOKER
			SET search_path = pg_catalog, pg_temp
			AS $body$
			DECLARE
				names text[];
				shards regclass[];
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
		PERFORM pg_catalog.create_distributed_function(sig::pg_catalog.regprocedure, '$1',
			colocate_with => g.rel::pg_catalog.regclass::pg_catalog.text,
			force_delegation => true);
		function_name := sig::pg_catalog.regprocedure;
		RETURN NEXT;
	END LOOP;
END
$prepare$;
COMMENT ON FUNCTION @extschema@.seedkit_citus_prepare()
	IS 'on a Citus coordinator: create the distributed functions that take tenant snapshots and anonymise shards on their node, two per colocation group';
