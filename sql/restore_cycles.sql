-- restore_cycles: foreign key cycles (nullable, deferrable, NOT NULL), and
-- self-reference chains, with keys remapped
CREATE SCHEMA cy;
CREATE TABLE cy.dept (dept_id serial PRIMARY KEY, name text NOT NULL, manager_id int);
CREATE TABLE cy.emp (emp_id serial PRIMARY KEY, name text NOT NULL,
	dept_id int NOT NULL REFERENCES cy.dept, boss_id int REFERENCES cy.emp);
ALTER TABLE cy.dept ADD FOREIGN KEY (manager_id) REFERENCES cy.emp;
INSERT INTO cy.dept (name) VALUES ('R&D'), ('Sales');
INSERT INTO cy.emp (name, dept_id) VALUES ('Ann', 1), ('Bob', 1), ('Cy', 2);
UPDATE cy.emp SET boss_id = 3 WHERE emp_id IN (1, 2);
UPDATE cy.dept SET manager_id = 2 WHERE dept_id = 1;
UPDATE cy.dept SET manager_id = 3 WHERE dept_id = 2;
CREATE VIEW cy.org AS
	SELECT d.name AS dept, m.name AS manager, e.name AS emp, b.name AS boss
	FROM cy.emp e JOIN cy.dept d USING (dept_id) LEFT JOIN cy.emp m ON m.emp_id = d.manager_id
	LEFT JOIN cy.emp b ON b.emp_id = e.boss_id;
SELECT * FROM cy.org ORDER BY emp;
-- the nullable foreign key dept.manager_id closes the cycle: "after"
SELECT r->>'constraint' AS constraint_name, r->'after' AS after
FROM json_array_elements(seedkit_snapshot('cy.dept', name => 'cy')->'tables') t,
	 json_array_elements(t->'references') r ORDER BY 1;

-- append into the same tables: fresh keys; the manager is filled in once the employees exist
SELECT * FROM seedkit_restore('cy');
SELECT * FROM cy.dept ORDER BY dept_id;
SELECT * FROM cy.emp ORDER BY emp_id;
SELECT dept, manager, emp, boss, count(*) AS copies FROM cy.org GROUP BY 1, 2, 3, 4 ORDER BY emp;
-- replace: keys are the ordinals
SELECT * FROM seedkit_restore('cy', 'replace');
SELECT * FROM cy.dept ORDER BY dept_id;
SELECT * FROM cy.emp ORDER BY emp_id;
DELETE FROM seedkit.snapshots WHERE name = 'cy';

-- a cycle of NOT NULL foreign keys, one DEFERRABLE: loaded with it deferred
CREATE SCHEMA cyd;
CREATE TABLE cyd.a (a_id serial PRIMARY KEY, b_id int NOT NULL);
CREATE TABLE cyd.b (b_id serial PRIMARY KEY, a_id int NOT NULL REFERENCES cyd.a);
ALTER TABLE cyd.a ADD CONSTRAINT a_b_fkey FOREIGN KEY (b_id) REFERENCES cyd.b DEFERRABLE;
BEGIN;
SET CONSTRAINTS cyd.a_b_fkey DEFERRED;
INSERT INTO cyd.a (b_id) VALUES (1), (2);
INSERT INTO cyd.b (a_id) VALUES (2), (1);
COMMIT;
CREATE TABLE cyd.docs (doc json);
INSERT INTO cyd.docs SELECT seedkit_snapshot('cyd.a', name => 'cyd');
SELECT t->>'table' AS table_name, r->>'constraint' AS constraint_name, r->'after' AS after
FROM cyd.docs, json_array_elements(doc->'tables') t, json_array_elements(t->'references') r ORDER BY 1, 2;
SELECT * FROM seedkit_restore((SELECT doc FROM cyd.docs));
SELECT a.a_id, a.b_id, b.a_id AS b_points_back_to FROM cyd.a JOIN cyd.b USING (b_id) ORDER BY a.a_id;
-- in a transaction, the constraint is immediate again after the restore
BEGIN;
SELECT count(*) FROM seedkit_restore((SELECT doc FROM cyd.docs));
INSERT INTO cyd.a (b_id) VALUES (999);
ROLLBACK;
DELETE FROM seedkit.snapshots WHERE name = 'cyd';

-- a cycle of NOT NULL, not deferrable foreign keys: session_replication_role
-- where the caller may set it, then every such foreign key checked by one query
CREATE SCHEMA cyn;
CREATE TABLE cyn.x (x_id serial PRIMARY KEY, y_id int NOT NULL);
CREATE TABLE cyn.y (y_id serial PRIMARY KEY, x_id int NOT NULL REFERENCES cyn.x);
ALTER TABLE cyn.x ADD CONSTRAINT x_y_fkey FOREIGN KEY (y_id) REFERENCES cyn.y;
SET session_replication_role = replica;
INSERT INTO cyn.x (y_id) VALUES (1), (1);
INSERT INTO cyn.y (x_id) VALUES (2);
RESET session_replication_role;
CREATE TABLE cyn.docs (name text, doc json);
INSERT INTO cyn.docs SELECT 'good', seedkit_snapshot('cyn.x', name => 'cyn');
DELETE FROM seedkit.snapshots WHERE name = 'cyn';
SELECT t->>'table' AS table_name, r->>'constraint' AS constraint_name, r->'after' AS after
FROM cyn.docs, json_array_elements(doc->'tables') t, json_array_elements(t->'references') r
WHERE name = 'good' ORDER BY 1, 2;
SELECT * FROM seedkit_restore((SELECT doc FROM cyn.docs WHERE name = 'good'));
SELECT x.x_id, x.y_id, y.x_id AS y_points_to FROM cyn.x JOIN cyn.y USING (y_id) ORDER BY x.x_id;
SHOW session_replication_role;
-- a document whose rows break the cycle's foreign key: the check catches it
INSERT INTO cyn.docs VALUES ('broken', $doc${"format": "seedkit/1", "name": "broken", "tables": [
 {"table": "cyn.x", "columns": ["x_id", "y_id"], "types": ["integer", "integer"], "key": ["x_id"], "reset": ["x_id"],
  "references": [{"constraint": "x_y_fkey", "columns": ["y_id"], "table": "cyn.y", "key": ["y_id"], "after": true}],
  "rows": [[1, 555]]},
 {"table": "cyn.y", "columns": ["y_id", "x_id"], "types": ["integer", "integer"], "key": ["y_id"], "reset": [],
  "references": [{"constraint": "y_x_fkey", "columns": ["x_id"], "table": "cyn.x", "key": ["x_id"], "after": false}],
  "rows": [[777, 1]]}]}$doc$);
SELECT * FROM seedkit_restore((SELECT doc FROM cyn.docs WHERE name = 'broken'));
SELECT count(*) AS x_rows FROM cyn.x;
-- a role that may not set session_replication_role gets a clear error
CREATE ROLE restore_cycles_user;
GRANT USAGE ON SCHEMA cyn TO restore_cycles_user;
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA cyn TO restore_cycles_user;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA cyn TO restore_cycles_user;
SET ROLE restore_cycles_user;
SELECT * FROM seedkit_restore((SELECT doc FROM cyn.docs WHERE name = 'good'));
RESET ROLE;
-- and succeeds once granted SET on the parameter
GRANT SET ON PARAMETER session_replication_role TO restore_cycles_user;
SET ROLE restore_cycles_user;
SELECT * FROM seedkit_restore((SELECT doc FROM cyn.docs WHERE name = 'good'));
SELECT count(*) AS x_rows, count(DISTINCT y_id) AS y_refs FROM cyn.x;
RESET ROLE;
REVOKE SET ON PARAMETER session_replication_role FROM restore_cycles_user;
REVOKE ALL ON ALL TABLES IN SCHEMA cyn FROM restore_cycles_user;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA cyn FROM restore_cycles_user;
REVOKE ALL ON SCHEMA cyn FROM restore_cycles_user;
DROP ROLE restore_cycles_user;

-- self-references: a chain whose rows reference later rows, in one statement
CREATE SCHEMA cys;
CREATE TABLE cys.node (node_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label text NOT NULL,
	parent_id bigint REFERENCES cys.node, CHECK (parent_id <> node_id));
INSERT INTO cys.node (label) SELECT 'n' || g FROM generate_series(1, 6) g;
UPDATE cys.node SET parent_id = node_id + 1 WHERE node_id < 5;
UPDATE cys.node SET parent_id = 1 WHERE node_id = 6;
INSERT INTO cys.node (label) VALUES ('already there');
CREATE VIEW cys.chain AS
	WITH RECURSIVE c(node_id, path) AS (
		SELECT node_id, label FROM cys.node WHERE parent_id IS NULL
		UNION ALL SELECT n.node_id, c.path || ' <- ' || n.label FROM cys.node n JOIN c ON n.parent_id = c.node_id)
	SELECT path FROM c;
SELECT path FROM cys.chain ORDER BY path;
SELECT * FROM seedkit_restore(seedkit_snapshot('cys.node', filter => 'node_id = 6', name => 'cys'));
SELECT node_id, label, parent_id FROM cys.node ORDER BY node_id;
SELECT path, count(*) FROM cys.chain GROUP BY path ORDER BY path;
DELETE FROM seedkit.snapshots WHERE name = 'cys';

-- an INITIALLY DEFERRED constraint stays deferred: checked at commit, as the caller set it up
CREATE SCHEMA cyi;
CREATE TABLE cyi.a (a_id serial PRIMARY KEY, b_id int NOT NULL);
CREATE TABLE cyi.b (b_id serial PRIMARY KEY, a_id int NOT NULL REFERENCES cyi.a);
ALTER TABLE cyi.a ADD CONSTRAINT a_b_fkey FOREIGN KEY (b_id) REFERENCES cyi.b DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE cyi.docs (doc json);
INSERT INTO cyi.docs VALUES ($doc${"format": "seedkit/1", "name": "cyi", "tables": [
 {"table": "cyi.a", "columns": ["a_id", "b_id"], "types": ["integer", "integer"], "key": ["a_id"], "reset": ["a_id"],
  "references": [{"constraint": "a_b_fkey", "columns": ["b_id"], "table": "cyi.b", "key": ["b_id"], "after": true}],
  "rows": [[1, 1], [2, 2]]},
 {"table": "cyi.b", "columns": ["b_id", "a_id"], "types": ["integer", "integer"], "key": ["b_id"], "reset": ["b_id"],
  "references": [{"constraint": "b_a_id_fkey", "columns": ["a_id"], "table": "cyi.a", "key": ["a_id"], "after": false}],
  "rows": [[1, 2], [2, 1]]}]}$doc$);
SELECT * FROM seedkit_restore((SELECT doc FROM cyi.docs));
SELECT a.a_id, a.b_id, b.a_id AS b_points_back_to FROM cyi.a JOIN cyi.b USING (b_id) ORDER BY a.a_id;
BEGIN;
SELECT count(*) FROM seedkit_restore((SELECT doc FROM cyi.docs));
-- still deferred: a dangling row is only caught at commit
INSERT INTO cyi.a (b_id) VALUES (999);
COMMIT;
SELECT count(*) AS a_rows FROM cyi.a;

-- a nullable cycle is filled in by an UPDATE: without UPDATE on the table, a clear error
CREATE ROLE restore_cycles_noupdate;
GRANT USAGE ON SCHEMA cy TO restore_cycles_noupdate;
GRANT SELECT, INSERT ON cy.dept, cy.emp TO restore_cycles_noupdate;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA cy TO restore_cycles_noupdate;
CREATE TABLE cy.docs AS SELECT seedkit_snapshot('cy.dept', name => 'cy2') AS doc;
DELETE FROM seedkit.snapshots WHERE name = 'cy2';
GRANT SELECT ON cy.docs TO restore_cycles_noupdate;
SET ROLE restore_cycles_noupdate;
SELECT * FROM seedkit_restore((SELECT doc FROM cy.docs));
RESET ROLE;
REVOKE ALL ON ALL TABLES IN SCHEMA cy FROM restore_cycles_noupdate;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA cy FROM restore_cycles_noupdate;
REVOKE ALL ON SCHEMA cy FROM restore_cycles_noupdate;
DROP ROLE restore_cycles_noupdate;
