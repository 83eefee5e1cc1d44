-- upgrade: contrib's oldextversions style, driven by the versions the
-- server offers.  The oldest version is installed and updated step by step
-- along pg_extension_update_paths to the default version; at every version,
-- the objects reached by updating must be exactly those a fresh install of
-- that version makes, and stored snapshots must survive.  Runs in a
-- database of its own so the other tests keep their extension.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SELECT current_database() AS regress_db \gset
DROP DATABASE IF EXISTS seedkit_test_upgrade;
CREATE DATABASE seedkit_test_upgrade;
\c seedkit_test_upgrade
SET client_min_messages = warning;

-- The extension's member objects, each with what defines it.
CREATE FUNCTION sk_members() RETURNS TABLE (obj text, def text)
LANGUAGE sql AS $$
SELECT pg_describe_object(d.classid, d.objid, 0),
	   CASE d.classid
		WHEN 'pg_proc'::regclass THEN
			(SELECT concat_ws(' | ', pg_get_function_identity_arguments(p.oid),
							  pg_get_function_arguments(p.oid), pg_get_function_result(p.oid),
							  p.prokind, p.prosecdef, p.provolatile, p.proparallel, p.proisstrict,
							  p.prosrc, p.probin, p.proconfig, p.proacl, p.prorows,
							  obj_description(p.oid, 'pg_proc'))
			   FROM pg_proc p WHERE p.oid = d.objid)
		WHEN 'pg_class'::regclass THEN
			(SELECT concat_ws(' | ', c.relkind, c.relrowsecurity, c.relforcerowsecurity, c.relacl,
							  obj_description(c.oid, 'pg_class'),
							  (SELECT string_agg(concat_ws(':', a.attname, format_type(a.atttypid, a.atttypmod),
														  a.attnotnull, a.attcompression, a.attidentity,
														  pg_get_expr(ad.adbin, ad.adrelid)), ', ' ORDER BY a.attname)
								 FROM pg_attribute a
								 LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
								WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
							  (SELECT string_agg(pg_get_constraintdef(k.oid), ', ' ORDER BY pg_get_constraintdef(k.oid))
								 FROM pg_constraint k WHERE k.conrelid = c.oid),
							  (SELECT string_agg(regexp_replace(pg_get_indexdef(i.indexrelid), 'INDEX \S+ ', 'INDEX '), ', '
												 ORDER BY 1)
								 FROM pg_index i WHERE i.indrelid = c.oid),
							  (SELECT string_agg(concat_ws(':', po.polname, po.polcmd, po.polpermissive, po.polroles,
														  pg_get_expr(po.polqual, po.polrelid),
														  pg_get_expr(po.polwithcheck, po.polrelid)), ', ' ORDER BY po.polname)
								 FROM pg_policy po WHERE po.polrelid = c.oid),
							  CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid) END)
			   FROM pg_class c WHERE c.oid = d.objid)
		WHEN 'pg_namespace'::regclass THEN
			(SELECT concat_ws(' | ', n.nspacl, obj_description(n.oid, 'pg_namespace'))
			   FROM pg_namespace n WHERE n.oid = d.objid)
		WHEN 'pg_type'::regclass THEN
			(SELECT concat_ws(' | ', t.typtype, format_type(t.oid, NULL),
							  (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
								 FROM pg_enum e WHERE e.enumtypid = t.oid))
			   FROM pg_type t WHERE t.oid = d.objid)
		ELSE ''
	   END
  FROM pg_depend d
 WHERE d.refclassid = 'pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'seedkit')
   AND d.deptype = 'e'
UNION ALL
SELECT 'configuration table ' || c::regclass::text, coalesce(x.extcondition[i], '')
  FROM pg_extension x, unnest(x.extconfig) WITH ORDINALITY AS u(c, i)
 WHERE x.extname = 'seedkit'
$$;

-- the versions, oldest first
CREATE TABLE versions AS
SELECT version, string_to_array(version, '.')::int[] AS sortkey
  FROM pg_available_extension_versions WHERE name = 'seedkit';
SELECT (SELECT version FROM versions ORDER BY sortkey LIMIT 1) AS oldest,
	   (SELECT default_version FROM pg_available_extensions WHERE name = 'seedkit') AS newest \gset
-- every version can be updated to the default one
SELECT v.version AS no_path_to_default
  FROM versions v
 WHERE v.version <> :'newest'
   AND NOT EXISTS (SELECT 1 FROM pg_extension_update_paths('seedkit') p
					WHERE p.source = v.version AND p.target = :'newest' AND p.path IS NOT NULL);

-- The oldest version, with some user data in its catalog.
CREATE EXTENSION seedkit VERSION :'oldest';
CREATE SCHEMA up;
CREATE TABLE up.parent (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE up.child (id serial PRIMARY KEY, parent_id int NOT NULL REFERENCES up.parent, note text);
INSERT INTO up.parent (name) VALUES ('one'), ('two');
INSERT INTO up.child (parent_id, note) VALUES (1, 'a'), (2, 'b'), (2, 'c');
CREATE TABLE up.doc AS SELECT seedkit_snapshot('up.parent', name => 'upgrade')::text AS doc;

-- Step by step to the default version, the user data in place: each step
-- must reach its version and keep the stored snapshots.
CREATE TABLE mismatches (version text, how text, obj text, def text);
CREATE TABLE steps AS
SELECT s.step, s.version
  FROM pg_extension_update_paths('seedkit') p,
	   unnest(string_to_array(p.path, '--')) WITH ORDINALITY AS s(version, step)
 WHERE p.source = :'oldest' AND p.target = :'newest' AND s.step > 1;
DO $$
DECLARE
	v text;
	oldest text := (SELECT version FROM versions ORDER BY sortkey LIMIT 1);
	upgraded_doc text;
BEGIN
	FOR v IN SELECT version FROM steps ORDER BY step LOOP
		EXECUTE format('ALTER EXTENSION seedkit UPDATE TO %L', v);
		IF (SELECT extversion FROM pg_extension WHERE extname = 'seedkit') <> v THEN
			INSERT INTO mismatches VALUES (v, 'extversion after update', NULL, NULL);
		END IF;
		IF NOT EXISTS (SELECT 1 FROM seedkit.snapshots WHERE name = 'upgrade') THEN
			INSERT INTO mismatches VALUES (v, 'stored snapshot lost', NULL, NULL);
		END IF;
	END LOOP;
END
$$;
SELECT extversion = :'newest' AS at_default_version FROM pg_extension WHERE extname = 'seedkit';
-- the stored snapshot survived every step, byte for byte
SELECT s.document::text = d.doc AS stored_snapshot_unchanged
  FROM seedkit.snapshots s, up.doc d WHERE s.name = 'upgrade';
-- and the updated extension still takes the same snapshot
SELECT seedkit_snapshot('up.parent', name => 'upgrade')::text = d.doc AS same_snapshot FROM up.doc d;

-- Every version, reached by updating from the oldest, against a fresh install.
DO $$
DECLARE
	v text;
	s text;
	oldest text := (SELECT version FROM versions ORDER BY sortkey LIMIT 1);
BEGIN
	FOR v IN SELECT version FROM versions ORDER BY sortkey LOOP
		DROP EXTENSION seedkit CASCADE;
		EXECUTE format('CREATE EXTENSION seedkit VERSION %L', oldest);
		FOR s IN SELECT x.version
				   FROM pg_extension_update_paths('seedkit') p,
						unnest(string_to_array(p.path, '--')) WITH ORDINALITY AS x(version, step)
				  WHERE p.source = oldest AND p.target = v AND x.step > 1
				  ORDER BY x.step LOOP
			EXECUTE format('ALTER EXTENSION seedkit UPDATE TO %L', s);
		END LOOP;
		CREATE TEMP TABLE updated AS SELECT * FROM sk_members();
		DROP EXTENSION seedkit CASCADE;
		EXECUTE format('CREATE EXTENSION seedkit VERSION %L', v);
		CREATE TEMP TABLE fresh AS SELECT * FROM sk_members();
		INSERT INTO mismatches
		SELECT v, 'only after update', u.* FROM (SELECT * FROM updated EXCEPT SELECT * FROM fresh) u;
		INSERT INTO mismatches
		SELECT v, 'only in fresh install', f.* FROM (SELECT * FROM fresh EXCEPT SELECT * FROM updated) f;
		IF (SELECT count(*) FROM fresh) = 0 THEN
			INSERT INTO mismatches VALUES (v, 'no objects', NULL, NULL);
		END IF;
		DROP TABLE updated, fresh;
	END LOOP;
END
$$;
SELECT count(*) > 0 AS versions_checked FROM versions;
SELECT * FROM mismatches ORDER BY 1, 2, 3;

-- the objects of the default version, as a fresh install makes them
DROP EXTENSION seedkit CASCADE;
CREATE EXTENSION seedkit;
SELECT extversion = :'newest' AS at_default_version FROM pg_extension WHERE extname = 'seedkit';
SELECT count(*) FILTER (WHERE obj LIKE 'function seedkit\_snapshot(%') AS snapshot_functions,
	   count(*) FILTER (WHERE obj = 'table seedkit.snapshots') AS snapshots_table,
	   count(*) FILTER (WHERE obj = 'configuration table seedkit.snapshots') AS dumped_with_pg_dump
  FROM sk_members();

\c :regress_db
DROP DATABASE seedkit_test_upgrade;
