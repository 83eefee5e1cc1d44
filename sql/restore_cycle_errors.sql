-- restore_cycle_errors: an error raised by the UPDATE that closes a foreign
-- key cycle names the table, the foreign key and the document row it
-- failed at, with PostgreSQL's text cut (a long value) or hidden (a table
-- with a flagged column), not the internal statement
CREATE SCHEMA ce;
CREATE TABLE ce.dept (dept_id int PRIMARY KEY, name text NOT NULL, manager_id int);
CREATE TABLE ce.emp (emp_id int PRIMARY KEY, name text NOT NULL, dept_id int NOT NULL REFERENCES ce.dept);
ALTER TABLE ce.dept ADD FOREIGN KEY (manager_id) REFERENCES ce.emp;
INSERT INTO ce.dept VALUES (1, 'R&D', NULL), (2, 'Sales', NULL), (3, 'Ops', NULL), (4, 'Legal', NULL);
INSERT INTO ce.emp VALUES (10, 'Ann', 1), (11, 'Bob', 2), (12, 'Cy', 3), (13, 'Di', 4);
UPDATE ce.dept SET manager_id = dept_id + 9;
SELECT seedkit_snapshot('ce.dept', name => 'ce') IS NOT NULL AS taken;
-- dept.manager_id closes the cycle: filled in by an UPDATE after the load
SELECT r->>'constraint' AS constraint_name, r->'after' AS after
  FROM json_array_elements((SELECT document FROM seedkit.snapshots WHERE name = 'ce')->'tables') t,
       json_array_elements(t->'references') r ORDER BY 1;
SELECT * FROM doc_rows((SELECT document FROM seedkit.snapshots WHERE name = 'ce'));
-- a manager that is no row of the document, in the third row
CREATE FUNCTION ce.edit(doc_name text, old text, new text) RETURNS void LANGUAGE sql AS $$
  UPDATE seedkit.snapshots SET document = replace(document::text, old, new)::json WHERE name = doc_name
$$;
SELECT seedkit_snapshot('ce.dept', name => 'bad', reset_keys => false) IS NOT NULL AS taken;
SELECT ce.edit('bad', '[3, "Ops", 12]', '[3, "Ops", 77]');
SELECT * FROM seedkit_restore('bad', 'replace');
-- a long value the column's type refuses, in the last row: cut in the message
SELECT ce.edit('bad', '[3, "Ops", 77]', '[3, "Ops", 12]');
SELECT ce.edit('bad', '[4, "Legal", 13]', '[4, "Legal", "' || repeat('x', 2000) || '"]');
SELECT * FROM seedkit_restore('bad', 'replace');
-- the first row
SELECT ce.edit('bad', '[4, "Legal", "' || repeat('x', 2000) || '"]', '[4, "Legal", 13]');
SELECT ce.edit('bad', '[1, "R&D", 10]', '[1, "R&D", -1]');
SELECT * FROM seedkit_restore('bad', 'replace');
-- a flagged column elsewhere in the table does not hide the manager's value;
-- a flagged manager column does
SELECT seedkit_flag('ce.dept', 'name', 'value', '{"value": "a department"}');
SELECT * FROM seedkit_restore('bad', 'replace');
SELECT seedkit_flag('ce.dept', 'manager_id', 'value', '{"value": "-1"}');
SELECT * FROM seedkit_restore('bad', 'replace');
SELECT seedkit_unflag('ce.dept', 'name');
SELECT seedkit_unflag('ce.dept', 'manager_id');
-- nothing was written; the good document still restores, every manager in place
SELECT d.name, e.name AS manager FROM ce.dept d JOIN ce.emp e ON e.emp_id = d.manager_id ORDER BY 1;
SELECT * FROM seedkit_restore('ce', 'replace');
SELECT d.name, e.name AS manager FROM ce.dept d JOIN ce.emp e ON e.emp_id = d.manager_id ORDER BY 1;
DELETE FROM seedkit.snapshots WHERE name IN ('ce', 'bad');
DROP SCHEMA ce CASCADE;
