-- snapshot_selfref: a self-referencing table.  Parents are followed to the
-- end of the chain, children transitively; a self-reference is never
-- "after" (one statement inserts the table's rows).
CREATE SCHEMA snap_selfref;
SET search_path = snap_selfref, public;
CREATE TABLE staff (
  staff_id serial PRIMARY KEY,
  name text NOT NULL,
  boss_id int REFERENCES staff
);
CREATE TABLE desks (desk_id int PRIMARY KEY, staff_id int NOT NULL REFERENCES staff);
-- a chain 1 <- 2 <- ... <- 8 (each reports to the one before), a branch
-- 3 <- 20 <- 21, and an unrelated chain 30 <- 31
INSERT INTO staff SELECT g, 'chain ' || g, NULLIF(g - 1, 0) FROM generate_series(1, 8) g;
INSERT INTO staff VALUES (20, 'branch 20', 3), (21, 'branch 21', 20), (30, 'other 30', NULL), (31, 'other 31', 30);
INSERT INTO desks VALUES (1, 1), (5, 5), (21, 21), (31, 31);

-- staff 5: its bosses 4, 3, 2, 1 (parents to the end of the chain) and
-- everyone below it, 6, 7, 8 (children, transitively); not the branch
-- under 3, which hangs off a row reached only as a parent
SELECT * FROM doc_rows(seedkit_snapshot('staff', filter => 'staff_id = 5', reset_keys => false));
SELECT * FROM doc_tables(seedkit_snapshot('staff', filter => 'staff_id = 5'));
-- children => false: only the chain up
SELECT * FROM doc_rows(seedkit_snapshot('staff', filter => 'staff_id = 5', children => false, reset_keys => false));
-- the top of the chain: everyone under it, the branch included
SELECT * FROM doc_rows(seedkit_snapshot('staff', filter => 'staff_id = 1', reset_keys => false));
-- reset keys: ordinals in key order, the self-reference mapped to them
SELECT * FROM doc_rows(seedkit_snapshot('staff', filter => 'staff_id IN (21, 31)'));
-- a desk pulls its staff member's whole chain up, nothing below
SELECT * FROM doc_rows(seedkit_snapshot('desks', filter => 'desk_id = 21', reset_keys => false));

-- loops: a row referencing itself, two rows referencing each other
INSERT INTO staff VALUES (40, 'self', NULL), (41, 'loop 41', NULL), (42, 'loop 42', 41), (43, 'under 42', 42);
UPDATE staff SET boss_id = 40 WHERE staff_id = 40;
UPDATE staff SET boss_id = 42 WHERE staff_id = 41;
SELECT * FROM doc_rows(seedkit_snapshot('staff', filter => 'staff_id = 40', reset_keys => false));
SELECT * FROM doc_rows(seedkit_snapshot('staff', filter => 'staff_id = 43', reset_keys => false));
SELECT * FROM doc_rows(seedkit_snapshot('staff', filter => 'staff_id = 41'));
SELECT * FROM doc_tables(seedkit_snapshot('staff', filter => 'staff_id = 41'));
-- a long chain: 1000 levels, followed to the end in both directions
CREATE TABLE links (id int PRIMARY KEY, prev int REFERENCES links);
INSERT INTO links SELECT g, NULLIF(g - 1, 0) FROM generate_series(1, 1000) g;
SELECT json_array_length(seedkit_snapshot('links', filter => 'id = 500')->'tables'->0->'rows') AS rows;
SELECT json_array_length(seedkit_snapshot('links', filter => 'id = 500', children => false)->'tables'->0->'rows') AS rows;
SELECT (seedkit_snapshot('links', filter => 'id = 1000')->'tables'->0->'rows'->999)::text AS last_row,
       (seedkit_snapshot('links', filter => 'id = 1000')->'tables'->0->'rows'->0)::text AS first_row;

DELETE FROM seedkit.snapshots WHERE root LIKE 'snap_selfref.%';
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA snap_selfref CASCADE;
