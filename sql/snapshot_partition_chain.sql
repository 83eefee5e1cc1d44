-- snapshot_partition_chain: a foreign key declared on one partition only
-- (t2_p1 -> t2) references a column that holds ordinals through a chain
-- (t2.id -> t0.id, a serial).  The rows of the other partition keep plain
-- values in that foreign key's columns, so the chain's reset key is kept as
-- it is too: the document holds no ordinal that a plain value could be
-- taken for.  Found by the random-schema property test (test/property).
CREATE SCHEMA pc;
CREATE TABLE pc.t0 (id serial PRIMARY KEY, note text NOT NULL);
CREATE TABLE pc.t2 (id int, part int NOT NULL, note text NOT NULL, r0_id int, r0_part int,
                    PRIMARY KEY (id, part)) PARTITION BY LIST (part);
CREATE TABLE pc.t2_p0 PARTITION OF pc.t2 FOR VALUES IN (0);
CREATE TABLE pc.t2_p1 PARTITION OF pc.t2 FOR VALUES IN (1);
INSERT INTO pc.t0 (id, note) VALUES (1005, 'zero'), (1006, 'one');
SELECT setval('pc.t0_id_seq', 1006);
INSERT INTO pc.t2 VALUES (1005, 0, 'p0 row', 1005, 0), (1006, 1, 'p1 row', 1005, 0);
ALTER TABLE pc.t2 ADD CONSTRAINT t2_chain FOREIGN KEY (id) REFERENCES pc.t0;
ALTER TABLE pc.t2_p1 ADD CONSTRAINT t2_p1_self FOREIGN KEY (r0_id, r0_part) REFERENCES pc.t2 (id, part);

SELECT seedkit_snapshot('pc.t0', name => 'pc') IS NOT NULL AS taken;
-- t0.id is not reset: t2.id would hold its ordinals, and t2_p0's r0_id
-- (no foreign key there) plain values of t2.id
SELECT table_name, key, reset, refs FROM doc_tables((SELECT document FROM seedkit.snapshots WHERE name = 'pc'));
SELECT table_name, row_text FROM doc_rows((SELECT document FROM seedkit.snapshots WHERE name = 'pc'));

-- replace restore into the emptied tables gives the same rows back
TRUNCATE pc.t0, pc.t2;
SELECT table_name, rows FROM seedkit_restore('pc', 'replace') ORDER BY 1::text;
SELECT c.note, c.id = p.id AS chain_ok, c.r0_id, c.r0_part
  FROM pc.t2 c JOIN pc.t0 p ON p.id = c.id ORDER BY c.note;
SELECT nextval('pc.t0_id_seq') > 1006 AS sequence_ahead;
DROP SCHEMA pc CASCADE;
DELETE FROM seedkit.snapshots WHERE name = 'pc';
