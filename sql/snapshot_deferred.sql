-- snapshot_deferred: a snapshot taken inside a transaction whose deferred
-- foreign key is not checked yet (a row referencing a row not inserted yet)
-- says so, instead of blaming row-level security; the other causes of a
-- missing referenced row keep their own hints.
CREATE SCHEMA df;
CREATE TABLE df.parent (id serial PRIMARY KEY, num serial UNIQUE, name text NOT NULL);
-- parent_id references the key (its value is carried), parent_num another
-- unique column (the parent is read)
CREATE TABLE df.child (id serial PRIMARY KEY,
                       parent_id int REFERENCES df.parent DEFERRABLE INITIALLY DEFERRED,
                       parent_num int REFERENCES df.parent (num) DEFERRABLE INITIALLY DEFERRED,
                       name text NOT NULL);
BEGIN;
INSERT INTO df.child (parent_id, name) VALUES (1, 'before its parent');
SELECT count(*) FROM seedkit_snapshot('df.child');
ROLLBACK;
BEGIN;
INSERT INTO df.child (parent_num, name) VALUES (1, 'before its parent');
SELECT count(*) FROM seedkit_snapshot('df.child');
ROLLBACK;
-- the same without reset keys: the carried key still finds no row
BEGIN;
INSERT INTO df.child (parent_id, name) VALUES (1, 'before its parent');
SELECT count(*) FROM seedkit_snapshot('df.child', reset_keys => false);
ROLLBACK;
-- once the parent is inserted, in the same transaction, the snapshot is whole
BEGIN;
INSERT INTO df.child (parent_id, parent_num, name) VALUES (1, 1, 'before its parent');
INSERT INTO df.parent (name) VALUES ('late parent');
SELECT table_name, row_no, row_text FROM doc_rows(seedkit_snapshot('df.child'));
ROLLBACK;
-- a foreign key added NOT VALID over a dangling row is not enforced for it
CREATE TABLE df.loose (id serial PRIMARY KEY, parent_num int, name text NOT NULL);
INSERT INTO df.loose (parent_num, name) VALUES (99, 'dangling');
ALTER TABLE df.loose ADD CONSTRAINT loose_parent_num_fkey
  FOREIGN KEY (parent_num) REFERENCES df.parent (num) NOT VALID;
SELECT count(*) FROM seedkit_snapshot('df.loose');
DROP SCHEMA df CASCADE;
