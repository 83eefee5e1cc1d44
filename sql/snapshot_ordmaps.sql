-- snapshot_ordmaps: the ordinals of a reset single integer key are looked
-- up in memory (ordmap.c); a map over the memory a hash table may take,
-- and a key that is not an integer, keep their temporary tables.  Both
-- give the same document.
CREATE SCHEMA om;
SET search_path = om, public;
SET seedkit.seed = 'ordmaps-seed-1';
CREATE TABLE parent (parent_id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE small (small_id smallserial PRIMARY KEY, label text);
-- bigint and smallint columns referencing integer and smallint keys
CREATE TABLE child (child_id bigserial PRIMARY KEY, parent_id bigint REFERENCES parent,
                    small_id smallint REFERENCES small, note text);
-- a reference no constraint checks, declared with seedkit_relate
CREATE TABLE note (note_id serial PRIMARY KEY, parent_ref int, body text);
-- keys from 1001: ordinals differ from them
INSERT INTO parent SELECT 1000 + i, 'parent ' || i FROM generate_series(1, 9000) i;
INSERT INTO small (label) SELECT 'small ' || i FROM generate_series(1, 5) i;
INSERT INTO child (parent_id, small_id, note) VALUES
  (9999, 5, 'a'), (1003, NULL, 'b'), (NULL, 2, 'c'), (1003, 2, 'd'), (1001, 1, 'e');
INSERT INTO note (parent_ref, body) VALUES (9998, 'x'), (NULL, 'y'), (1002, 'z');
SELECT seedkit_relate('note', '{parent_ref}', 'parent', '{parent_id}');

CREATE FUNCTION om_doc(spec text) RETURNS json LANGUAGE sql AS
  $$ SELECT seedkit_subset(spec::jsonb, anonymise => false) $$;
-- the ordinal maps the snapshots of the transaction kept as temporary tables
CREATE FUNCTION om_map_tables() RETURNS bigint LANGUAGE sql AS
  $$ SELECT count(*) FROM pg_catalog.pg_class
      WHERE relnamespace = pg_catalog.pg_my_temp_schema() AND relname LIKE 'seedkit\_m%' $$;

-- in memory: no map table
BEGIN;
CREATE TEMP TABLE d1 AS SELECT om_doc('{"roots": [{"table": "om.child"}, {"table": "om.note"}], "whole": ["om.parent"]}') AS d;
SELECT om_map_tables() AS map_tables;
COMMIT;
SELECT e.t->>'table' AS table_name, r.n AS row_no, r.v::text AS row_text
  FROM d1, jsonb_array_elements(d1.d::jsonb->'tables') WITH ORDINALITY e(t, tn),
       jsonb_array_elements(e.t->'rows') WITH ORDINALITY r(v, n)
 WHERE e.t->>'table' <> 'om.parent' OR r.n IN (1, 2, 3, 8998, 8999, 9000)
 ORDER BY e.tn, r.n;

-- 9,000 keys take more than 64 kB: the parent's map is a table, the
-- document the same
BEGIN;
SET LOCAL work_mem = '64kB';
SET LOCAL hash_mem_multiplier = 1;
CREATE TEMP TABLE d2 AS SELECT om_doc('{"roots": [{"table": "om.child"}, {"table": "om.note"}], "whole": ["om.parent"]}') AS d;
SELECT om_map_tables() AS map_tables;
COMMIT;
SELECT md5((SELECT d FROM d1)::text) = md5((SELECT d FROM d2)::text) AS same_document;

-- the parents the roots reach
BEGIN;
CREATE TEMP TABLE d3 AS SELECT om_doc('{"roots": [{"table": "om.child"}, {"table": "om.note"}]}') AS d;
SELECT om_map_tables() AS map_tables;
COMMIT;
SELECT * FROM doc_rows((SELECT d FROM d3));

-- a uuid key keeps its map table
CREATE TABLE uparent (u uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text);
CREATE TABLE uchild (uchild_id serial PRIMARY KEY, u uuid REFERENCES uparent);
INSERT INTO uparent VALUES ('ffffffff-0000-0000-0000-000000000000', 'second'),
  ('00000000-0000-0000-0000-000000000000', 'first');
INSERT INTO uchild (u) VALUES ('ffffffff-0000-0000-0000-000000000000'), (NULL),
  ('00000000-0000-0000-0000-000000000000');
BEGIN;
CREATE TEMP TABLE d4 AS SELECT om_doc('{"roots": [{"table": "om.uchild"}]}') AS d;
SELECT om_map_tables() AS map_tables;
COMMIT;
SELECT * FROM doc_rows((SELECT d FROM d4));

-- a value the relation names that the parent does not hold: the same
-- error from the map in memory and from its table
UPDATE note SET parent_ref = 12345 WHERE body = 'z';
SELECT om_doc('{"roots": [{"table": "om.note"}], "whole": ["om.parent"]}') IS NOT NULL;
BEGIN;
SET LOCAL work_mem = '64kB';
SET LOCAL hash_mem_multiplier = 1;
SELECT om_doc('{"roots": [{"table": "om.note"}], "whole": ["om.parent"]}') IS NOT NULL;
ROLLBACK;

SELECT seedkit_unrelate('note', '{parent_ref}', 'parent');
DROP SCHEMA om CASCADE;
RESET search_path;
