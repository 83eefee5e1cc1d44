-- restore_sequence_unqualified: a default naming its sequence by unqualified
-- text, nextval('su_s'::text), records no dependency and finds the sequence
-- in the inserting session's search_path.  Restore and seedkit_reseed look
-- the name up in the caller's search_path, as the caller's INSERT would:
-- replace mode and seedkit_reseed move that sequence, append mode draws
-- fresh keys from it.  The caller's path chooses no operator or function.
\set SHOW_CONTEXT never
CREATE SCHEMA su;
CREATE SEQUENCE public.su_s;
CREATE TABLE su.t (id int PRIMARY KEY DEFAULT nextval('su_s'::text), name text NOT NULL);
CREATE TABLE su.u (id int PRIMARY KEY DEFAULT nextval('su_s'::text),
                   t_id int NOT NULL REFERENCES su.t);
INSERT INTO su.t VALUES (10, 'a'), (11, 'b');
INSERT INTO su.u VALUES (20, 10), (21, 11), (22, 11);
SELECT table_name, reset FROM doc_tables(seedkit_snapshot('su.t', name => 'su'));
-- replace mode: keys 1..n, public.su_s set past them (it was never called)
SELECT * FROM seedkit_restore('su', 'replace');
SELECT last_value, is_called FROM public.su_s;
INSERT INTO su.t (name) VALUES ('new t') RETURNING id, name;
-- seedkit_reseed sees it too
SELECT n.nspname, c.relname, r.last_value
  FROM seedkit_reseed(ARRAY['su.t', 'su.u']::regclass[]) r
  JOIN pg_class c ON c.oid = r.sequence JOIN pg_namespace n ON n.oid = c.relnamespace;
-- append mode: fresh keys drawn from public.su_s
SELECT * FROM seedkit_restore('su');
SELECT u.id, t.id AS t_id, t.name FROM su.u u JOIN su.t t ON t.id = u.t_id ORDER BY u.id;
-- another path, another sequence: the one the caller's INSERT would use
CREATE SCHEMA su2;
CREATE SEQUENCE su2.su_s;
-- operators of the caller's path are not called
CREATE SEQUENCE su2.calls;
CREATE FUNCTION su2.lie(oid, oid) RETURNS boolean LANGUAGE sql
	AS $$ SELECT pg_catalog.nextval('su2.calls') IS NULL; $$;
CREATE OPERATOR su2.= (function = su2.lie, leftarg = oid, rightarg = oid);
SET search_path = su2, public;
SELECT n.nspname, c.relname, r.last_value
  FROM seedkit_reseed(ARRAY['su.t', 'su.u']::regclass[]) r
  JOIN pg_class c ON c.oid = r.sequence JOIN pg_namespace n ON n.oid = c.relnamespace;
SELECT * FROM seedkit_restore('su');
INSERT INTO su.u (t_id) VALUES (1) RETURNING id;
SELECT is_called AS any_shadow_called FROM su2.calls;
-- a path where the name means nothing: no sequence is moved, none refused
SET search_path = pg_catalog;
SELECT count(*) FROM public.seedkit_reseed(ARRAY['su.t', 'su.u']::regclass[]);
RESET search_path;
SELECT last_value FROM public.su_s;
SELECT last_value FROM su2.su_s;
DELETE FROM seedkit.snapshots WHERE name = 'su';
SET client_min_messages = warning;
DROP SCHEMA su, su2 CASCADE;
RESET client_min_messages;
DROP SEQUENCE public.su_s;
