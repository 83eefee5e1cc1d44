-- restore_file: a document read from a file on the server
CREATE SCHEMA rf;
CREATE TABLE rf.parent (id serial PRIMARY KEY, name text);
CREATE TABLE rf.child (id serial PRIMARY KEY, parent_id int NOT NULL REFERENCES rf.parent, note text);
INSERT INTO rf.parent (name) VALUES ('a'), (E'b\\with "quotes"\nand a line');
INSERT INTO rf.child (parent_id, note) VALUES (1, 'x'), (2, 'y'), (2, NULL);
-- write the streamed lines to a server file, as psql -At would
SELECT lo_from_bytea(0, convert_to(
         (SELECT string_agg(line, E'\n' ORDER BY n) || E'\n'
            FROM seedkit_snapshot_lines('rf.parent') WITH ORDINALITY AS s(line, n)), 'UTF8')) AS lo
\gset
SELECT lo_export(:lo, '/tmp/seedkit_regress_restore_file.json') AS exported;
SELECT lo_unlink(:lo) AS unlinked;
SELECT * FROM seedkit_restore_file('/tmp/seedkit_regress_restore_file.json');
SELECT p.id, p.name, c.note FROM rf.parent p JOIN rf.child c ON c.parent_id = p.id ORDER BY p.id, c.id;
SELECT * FROM seedkit_restore_file('/tmp/seedkit_regress_restore_file.json', mode => 'replace');
SELECT count(*) AS parents, (SELECT count(*) FROM rf.child) AS children FROM rf.parent;
-- reuse and schema_map (issue 14): the parents are there, into a copy of the schema
CREATE SCHEMA rf2;
CREATE TABLE rf2.parent (id serial PRIMARY KEY, name text UNIQUE);
CREATE TABLE rf2.child (id serial PRIMARY KEY, parent_id int NOT NULL REFERENCES rf2.parent, note text);
INSERT INTO rf2.parent (name) VALUES ('a');
SELECT * FROM seedkit_restore_file('/tmp/seedkit_regress_restore_file.json',
	reuse => '{"rf.parent": ["name"]}', schema_map => '{"rf": "rf2"}');
SELECT p.id, p.name, c.note FROM rf2.parent p JOIN rf2.child c ON c.parent_id = p.id ORDER BY p.id, c.id;
-- errors
SELECT * FROM seedkit_restore_file('/tmp/seedkit_regress_no_such_file.json');
CREATE ROLE seedkit_test_nofiles;
GRANT USAGE ON SCHEMA rf TO seedkit_test_nofiles;
SET ROLE seedkit_test_nofiles;
SELECT * FROM seedkit_restore_file('/tmp/seedkit_regress_restore_file.json');
RESET ROLE;
DROP SCHEMA rf CASCADE;
DROP ROLE seedkit_test_nofiles;
