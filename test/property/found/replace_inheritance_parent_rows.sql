-- Found by test/property: replace mode checks whether a table the snapshot does
-- not cover, but which references a covered one, holds rows; for an inheritance
-- parent it counts its children's rows too (no ONLY), so restoring a snapshot
-- of the child alone is refused although the parent itself is empty.
-- Fails on 0.1.0 and with shapes, partseq and concurrency merged.  Expected: 1 row.
CREATE SCHEMA h10;
CREATE TABLE h10.parent (id int PRIMARY KEY, r int);
CREATE TABLE h10.child () INHERITS (h10.parent);
ALTER TABLE h10.child ADD PRIMARY KEY (id);
ALTER TABLE h10.parent ADD FOREIGN KEY (r) REFERENCES h10.child (id);
INSERT INTO h10.child VALUES (1, NULL);
SELECT seedkit_snapshot('h10.child', name => 'h10', children => false) IS NOT NULL;
SELECT * FROM seedkit_restore('h10', 'replace');
DROP SCHEMA h10 CASCADE;
