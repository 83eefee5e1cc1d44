-- Found by test/property: an inheritance child keyed by its parent's serial
-- (the sequence is owned by the parent's column): after a replace restore of
-- the child the sequence is not moved, the next INSERT gets key 1 again.
-- Fails on 0.1.0 (item 9); passes with partseq.
CREATE SCHEMA h4;
CREATE TABLE h4.t0 (id serial PRIMARY KEY, note text);
CREATE TABLE h4.t1 () INHERITS (h4.t0);
ALTER TABLE h4.t1 ADD PRIMARY KEY (id);
INSERT INTO h4.t1 VALUES (1001, 'child');
SELECT setval('h4.t0_id_seq', 1001);
SELECT seedkit_snapshot('h4.t1', name => 'h4') IS NOT NULL;
TRUNCATE h4.t0, h4.t1 RESTART IDENTITY;
SELECT * FROM seedkit_restore('h4', 'replace');
SELECT id FROM h4.t1;
SELECT nextval('h4.t0_id_seq') AS next_key;
DROP SCHEMA h4 CASCADE;
