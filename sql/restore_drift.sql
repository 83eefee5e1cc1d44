-- restore_drift: the target schema moved on since the snapshot; documents
-- that are not seedkit/1; privileges.  Every error leaves nothing written.
CREATE SCHEMA dr;
CREATE TABLE dr.t (id serial PRIMARY KEY, name text NOT NULL, qty int, code varchar(3),
	added text NOT NULL DEFAULT 'by default');
CREATE TABLE dr.docs (name text PRIMARY KEY, doc json NOT NULL);
CREATE FUNCTION dr.doc(tbl text, cols text, types text, rows_ text) RETURNS json LANGUAGE sql AS $$
	SELECT format('{"format": "seedkit/1", "name": "drift", "root": {"table": "%s", "filter": null}, "tables": [
		{"table": "%s", "columns": %s, "types": %s, "key": ["id"], "reset": ["id"], "references": [], "rows": %s}]}',
		tbl, tbl, cols, types, rows_)::json
$$;
-- a target column the document lacks gets its default
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name", "qty"]', '["integer", "text", "integer"]', '[[1, "a", 1], [2, "b", null]]'));
SELECT * FROM dr.t ORDER BY id;
-- a table the target lacks
SELECT * FROM seedkit_restore(dr.doc('dr.gone', '["id"]', '["integer"]', '[[1]]'));
SELECT * FROM seedkit_restore(dr.doc('\"DR\".\"T\"', '["id"]', '["integer"]', '[[1]]'));
-- a column the target lacks
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name", "old_col"]', '["integer", "text", "text"]', '[[1, "a", "x"]]'));
-- a NOT NULL column without default that the document lacks
ALTER TABLE dr.t ADD COLUMN must text;
UPDATE dr.t SET must = 'm';
ALTER TABLE dr.t ALTER COLUMN must SET NOT NULL;
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name"]', '["integer", "text"]', '[[1, "a"]]'));
-- overrides can supply it
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name"]', '["integer", "text"]', '[[1, "c"]]'),
	overrides => '{"dr.t": {"must": "given"}}');
SELECT * FROM dr.t ORDER BY id;
ALTER TABLE dr.t DROP COLUMN must;
-- a value that no longer fits its column: table, column and document row named
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name", "qty"]', '["integer", "text", "text"]', '[[1, "a", 1], [2, "b", "two"]]'));
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name", "code"]', '["integer", "text", "text"]', '[[1, "a", "abc"], [2, "b", "abcd"]]'));
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name"]', '["integer", "text"]', '[[1, "a"], [2, null]]'));
ALTER TABLE dr.t ADD CONSTRAINT qty_positive CHECK (qty > 0);
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name", "qty"]', '["integer", "text", "integer"]', '[[1, "a", 1], [2, "b", 2], [3, "c", -3]]'));
-- a column that became generated
ALTER TABLE dr.t ADD COLUMN twice int GENERATED ALWAYS AS (qty * 2) STORED;
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name", "twice"]', '["integer", "text", "integer"]', '[[1, "a", 2]]'));
-- a reset key whose column lost its default cannot get fresh keys (replace mode still works)
CREATE TABLE dr.nodef (id int PRIMARY KEY, v text);
SELECT * FROM seedkit_restore(replace(dr.doc('dr.nodef', '["id", "v"]', '["integer", "text"]', '[[1, "x"]]')::text, '"dr.t"', '"dr.nodef"')::json);
SELECT * FROM seedkit_restore(dr.doc('dr.nodef', '["id", "v"]', '["integer", "text"]', '[[1, "x"], [2, "y"]]'), 'replace');
SELECT * FROM dr.nodef ORDER BY id;
-- nothing of the failed calls was written
SELECT id, name, qty, code, added FROM dr.t ORDER BY id;

-- documents that are not seedkit/1 or seedkit/2
SELECT * FROM seedkit_restore('{"format": "seedkit/3", "tables": []}'::json);
SELECT * FROM seedkit_restore('{"tables": []}'::json);
SELECT * FROM seedkit_restore('[1, 2]'::json);
SELECT * FROM seedkit_restore('{"format": "seedkit/1"}'::json);
SELECT * FROM seedkit_restore('{"format": "seedkit/1", "tables": {}}'::json);
SELECT * FROM seedkit_restore('{"format": "seedkit/1", "tables": [{"columns": []}]}'::json);
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name"]', '["integer"]', '[]'));
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name"]', '["integer", "text"]', '[[1, "a"], [2]]'));
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name"]', '["integer", "text"]', '[[1, "a"], {"id": 2}]'));
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name"]', '["integer", "text"]', '[["one", "a"]]'));
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name"]', '["integer", "text"]', '[[1, "\u0000"]]'));
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name"]', '["integer", "text"]', '[[1, "\ud800"]]'));
SELECT * FROM seedkit_restore(replace(dr.doc('dr.t', '["id"]', '["integer"]', '[[1]]')::text, '"reset": ["id"]', '"reset": ["nope"]')::json);
-- a reference to a row the document does not hold
SELECT * FROM seedkit_restore('{"format": "seedkit/1", "tables": [
	{"table": "dr.t", "columns": ["id", "name"], "types": ["integer", "text"], "key": ["id"], "reset": ["id"], "references": [], "rows": [[1, "a"]]},
	{"table": "dr.nodef", "columns": ["id", "v"], "types": ["integer", "text"], "key": ["id"], "reset": [],
	 "references": [{"constraint": "nodef_id_fkey", "columns": ["id"], "table": "dr.t", "key": ["id"], "after": false}], "rows": [[7, "x"]]}]}'::json);
SELECT id, name FROM dr.t ORDER BY id;

-- privileges: INSERT on every table, TRUNCATE too for replace
CREATE ROLE restore_drift_user;
GRANT USAGE ON SCHEMA dr TO restore_drift_user;
GRANT SELECT ON dr.docs TO restore_drift_user;
GRANT EXECUTE ON FUNCTION dr.doc(text, text, text, text) TO restore_drift_user;
SET ROLE restore_drift_user;
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name"]', '["integer", "text"]', '[[1, "a"]]'));
RESET ROLE;
GRANT INSERT ON dr.t TO restore_drift_user;
GRANT USAGE ON SEQUENCE dr.t_id_seq TO restore_drift_user;
SET ROLE restore_drift_user;
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name"]', '["integer", "text"]', '[[1, "by role"]]'));
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name"]', '["integer", "text"]', '[[1, "a"]]'), 'replace');
RESET ROLE;
-- row-level security: COPY refuses such tables, so they get an INSERT, and the policies apply
ALTER TABLE dr.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY everything ON dr.t USING (true) WITH CHECK (name <> 'forbidden');
SET ROLE restore_drift_user;
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name", "qty"]', '["integer", "text", "integer"]', '[[1, "under rls", 5], [2, "tab\there", null]]'));
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name"]', '["integer", "text"]', '[[1, "fine"], [2, "forbidden"]]'));
SELECT * FROM seedkit_restore(dr.doc('dr.t', '["id", "name", "qty"]', '["integer", "text", "integer"]', '[[1, "fine", 1], [2, "bad", -1]]'));
RESET ROLE;
ALTER TABLE dr.t DISABLE ROW LEVEL SECURITY;
SELECT id, name FROM dr.t ORDER BY id;
REVOKE ALL ON ALL TABLES IN SCHEMA dr FROM restore_drift_user;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA dr FROM restore_drift_user;
REVOKE ALL ON SCHEMA dr FROM restore_drift_user;
REVOKE ALL ON FUNCTION dr.doc(text, text, text, text) FROM restore_drift_user;
DROP POLICY everything ON dr.t;
DROP ROLE restore_drift_user;
