-- Found by test/property: a foreign key declared on one partition only that
-- closes a cycle is not taken into account by the insertion order: a is
-- loaded before b and a1_b fails.
-- Fails on 0.1.0 and with every branch merged.  Expected: 2 tables restored.
CREATE SCHEMA h3;
CREATE TABLE h3.a (id int, part int, b_id int, PRIMARY KEY (id, part)) PARTITION BY LIST (part);
CREATE TABLE h3.a0 PARTITION OF h3.a FOR VALUES IN (0);
CREATE TABLE h3.a1 PARTITION OF h3.a FOR VALUES IN (1);
CREATE TABLE h3.b (id int PRIMARY KEY, a_id int NOT NULL, a_part int NOT NULL);
INSERT INTO h3.a VALUES (1, 1, NULL), (2, 1, 10);
INSERT INTO h3.b VALUES (10, 1, 1);
ALTER TABLE h3.a1 ADD CONSTRAINT a1_b FOREIGN KEY (b_id) REFERENCES h3.b;
ALTER TABLE h3.b ADD CONSTRAINT b_a FOREIGN KEY (a_id, a_part) REFERENCES h3.a DEFERRABLE INITIALLY DEFERRED;
SELECT seedkit_snapshot('h3.a', name => 'h3') IS NOT NULL;
TRUNCATE h3.a, h3.b;
SELECT * FROM seedkit_restore('h3');
DROP SCHEMA h3 CASCADE;
