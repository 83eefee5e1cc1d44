-- Found by test/property: the same with the foreign key declared on every
-- partition, in a NOT NULL cycle (t4 -> t1), t1 also having a deferrable
-- foreign key to t0.  Fails on 0.1.0 and with every branch merged.
CREATE SCHEMA h2;
CREATE TABLE h2.t0 (id int PRIMARY KEY);
CREATE TABLE h2.t1 (id int, part int, t4_id int NOT NULL, t0_id int, PRIMARY KEY (id, part)) PARTITION BY LIST (part);
CREATE TABLE h2.t1_p0 PARTITION OF h2.t1 FOR VALUES IN (0);
CREATE TABLE h2.t1_p1 PARTITION OF h2.t1 FOR VALUES IN (1);
CREATE TABLE h2.t4 (id int PRIMARY KEY, t1_id int NOT NULL, t1_part int NOT NULL);
INSERT INTO h2.t1 VALUES (1001, 1, 1003, NULL);
INSERT INTO h2.t4 VALUES (1003, 1001, 1);
ALTER TABLE h2.t1_p0 ADD CONSTRAINT t1_t4_0 FOREIGN KEY (t4_id) REFERENCES h2.t4;
ALTER TABLE h2.t1_p1 ADD CONSTRAINT t1_t4_1 FOREIGN KEY (t4_id) REFERENCES h2.t4;
ALTER TABLE h2.t1 ADD CONSTRAINT t1_t0 FOREIGN KEY (t0_id) REFERENCES h2.t0 DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE h2.t4 ADD CONSTRAINT t4_t1 FOREIGN KEY (t1_id, t1_part) REFERENCES h2.t1;
SELECT seedkit_snapshot('h2.t4', name => 'h2') IS NOT NULL;
TRUNCATE h2.t0, h2.t1, h2.t4;
SELECT * FROM seedkit_restore('h2');
DROP SCHEMA h2 CASCADE;
