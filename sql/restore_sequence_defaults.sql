-- restore_sequence_defaults: a default naming its sequence through an
-- expression (nextval('s' || ''), the old nextval(('s'::text)::regclass))
-- records no dependency on the sequence; seedkit folds the argument and
-- finds the name, so the sequence is reseeded after a restore.  An
-- unqualified name is looked up in the caller's search_path
-- (restore_sequence_unqualified); one computed at run time cannot be known
-- (README: limits).
CREATE SCHEMA sd;
CREATE SEQUENCE sd.s_cast;
CREATE SEQUENCE sd.s_concat;
CREATE SEQUENCE sd.s_bare;
CREATE TABLE sd.a (id int PRIMARY KEY DEFAULT nextval(('sd.s_cast'::text)::regclass), name text NOT NULL);
CREATE TABLE sd.b (id int PRIMARY KEY DEFAULT nextval('sd.s_' || 'concat'), a_id int NOT NULL REFERENCES sd.a,
                   name text NOT NULL);
-- unqualified: looked up in the inserting session's search_path
CREATE TABLE sd.c (id int PRIMARY KEY DEFAULT nextval('s_bare'::text));
-- no pg_depend entry ties these defaults to their sequences
SELECT c.relname, pg_get_expr(ad.adbin, ad.adrelid),
       EXISTS (SELECT FROM pg_depend d JOIN pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'
                WHERE d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
                AND d.refclassid = 'pg_class'::regclass) AS depends
  FROM pg_attrdef ad JOIN pg_class c ON c.oid = ad.adrelid
 WHERE c.relnamespace = 'sd'::regnamespace ORDER BY 1;
INSERT INTO sd.a (id, name) VALUES (10, 'a10'), (11, 'a11');
INSERT INTO sd.b (id, a_id, name) VALUES (20, 10, 'b20'), (21, 11, 'b21'), (22, 11, 'b22');
INSERT INTO sd.c VALUES (30);
-- seedkit_reseed moves both folded sequences past the rows (s_bare, not on
-- the caller's search_path, is not seen)
SELECT * FROM seedkit_reseed(ARRAY['sd.a', 'sd.b', 'sd.c']::regclass[]) ORDER BY 1::text;
-- the keys are reset in the snapshot (any nextval() default is a surrogate)
SELECT table_name, reset FROM doc_tables(seedkit_snapshot('sd.a', name => 'sd'));
-- replace mode: keys 1..n, each sequence set just past them
SELECT * FROM seedkit_restore('sd', 'replace');
SELECT last_value, is_called FROM sd.s_cast;
SELECT last_value, is_called FROM sd.s_concat;
INSERT INTO sd.a (name) VALUES ('new a') RETURNING id, name;
INSERT INTO sd.b (a_id, name) VALUES (1, 'new b') RETURNING id, name;
-- append mode: fresh keys drawn from the defaults, past the rows
SELECT * FROM seedkit_restore('sd');
SELECT b.id, b.name, a.name AS a_name FROM sd.b b JOIN sd.a a ON a.id = b.a_id ORDER BY b.id;
SELECT last_value FROM sd.s_concat;
DELETE FROM seedkit.snapshots WHERE name = 'sd';
DROP SCHEMA sd CASCADE;
