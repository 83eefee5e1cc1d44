-- Restore bugs found by the random-schema property test (issue 10), one
-- section per case, each named after its reproduction in test/property.

-- replica_check_partitioned_target: after a load under
-- session_replication_role = replica, the foreign keys are checked by hand;
-- the per-partition copies PostgreSQL makes of a foreign key referencing a
-- partitioned table (each sees one partition) must not be checked on their
-- own: a row referencing p1 is not missing from p0.
CREATE SCHEMA fr1;
CREATE TABLE fr1.a (id int PRIMARY KEY, pid int NOT NULL, ppart int NOT NULL);
CREATE TABLE fr1.p (id int, part int, a_id int NOT NULL, PRIMARY KEY (id, part)) PARTITION BY LIST (part);
CREATE TABLE fr1.p0 PARTITION OF fr1.p FOR VALUES IN (0);
CREATE TABLE fr1.p1 PARTITION OF fr1.p FOR VALUES IN (1);
INSERT INTO fr1.a VALUES (1, 1, 1), (2, 2, 0);
INSERT INTO fr1.p VALUES (1, 1, 1), (2, 0, 2);
ALTER TABLE fr1.a ADD FOREIGN KEY (pid, ppart) REFERENCES fr1.p;
ALTER TABLE fr1.p ADD FOREIGN KEY (a_id) REFERENCES fr1.a;
SELECT seedkit_snapshot('fr1.a', name => 'fr1') IS NOT NULL AS taken;
TRUNCATE fr1.a, fr1.p;
SELECT * FROM seedkit_restore('fr1') ORDER BY 1::text;
SELECT tableoid::regclass AS partition, * FROM fr1.p ORDER BY id;
-- the foreign key is still checked: a key in no partition is refused
TRUNCATE fr1.a, fr1.p;
SELECT * FROM seedkit_restore('fr1', overrides => '{"fr1.a": {"pid": 3}}');
SELECT count(*) AS a_rows FROM fr1.a;
DROP SCHEMA fr1 CASCADE;
DELETE FROM seedkit.snapshots WHERE name = 'fr1';

-- replace_inheritance_child: replace mode empties the tables of the
-- document as snapshot reads them; an inheritance child is a table of its
-- own, which the document does not hold: its rows stay, a table referencing
-- it does not stop the restore, and the parent's sequence, which the child
-- draws from too, stays ahead of the child's keys.
CREATE SCHEMA fr2;
CREATE TABLE fr2.parent (id serial PRIMARY KEY, note text);
CREATE TABLE fr2.child () INHERITS (fr2.parent);
ALTER TABLE fr2.child ADD PRIMARY KEY (id);
CREATE TABLE fr2.uses_child (id int PRIMARY KEY, child_id int REFERENCES fr2.child);
INSERT INTO fr2.parent (note) VALUES ('p1');
INSERT INTO fr2.child (note) VALUES ('c2'), ('c3');
INSERT INTO fr2.uses_child VALUES (1, 2);
SELECT seedkit_snapshot('fr2.parent', name => 'fr2') IS NOT NULL AS taken;
SELECT * FROM seedkit_restore('fr2', 'replace');
SELECT tableoid::regclass AS table_name, * FROM fr2.parent ORDER BY id;
SELECT * FROM fr2.uses_child;
INSERT INTO fr2.parent (note) VALUES ('p4') RETURNING id;
DROP SCHEMA fr2 CASCADE;
DELETE FROM seedkit.snapshots WHERE name = 'fr2';

-- override_after_fk_ignored: an override of a foreign key column that
-- closes a cycle (nullable, so written as null and filled in after the
-- rows) is written as given, like any foreign key override: a missing key
-- is refused by the foreign key, a valid one is written, on every row or
-- on one row, and null leaves the column null.
CREATE SCHEMA fr3;
CREATE TABLE fr3.a (id int PRIMARY KEY, b_id int);
CREATE TABLE fr3.b (id int PRIMARY KEY, a_id int NOT NULL);
INSERT INTO fr3.a VALUES (1, 2), (3, 4);
INSERT INTO fr3.b VALUES (2, 1), (4, 3);
-- deferrable and initially deferred: checked at commit
ALTER TABLE fr3.a ADD CONSTRAINT a_b_fkey FOREIGN KEY (b_id) REFERENCES fr3.b DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE fr3.b ADD FOREIGN KEY (a_id) REFERENCES fr3.a;
SELECT seedkit_snapshot('fr3.a', name => 'fr3', reset_keys => false) IS NOT NULL AS taken;
SELECT t->>'table' AS table_name, r->>'constraint' AS constraint_name, r->'after' AS after
FROM seedkit.snapshots s, json_array_elements(s.document->'tables') t, json_array_elements(t->'references') r
WHERE s.name = 'fr3' ORDER BY 1, 2;
SELECT * FROM seedkit_restore('fr3', 'replace', '{"fr3.a": {"b_id": 999}}');
SELECT count(*) AS a_rows FROM fr3.a;
SELECT * FROM seedkit_restore('fr3', 'replace', '{"fr3.a": {"b_id": 4}}');
SELECT * FROM fr3.a ORDER BY id;
SELECT * FROM seedkit_restore('fr3', 'replace', '{"fr3.a": {"1": {"b_id": 4}, "3": {"b_id": null}}}');
SELECT * FROM fr3.a ORDER BY id;
-- not deferrable: the override written in the load itself, before b's
-- rows, was refused even when it was valid
ALTER TABLE fr3.a DROP CONSTRAINT a_b_fkey;
ALTER TABLE fr3.a ADD CONSTRAINT a_b_fkey FOREIGN KEY (b_id) REFERENCES fr3.b;
SELECT * FROM seedkit_restore('fr3', 'replace', '{"fr3.a": {"b_id": 4}}');
SELECT * FROM fr3.a ORDER BY id;
SELECT * FROM seedkit_restore('fr3', 'replace', '{"fr3.a": {"3": {"b_id": 999}}}');
SELECT * FROM fr3.a ORDER BY id;
DROP SCHEMA fr3 CASCADE;
DELETE FROM seedkit.snapshots WHERE name = 'fr3';

-- partition_only_fk_cycle: a foreign key declared on one partition only
-- (a1_b, nullable) closes a cycle with a deferrable one: the insertion
-- order takes it into account, both tables are restored.
CREATE SCHEMA fr4;
CREATE TABLE fr4.a (id int, part int, b_id int, PRIMARY KEY (id, part)) PARTITION BY LIST (part);
CREATE TABLE fr4.a0 PARTITION OF fr4.a FOR VALUES IN (0);
CREATE TABLE fr4.a1 PARTITION OF fr4.a FOR VALUES IN (1);
CREATE TABLE fr4.b (id int PRIMARY KEY, a_id int NOT NULL, a_part int NOT NULL);
INSERT INTO fr4.a VALUES (1, 1, NULL), (2, 1, 10);
INSERT INTO fr4.b VALUES (10, 1, 1);
ALTER TABLE fr4.a1 ADD CONSTRAINT a1_b FOREIGN KEY (b_id) REFERENCES fr4.b;
ALTER TABLE fr4.b ADD CONSTRAINT b_a FOREIGN KEY (a_id, a_part) REFERENCES fr4.a DEFERRABLE INITIALLY DEFERRED;
SELECT seedkit_snapshot('fr4.a', name => 'fr4') IS NOT NULL AS taken;
TRUNCATE fr4.a, fr4.b;
SELECT * FROM seedkit_restore('fr4') ORDER BY 1::text;
SELECT tableoid::regclass AS partition, * FROM fr4.a ORDER BY id;
DROP SCHEMA fr4 CASCADE;
DELETE FROM seedkit.snapshots WHERE name = 'fr4';

-- partition_fk_not_null_cycle: a NOT NULL foreign key declared on every
-- partition (t1_t4_0, t1_t4_1) closes a cycle with another NOT NULL one:
-- loaded as the same cycle without partitions is, under
-- session_replication_role = replica with every foreign key checked after.
CREATE SCHEMA fr5;
CREATE TABLE fr5.t0 (id int PRIMARY KEY);
CREATE TABLE fr5.t1 (id int, part int, t4_id int NOT NULL, t0_id int, PRIMARY KEY (id, part)) PARTITION BY LIST (part);
CREATE TABLE fr5.t1_p0 PARTITION OF fr5.t1 FOR VALUES IN (0);
CREATE TABLE fr5.t1_p1 PARTITION OF fr5.t1 FOR VALUES IN (1);
CREATE TABLE fr5.t4 (id int PRIMARY KEY, t1_id int NOT NULL, t1_part int NOT NULL);
INSERT INTO fr5.t1 VALUES (1001, 1, 1003, NULL), (1002, 0, 1004, NULL);
INSERT INTO fr5.t4 VALUES (1003, 1001, 1), (1004, 1002, 0);
ALTER TABLE fr5.t1_p0 ADD CONSTRAINT t1_t4_0 FOREIGN KEY (t4_id) REFERENCES fr5.t4;
ALTER TABLE fr5.t1_p1 ADD CONSTRAINT t1_t4_1 FOREIGN KEY (t4_id) REFERENCES fr5.t4;
ALTER TABLE fr5.t1 ADD CONSTRAINT t1_t0 FOREIGN KEY (t0_id) REFERENCES fr5.t0 DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE fr5.t4 ADD CONSTRAINT t4_t1 FOREIGN KEY (t1_id, t1_part) REFERENCES fr5.t1;
SELECT seedkit_snapshot('fr5.t4', name => 'fr5') IS NOT NULL AS taken;
SELECT t->>'table' AS table_name, r->>'constraint' AS constraint_name, r->'after' AS after
FROM seedkit.snapshots s, json_array_elements(s.document->'tables') t, json_array_elements(t->'references') r
WHERE s.name = 'fr5' ORDER BY 1, 2;
TRUNCATE fr5.t0, fr5.t1, fr5.t4;
SELECT * FROM seedkit_restore('fr5') ORDER BY 1::text;
SELECT tableoid::regclass AS partition, * FROM fr5.t1 ORDER BY id;
SHOW session_replication_role;
-- the partitions' foreign keys are checked after the load: a missing key
-- of the partition that declares it is refused
SELECT * FROM seedkit_restore('fr5', 'replace', '{"fr5.t1": {"1001,1": {"t4_id": 999}}}');
SELECT * FROM seedkit_restore('fr5', 'replace', '{"fr5.t1": {"t0_id": 5}}');
SELECT count(*) AS t1_rows FROM fr5.t1;
-- deferrable on every partition: deferred there, no replica load
ALTER TABLE fr5.t1_p0 DROP CONSTRAINT t1_t4_0;
ALTER TABLE fr5.t1_p1 DROP CONSTRAINT t1_t4_1;
ALTER TABLE fr5.t1_p0 ADD CONSTRAINT t1_t4_0 FOREIGN KEY (t4_id) REFERENCES fr5.t4 DEFERRABLE;
ALTER TABLE fr5.t1_p1 ADD CONSTRAINT t1_t4_1 FOREIGN KEY (t4_id) REFERENCES fr5.t4 DEFERRABLE;
CREATE FUNCTION fr5.role_seen() RETURNS trigger LANGUAGE plpgsql AS
$$BEGIN RAISE NOTICE 'loaded with session_replication_role = %', current_setting('session_replication_role'); RETURN NULL; END$$;
CREATE TRIGGER t1_seen AFTER INSERT ON fr5.t1 FOR EACH STATEMENT EXECUTE FUNCTION fr5.role_seen();
SELECT * FROM seedkit_restore('fr5', 'replace') ORDER BY 1::text;
SELECT * FROM seedkit_restore('fr5', 'replace', '{"fr5.t1": {"1002,0": {"t4_id": 999}}}');
SELECT tableoid::regclass AS partition, * FROM fr5.t1 ORDER BY id;
DROP SCHEMA fr5 CASCADE;
DELETE FROM seedkit.snapshots WHERE name = 'fr5';

-- inherited_serial_sequence: an inheritance child keyed by its parent's
-- serial (the sequence is owned by the parent's column): after a replace
-- restore of the child the sequence is past its rows (issue 10, item 9).
CREATE SCHEMA fr6;
CREATE TABLE fr6.t0 (id serial PRIMARY KEY, note text);
CREATE TABLE fr6.t1 () INHERITS (fr6.t0);
ALTER TABLE fr6.t1 ADD PRIMARY KEY (id);
INSERT INTO fr6.t1 VALUES (1001, 'child');
SELECT setval('fr6.t0_id_seq', 1001);
SELECT seedkit_snapshot('fr6.t1', name => 'fr6') IS NOT NULL AS taken;
TRUNCATE fr6.t0, fr6.t1 RESTART IDENTITY;
SELECT * FROM seedkit_restore('fr6', 'replace');
SELECT id, note FROM fr6.t1 ORDER BY id;
SELECT nextval('fr6.t0_id_seq') AS next_key;
INSERT INTO fr6.t1 (note) VALUES ('next') RETURNING id;
-- the parent holds rows the document does not: the sequence goes past them
INSERT INTO fr6.t0 VALUES (5, 'parent');
SELECT * FROM seedkit_restore('fr6', 'replace');
SELECT tableoid::regclass AS table_name, id, note FROM fr6.t0 ORDER BY id;
SELECT nextval('fr6.t0_id_seq') AS next_key;
DROP SCHEMA fr6 CASCADE;
DELETE FROM seedkit.snapshots WHERE name = 'fr6';
