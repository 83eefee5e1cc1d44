-- Found by test/property: restore in replace mode TRUNCATEs an inheritance
-- parent without ONLY, so the rows of its child tables, which the document
-- does not cover (tables are read with ONLY), are destroyed; when another
-- table references a child, the TRUNCATE fails instead.
-- Fails on 0.1.0 and with every branch merged.  Expected: c2 stays.
CREATE SCHEMA h5;
CREATE TABLE h5.parent (id int PRIMARY KEY, note text);
CREATE TABLE h5.child () INHERITS (h5.parent);
INSERT INTO h5.parent VALUES (1, 'p1');
INSERT INTO h5.child VALUES (2, 'c2');
SELECT seedkit_snapshot('h5.parent', name => 'h5') IS NOT NULL;
SELECT * FROM seedkit_restore('h5', 'replace');
SELECT tableoid::regclass, * FROM h5.parent ORDER BY id;   -- the child's row 2 is gone
DROP SCHEMA h5 CASCADE;
