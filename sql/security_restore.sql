-- security_restore: seedkit_restore, seedkit_load and seedkit_reseed run with
-- the caller's privileges (INSERT to append, TRUNCATE too to replace), see
-- only the caller's stored snapshots, load a NOT NULL cycle with
-- session_replication_role only where the caller may set it, and ignore a
-- hostile search_path (seedkit_reseed under one: security_reseed).
\set SHOW_CONTEXT never
SET client_min_messages = warning;
CREATE ROLE seedkit_test_owner;
CREATE ROLE seedkit_test_writer;
CREATE ROLE seedkit_test_nobody;
CREATE SCHEMA rs AUTHORIZATION seedkit_test_owner;
GRANT USAGE ON SCHEMA rs TO seedkit_test_writer, seedkit_test_nobody;
SET ROLE seedkit_test_owner;
CREATE TABLE rs.parent (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE rs.child (id serial PRIMARY KEY, parent_id int NOT NULL REFERENCES rs.parent, note text);
INSERT INTO rs.parent (name) VALUES ('p1'), ('p2');
INSERT INTO rs.child (parent_id, note) VALUES (1, 'c1'), (2, 'c2'), (2, 'c3');
GRANT INSERT ON rs.parent, rs.child TO seedkit_test_writer;
GRANT USAGE ON SEQUENCE rs.parent_id_seq, rs.child_id_seq TO seedkit_test_writer;
CREATE TABLE rs.docs (doc json);
GRANT SELECT ON rs.docs TO PUBLIC;
INSERT INTO rs.docs SELECT seedkit_snapshot('rs.parent', name => 'rs');

-- no rights: a clear permission error, nothing written
SET ROLE seedkit_test_nobody;
SELECT * FROM seedkit_restore((SELECT doc FROM rs.docs));
-- another role's stored snapshot is not there for it
SELECT * FROM seedkit_restore('rs');
-- its own stored snapshots: none, so the reset restores nothing
SELECT * FROM seedkit_restore();
-- it may store the document as its own, but not restore it
SELECT seedkit_load((SELECT doc FROM rs.docs));
SELECT * FROM seedkit_restore();
SELECT * FROM seedkit_reseed('{rs.parent}');
DELETE FROM seedkit.snapshots;

-- INSERT only: append works, replace needs TRUNCATE
SET ROLE seedkit_test_writer;
SELECT * FROM seedkit_restore((SELECT doc FROM rs.docs));
SELECT * FROM seedkit_restore((SELECT doc FROM rs.docs), mode => 'replace');
SET ROLE seedkit_test_owner;
SELECT (SELECT count(*) FROM rs.parent) AS parents, (SELECT count(*) FROM rs.child) AS children;
-- the owner may replace
SELECT * FROM seedkit_restore((SELECT doc FROM rs.docs), mode => 'replace');
SELECT p.id, p.name, c.id AS child, c.note FROM rs.parent p JOIN rs.child c ON c.parent_id = p.id ORDER BY 1, 3;

-- a target table with row-level security: its policies apply, a row their
-- WITH CHECK refuses fails the whole restore
ALTER TABLE rs.child ENABLE ROW LEVEL SECURITY;
CREATE POLICY child_writer ON rs.child TO seedkit_test_writer USING (true) WITH CHECK (note <> 'c2');
SET ROLE seedkit_test_writer;
SELECT * FROM seedkit_restore((SELECT doc FROM rs.docs));
SET ROLE seedkit_test_owner;
SELECT (SELECT count(*) FROM rs.parent) AS parents, (SELECT count(*) FROM rs.child) AS children;
ALTER TABLE rs.child DISABLE ROW LEVEL SECURITY;

-- a cycle of NOT NULL, non-deferrable foreign keys needs session_replication_role
CREATE TABLE rs.cyc_a (id int PRIMARY KEY, b_id int NOT NULL);
CREATE TABLE rs.cyc_b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES rs.cyc_a);
ALTER TABLE rs.cyc_a ADD FOREIGN KEY (b_id) REFERENCES rs.cyc_b;
RESET ROLE;
SET session_replication_role = replica;
INSERT INTO rs.cyc_a VALUES (1, 2), (2, 1);
INSERT INTO rs.cyc_b VALUES (1, 1), (2, 2);
RESET session_replication_role;
SET ROLE seedkit_test_owner;
INSERT INTO rs.docs SELECT seedkit_snapshot('rs.cyc_a', name => 'rs_cycle');
TRUNCATE rs.cyc_a, rs.cyc_b;
SELECT * FROM seedkit_restore((SELECT doc FROM rs.docs WHERE doc->>'name' = 'rs_cycle'));
RESET ROLE;
GRANT SET ON PARAMETER session_replication_role TO seedkit_test_owner;
SET ROLE seedkit_test_owner;
SELECT * FROM seedkit_restore((SELECT doc FROM rs.docs WHERE doc->>'name' = 'rs_cycle'));
SELECT a.id, a.b_id, b.a_id FROM rs.cyc_a a JOIN rs.cyc_b b ON b.id = a.b_id ORDER BY 1;
SHOW session_replication_role;
RESET ROLE;
REVOKE SET ON PARAMETER session_replication_role FROM seedkit_test_owner;

-- a hostile search_path: shadowing functions and operators are never called
CREATE SCHEMA evil;
CREATE SEQUENCE evil.calls;
CREATE FUNCTION evil.hit() RETURNS void LANGUAGE sql AS $$ SELECT pg_catalog.nextval('evil.calls'); $$;
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT evil.hit(); SELECT timestamptz '1999-01-01'; $$;
CREATE FUNCTION evil.quote_ident(text) RETURNS text LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 'evil'; $$;
CREATE FUNCTION evil.setval(regclass, bigint) RETURNS bigint LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 1::bigint; $$;
CREATE FUNCTION evil.setval(regclass, bigint, boolean) RETURNS bigint LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 1::bigint; $$;
CREATE FUNCTION evil.nextval(regclass) RETURNS bigint LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 1::bigint; $$;
CREATE FUNCTION evil.pg_get_serial_sequence(text, text) RETURNS text LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 'evil.calls'; $$;
CREATE FUNCTION evil.cnt_sfunc(bigint) RETURNS bigint LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 42::bigint; $$;
CREATE AGGREGATE evil.count(*) (sfunc = evil.cnt_sfunc, stype = bigint, initcond = '0');
CREATE FUNCTION evil.sfunc_any(bigint, anyelement) RETURNS bigint LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 42::bigint; $$;
CREATE AGGREGATE evil.max(anyelement) (sfunc = evil.sfunc_any, stype = bigint, initcond = '0');
DO $$
DECLARE
	t text;
	op text;
BEGIN
	FOREACH t IN ARRAY ARRAY['int', 'bigint', 'text', 'oid', 'name', 'boolean', 'regclass'] LOOP
		EXECUTE format('CREATE FUNCTION evil.lie(%s, %s) RETURNS boolean LANGUAGE sql '
					   'AS $f$ SELECT evil.hit(); SELECT true; $f$', t, t);
		FOREACH op IN ARRAY ARRAY['=', '<>', '<', '<=', '>', '>='] LOOP
			EXECUTE format('CREATE OPERATOR evil.%s (function = evil.lie, leftarg = %s, rightarg = %s)',
						   op, t, t);
		END LOOP;
	END LOOP;
END
$$;
CREATE TABLE rs.result (label text, n bigint);
SET search_path = evil, pg_catalog, public;
INSERT INTO rs.result SELECT 'append', r.rows FROM seedkit_restore((SELECT doc FROM rs.docs LIMIT 1)) r;
INSERT INTO rs.result SELECT 'replace', r.rows FROM seedkit_restore((SELECT doc FROM rs.docs LIMIT 1), mode => 'replace') r;
SELECT is_called AS any_shadow_called FROM evil.calls;
RESET search_path;
SELECT label, n FROM rs.result ORDER BY label, n;
SELECT p.id, p.name, c.id AS child, c.note FROM rs.parent p JOIN rs.child c ON c.parent_id = p.id ORDER BY 1, 3;
INSERT INTO rs.parent (name) VALUES ('next') RETURNING id;

DELETE FROM seedkit.snapshots WHERE name LIKE 'rs%';
DROP SCHEMA evil CASCADE;
DROP SCHEMA rs CASCADE;
DROP ROLE seedkit_test_owner, seedkit_test_writer, seedkit_test_nobody;
