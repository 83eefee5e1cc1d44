-- restore_inheritance: an inheritance parent is one table of the document,
-- its children others (tables are read with ONLY); what restore writes to the
-- parent after its rows exist (the foreign key closing a cycle, mode merge)
-- must not touch the children's rows that share its keys.  Found by the
-- random-schema property test (test/property).
CREATE SCHEMA ih;
CREATE TABLE ih.a (id serial PRIMARY KEY, b_id int, note text NOT NULL);
CREATE TABLE ih.a_child () INHERITS (ih.a);
ALTER TABLE ih.a_child ADD PRIMARY KEY (id);
CREATE TABLE ih.b (id serial PRIMARY KEY, a_id int NOT NULL REFERENCES ih.a);
ALTER TABLE ih.a ADD FOREIGN KEY (b_id) REFERENCES ih.b;
CREATE TABLE ih.c (id serial PRIMARY KEY, child_id int NOT NULL REFERENCES ih.a_child, b_id int NOT NULL REFERENCES ih.b);
INSERT INTO ih.a (id, note) VALUES (101, 'parent row');
INSERT INTO ih.b (id, a_id) VALUES (201, 101);
UPDATE ih.a SET b_id = 201 WHERE id = 101;
INSERT INTO ih.a_child (id, note) VALUES (102, 'child row');
INSERT INTO ih.c (id, child_id, b_id) VALUES (301, 102, 201);
SELECT setval('ih.a_id_seq', 102), setval('ih.b_id_seq', 201), setval('ih.c_id_seq', 301);
SELECT seedkit_snapshot('ih.c', name => 'ih') IS NOT NULL AS taken;
-- a and a_child both reset: in replace mode both hold key 1
SELECT table_name, reset, refs FROM doc_tables((SELECT document FROM seedkit.snapshots WHERE name = 'ih'));

TRUNCATE ih.a, ih.a_child, ih.b, ih.c;
SELECT table_name, rows FROM seedkit_restore('ih', 'replace') ORDER BY 1::text;
SELECT tableoid::regclass AS tbl, id, b_id, note FROM ih.a ORDER BY 1::text, id;
SELECT c.id, ch.note AS child, b.id AS b_id, a.note AS b_parent
  FROM ih.c c JOIN ih.a_child ch ON ch.id = c.child_id
  JOIN ih.b b ON b.id = c.b_id JOIN ONLY ih.a a ON a.id = b.a_id;

-- again, over the rows just restored
SELECT table_name, rows FROM seedkit_restore('ih', 'replace') ORDER BY 1::text;
SELECT tableoid::regclass AS tbl, id, b_id, note FROM ih.a ORDER BY 1::text, id;

DROP SCHEMA ih CASCADE;
DELETE FROM seedkit.snapshots WHERE name = 'ih';

-- replace mode refuses when a table the document does not cover references
-- a covered one and holds rows; an inheritance parent holds its own rows
-- only, not its children's (here the child is the covered table)
CREATE SCHEMA ih2;
CREATE TABLE ih2.parent (id int PRIMARY KEY, r int);
CREATE TABLE ih2.child () INHERITS (ih2.parent);
ALTER TABLE ih2.child ADD PRIMARY KEY (id);
ALTER TABLE ih2.parent ADD FOREIGN KEY (r) REFERENCES ih2.child (id);
INSERT INTO ih2.child VALUES (1, NULL);
SELECT seedkit_snapshot('ih2.child', name => 'ih2', children => false) IS NOT NULL AS taken;
SELECT table_name, rows FROM seedkit_restore('ih2', 'replace') ORDER BY 1::text;
SELECT tableoid::regclass AS tbl, * FROM ih2.parent ORDER BY id;
-- a row of the parent itself does stop it
INSERT INTO ih2.parent VALUES (5, 1);
SELECT table_name, rows FROM seedkit_restore('ih2', 'replace') ORDER BY 1::text;
DROP SCHEMA ih2 CASCADE;
DELETE FROM seedkit.snapshots WHERE name = 'ih2';
