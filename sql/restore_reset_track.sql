-- restore_reset_track: what the per-test reset installs on the covered
-- tables (issue 12): the seedkit_track trigger, shown by \d; removed by
-- seedkit_untrack, by deleting the last stored snapshot covering the table
-- and by DROP EXTENSION; a role that may not track gets full resets and
-- one NOTICE.
CREATE SCHEMA rt;
CREATE TABLE rt.a (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE rt.b (id serial PRIMARY KEY, a_id int NOT NULL REFERENCES rt.a, n int);
INSERT INTO rt.a (name) SELECT 'a' || g FROM generate_series(1, 3) g;
INSERT INTO rt.b (a_id, n) SELECT g % 3 + 1, g FROM generate_series(1, 5) g;
SELECT seedkit_snapshot('rt.a', name => 'rt') IS NOT NULL AS stored;
SELECT seedkit_snapshot('rt.b', name => 'rt_b') IS NOT NULL AS stored;
-- nothing is installed before the first reset
SELECT count(*) FROM pg_trigger WHERE tgrelid IN ('rt.a'::regclass, 'rt.b'::regclass) AND NOT tgisinternal;
SELECT table_name, rows FROM seedkit_restore('rt', 'replace');
\d rt.b
SELECT relid::regclass, name FROM seedkit.tracked WHERE relid IN ('rt.a'::regclass, 'rt.b'::regclass) ORDER BY 1, 2;
-- a write marks its table (one row per statement), a reset clears it
UPDATE rt.b SET n = n + 1 WHERE id = 1;
SELECT relid::regclass, truncated FROM seedkit.changes WHERE relid IN ('rt.a'::regclass, 'rt.b'::regclass);
SELECT count(*) AS rows FROM seedkit_restore('rt', 'replace');
SELECT count(*) AS marks FROM seedkit.changes WHERE relid IN ('rt.a'::regclass, 'rt.b'::regclass);
SELECT id, a_id, n FROM rt.b ORDER BY id;

-- seedkit_untrack removes the trigger; the next reset is a full one and
-- puts it back
SELECT seedkit_untrack(ARRAY['rt.b'::regclass]);
SELECT tgrelid::regclass, tgname FROM pg_trigger WHERE tgrelid IN ('rt.a'::regclass, 'rt.b'::regclass) AND NOT tgisinternal ORDER BY 1;
UPDATE rt.b SET n = 0;
SELECT count(*) AS rows FROM seedkit_restore('rt', 'replace');
SELECT id, a_id, n FROM rt.b ORDER BY id;
SELECT tgrelid::regclass, tgname, tgenabled FROM pg_trigger WHERE tgrelid IN ('rt.a'::regclass, 'rt.b'::regclass) AND NOT tgisinternal ORDER BY 1;
-- a disabled trigger is not trusted: a full reset, which enables it again
ALTER TABLE rt.b DISABLE TRIGGER ALL;
UPDATE rt.b SET n = 0;
ALTER TABLE rt.b ENABLE TRIGGER ALL;
SELECT tgenabled FROM pg_trigger WHERE tgrelid = 'rt.b'::regclass AND NOT tgisinternal;
SELECT count(*) AS rows FROM seedkit_restore('rt', 'replace');
SELECT id, a_id, n FROM rt.b ORDER BY id;
SELECT tgenabled FROM pg_trigger WHERE tgrelid = 'rt.b'::regclass AND NOT tgisinternal;
-- with no argument: every table the caller may untrack
SELECT t FROM seedkit_untrack() t WHERE t::text LIKE 'rt.%' ORDER BY 1;
SELECT count(*) FROM pg_trigger WHERE tgrelid IN ('rt.a'::regclass, 'rt.b'::regclass) AND NOT tgisinternal;

-- deleting a stored snapshot removes the trigger from the tables no other
-- stored snapshot covers: rt_b covers both tables too (rt.b and the rows
-- of rt.a it references), so the triggers go with the second delete
SELECT count(*) AS rows FROM seedkit_restore('rt', 'replace');
SELECT count(*) AS rows FROM seedkit_restore('rt_b', 'replace');
SELECT relid::regclass, name FROM seedkit.tracked WHERE relid IN ('rt.a'::regclass, 'rt.b'::regclass) ORDER BY 1, 2;
DELETE FROM seedkit.snapshots WHERE name = 'rt';
SELECT tgrelid::regclass, tgname FROM pg_trigger WHERE tgrelid IN ('rt.a'::regclass, 'rt.b'::regclass) AND NOT tgisinternal ORDER BY 1;
DELETE FROM seedkit.snapshots WHERE name = 'rt_b';
SELECT count(*) FROM pg_trigger WHERE tgrelid IN ('rt.a'::regclass, 'rt.b'::regclass) AND NOT tgisinternal;
SELECT count(*) FROM seedkit.tracked WHERE relid IN ('rt.a'::regclass, 'rt.b'::regclass);

-- a role without the TRIGGER privilege: full resets, one NOTICE per session
CREATE TABLE rt.plain (id int PRIMARY KEY, v text);
INSERT INTO rt.plain VALUES (1, 'one'), (2, 'two');
CREATE ROLE rt_user;
GRANT USAGE ON SCHEMA rt TO rt_user;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON rt.plain TO rt_user;
SET ROLE rt_user;
SELECT seedkit_snapshot('rt.plain', name => 'rt_plain') IS NOT NULL AS stored;
SELECT count(*) AS rows FROM seedkit_restore('rt_plain', 'replace');
UPDATE rt.plain SET v = 'changed';
SELECT count(*) AS rows FROM seedkit_restore('rt_plain', 'replace');
SELECT id, v FROM rt.plain ORDER BY id;
DELETE FROM seedkit.snapshots WHERE name = 'rt_plain';
RESET ROLE;
SELECT count(*) FROM pg_trigger WHERE tgrelid = 'rt.plain'::regclass AND NOT tgisinternal;
DISCARD TEMP;
DROP OWNED BY rt_user;
DROP ROLE rt_user;
DROP SCHEMA rt CASCADE;

-- DROP EXTENSION removes the triggers (in a database of its own)
SELECT current_database() AS regdb \gset
CREATE DATABASE seedkit_reset_drop;
\c seedkit_reset_drop
SET client_min_messages = warning;
CREATE EXTENSION seedkit;
CREATE TABLE t (id serial PRIMARY KEY, v text);
INSERT INTO t (v) VALUES ('x'), ('y');
SELECT seedkit_snapshot('t', name => 'd') IS NOT NULL AS stored;
SELECT count(*) AS rows FROM seedkit_restore('d', 'replace');
SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 't'::regclass;
DROP EXTENSION seedkit;
SELECT count(*) FROM pg_trigger WHERE tgrelid = 't'::regclass;
INSERT INTO t (v) VALUES ('still writable');
\c :regdb
DROP DATABASE seedkit_reset_drop;
