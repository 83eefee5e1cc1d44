-- A foreign key value of a row type with a null field, ROW(5, NULL), IS NULL
-- to SQL, but it is a value: its trigger checks it, and a parent key may
-- hold it.  The closure tests such values as the trigger does (the parent
-- row (5,) was left out of the snapshot, and a merged child step did not
-- find the children of a parent whose key is (5,)).
CREATE SCHEMA rk;
CREATE TYPE rk.pair AS (a int, b int);
CREATE TABLE rk.p (k rk.pair PRIMARY KEY, name text NOT NULL);
CREATE TABLE rk.c (id int PRIMARY KEY, k rk.pair REFERENCES rk.p);
INSERT INTO rk.p VALUES (ROW(5, NULL), 'half'), (ROW(1, 1), 'one'), (ROW(2, 2), 'two');
INSERT INTO rk.c VALUES (1, ROW(5, NULL)), (2, ROW(1, 1)), (3, NULL);
-- parents reached from the children: (5,) and (1,1), not (2,2)
SELECT t->>'table' AS table_name, r::text AS row_values
  FROM json_array_elements(seedkit_snapshot('rk.c', reset_keys => false)->'tables') t,
	   json_array_elements(t->'rows') r
 ORDER BY 1, 2;
DELETE FROM seedkit.snapshots;

-- a table with two keys to two roots: one statement finds its rows (the
-- merged child step); the rows under parent (5,) are found too
CREATE TABLE rk.b (id int PRIMARY KEY);
INSERT INTO rk.b VALUES (1), (2);
CREATE TABLE rk.x (id int PRIMARY KEY, k rk.pair NOT NULL REFERENCES rk.p, b_id int NOT NULL REFERENCES rk.b);
INSERT INTO rk.x VALUES (1, ROW(5, NULL), 2), (2, ROW(1, 1), 2), (3, ROW(2, 2), 1), (4, ROW(2, 2), 2);
SELECT t->>'table' AS table_name, r::text AS row_values
  FROM json_array_elements(seedkit_subset('{"roots": [{"table": "rk.p", "filter": "name <> ''two''"}, {"table": "rk.b", "filter": "id = 1"}], "exclude": ["rk.c"]}',
								reset_keys => false)->'tables') t,
	   json_array_elements(t->'rows') r
 ORDER BY 1, 2;
DELETE FROM seedkit.snapshots;
SET client_min_messages = warning;
DROP SCHEMA rk CASCADE;
RESET client_min_messages;
