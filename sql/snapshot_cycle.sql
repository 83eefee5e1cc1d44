-- snapshot_cycle: foreign keys forming cycles between tables.  The tables
-- are still in a valid insertion order; the document marks "after" the one
-- foreign key per cycle that is filled in once the rows exist: a nullable
-- one first, then a deferrable one, and never one outside the cycle.
CREATE SCHEMA snap_cycle;
SET search_path = snap_cycle, public;
-- a two-table cycle: each department has a manager, each employee a
-- department; the manager is nullable
CREATE TABLE depts (dept_id serial PRIMARY KEY, name text NOT NULL, manager_id int);
CREATE TABLE emps (emp_id serial PRIMARY KEY, dept_id int NOT NULL REFERENCES depts, name text NOT NULL);
ALTER TABLE depts ADD CONSTRAINT depts_manager_fkey FOREIGN KEY (manager_id) REFERENCES emps;
INSERT INTO depts VALUES (10, 'R&D', NULL), (20, 'Sales', NULL);
INSERT INTO emps VALUES (100, 10, 'boss'), (101, 10, 'dev'), (200, 20, 'seller');
UPDATE depts SET manager_id = 100 WHERE dept_id = 10;
UPDATE depts SET manager_id = 200 WHERE dept_id = 20;
-- notes on employees: children of a row are followed once the row is a
-- child, also when it was first reached as a parent
CREATE TABLE emp_notes (note_id int PRIMARY KEY, emp_id int NOT NULL REFERENCES emps, body text);
INSERT INTO emp_notes VALUES (1, 100, 'boss note'), (2, 101, 'dev note'), (3, 200, 'seller note');
-- a cycle of NOT NULL deferrable keys, with a table hanging off it through
-- a nullable key (which must not be the one marked "after")
CREATE TABLE a (a_id int PRIMARY KEY, b_id int NOT NULL);
CREATE TABLE b (b_id int PRIMARY KEY, a_id int NOT NULL REFERENCES a DEFERRABLE INITIALLY DEFERRED);
ALTER TABLE a ADD CONSTRAINT a_b_fkey FOREIGN KEY (b_id) REFERENCES b DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE c (c_id int PRIMARY KEY, a_id int REFERENCES a);
BEGIN;
INSERT INTO a VALUES (1, 1), (2, 2);
INSERT INTO b VALUES (1, 2), (2, 1);
COMMIT;
INSERT INTO c VALUES (1, 1), (2, NULL);
-- a three-table cycle x -> y -> z -> x, only z's key nullable
CREATE TABLE x (x_id int PRIMARY KEY, y_id int NOT NULL);
CREATE TABLE y (y_id int PRIMARY KEY, z_id int NOT NULL);
CREATE TABLE z (z_id int PRIMARY KEY, x_id int REFERENCES x);
ALTER TABLE x ADD FOREIGN KEY (y_id) REFERENCES y DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE y ADD FOREIGN KEY (z_id) REFERENCES z DEFERRABLE INITIALLY DEFERRED;
BEGIN;
INSERT INTO x VALUES (1, 1);
INSERT INTO y VALUES (1, 1);
INSERT INTO z VALUES (1, 1), (2, NULL);
COMMIT;

-- the nullable manager key is "after"; emps comes after depts
SELECT * FROM doc_tables(seedkit_snapshot('depts', filter => 'dept_id = 10'));
SELECT * FROM doc_rows(seedkit_snapshot('depts', filter => 'dept_id = 10'));
-- from the other side: dev's department and its manager are parents, so
-- the manager's note is not taken, dev's is
SELECT * FROM doc_tables(seedkit_snapshot('emps', filter => 'emp_id = 101'));
SELECT * FROM doc_rows(seedkit_snapshot('emps', filter => 'emp_id = 101', reset_keys => false));
-- both keys NOT NULL: a deferrable one is "after"; c's nullable key to a
-- is outside the cycle and stays a plain reference, c after a
SELECT * FROM doc_tables(seedkit_snapshot('c'));
SELECT * FROM doc_rows(seedkit_snapshot('c'));
-- three tables: the one nullable key in the cycle is "after"
SELECT * FROM doc_tables(seedkit_snapshot('x'));
SELECT * FROM doc_rows(seedkit_snapshot('z', filter => 'z_id = 2'));

DELETE FROM seedkit.snapshots WHERE root LIKE 'snap_cycle.%';
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA snap_cycle CASCADE;
