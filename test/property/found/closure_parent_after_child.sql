-- Found by test/property: a row reached first as a parent and then as a child
-- (through a cycle) does not get its own parents: d's row 7 is missing, the
-- document is not closed and restoring it fails on c_d_id_fkey.
-- Fails on 0.1.0 and with the shapes, partseq, crash, security, concurrency
-- and citus branches merged (2026-12-06).  Expected: d has 1 row.
CREATE SCHEMA h8;
CREATE TABLE h8.root (id int PRIMARY KEY, c_id int);
CREATE TABLE h8.b (id int PRIMARY KEY, root_id int);
CREATE TABLE h8.d (id int PRIMARY KEY);
CREATE TABLE h8.c (id int PRIMARY KEY, b_id int NOT NULL, d_id int NOT NULL);
INSERT INTO h8.root VALUES (1, 10);
INSERT INTO h8.b VALUES (5, 1);
INSERT INTO h8.d VALUES (7);
INSERT INTO h8.c VALUES (10, 5, 7);
ALTER TABLE h8.root ADD FOREIGN KEY (c_id) REFERENCES h8.c;
ALTER TABLE h8.b ADD FOREIGN KEY (root_id) REFERENCES h8.root;
ALTER TABLE h8.c ADD FOREIGN KEY (b_id) REFERENCES h8.b;
ALTER TABLE h8.c ADD FOREIGN KEY (d_id) REFERENCES h8.d;
SELECT table_name, rows, reached_as, via FROM seedkit_plan('h8.root', reset_keys => false) ORDER BY 1::text;
SELECT seedkit_snapshot('h8.root', name => 'h8') IS NOT NULL;
TRUNCATE h8.root, h8.b, h8.c, h8.d;
SELECT * FROM seedkit_restore('h8');
DROP SCHEMA h8 CASCADE;
