-- Found by test/property: an override of a foreign key column that closes a
-- cycle (nullable, DEFERRABLE, so written after the rows) is silently ignored:
-- the README says foreign key overrides are written as given, so a.b_id = 999
-- must be refused (no row 999 in b); instead the document's 2 is written.
-- Fails on 0.1.0 and with shapes, partseq and concurrency merged.
CREATE SCHEMA h9;
CREATE TABLE h9.a (id int PRIMARY KEY, b_id int);
CREATE TABLE h9.b (id int PRIMARY KEY, a_id int NOT NULL);
INSERT INTO h9.a VALUES (1, 2);
INSERT INTO h9.b VALUES (2, 1);
ALTER TABLE h9.a ADD FOREIGN KEY (b_id) REFERENCES h9.b DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE h9.b ADD FOREIGN KEY (a_id) REFERENCES h9.a;
SELECT seedkit_snapshot('h9.a', name => 'h9', reset_keys => false) IS NOT NULL;
TRUNCATE h9.a, h9.b;
SELECT * FROM seedkit_restore('h9', 'replace', '{"h9.a": {"b_id": 999}}');
SELECT * FROM h9.a;
DROP SCHEMA h9 CASCADE;
