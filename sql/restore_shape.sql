-- restore_shape: documents of the wrong shape are refused before anything is written
CREATE SCHEMA rs;
CREATE TABLE rs.t (id serial PRIMARY KEY, v text);
CREATE FUNCTION rs.doc(extra_top text, extra_table text, tables text, rows text) RETURNS json
LANGUAGE sql AS $$
  SELECT format('{"format": "seedkit/1"%s, "tables": [%s]}', extra_top,
                coalesce(tables, format('{"table": "rs.t", "columns": ["id", "v"], "types": ["integer", "text"], '
                       '"key": ["id"], "reset": ["id"], "references": []%s, "rows": %s}', extra_table, rows)))::json
$$;
-- a well-formed one, for reference
SELECT * FROM seedkit_restore(rs.doc('', '', NULL, '[[1, "a"], [2, "b"]]'));
-- unknown members, at the top and in a table
SELECT * FROM seedkit_restore(rs.doc(', "extra": 1', '', NULL, '[[1, "a"]]'));
SELECT * FROM seedkit_restore(rs.doc('', ', "extra": 1', NULL, '[[1, "a"]]'));
-- a member twice
SELECT * FROM seedkit_restore(rs.doc(', "format": "seedkit/1"', '', NULL, '[[1, "a"]]'));
SELECT * FROM seedkit_restore(rs.doc('', ', "rows": []', NULL, '[[1, "a"]]'));
SELECT * FROM seedkit_restore(rs.doc('', ', "key": ["id"]', NULL, '[[1, "a"]]'));
-- a reference with an unknown member
SELECT * FROM seedkit_restore(rs.doc('', '', '{"table": "rs.t", "columns": ["id", "v"], "types": ["integer", "text"], "key": ["id"], "reset": ["id"], "references": [{"constraint": "c", "columns": ["id"], "table": "rs.t", "key": ["id"], "after": false, "x": 1}], "rows": []}', NULL));
-- a table listed twice
SELECT * FROM seedkit_restore(rs.doc('', '', '{"table": "rs.t", "columns": [], "types": [], "key": [], "reset": [], "references": [], "rows": []}, {"table": "rs.t", "columns": [], "types": [], "key": [], "reset": [], "references": [], "rows": []}', NULL));
-- a name longer than PostgreSQL keeps is not cut down to an existing table's
SELECT format('CREATE TABLE rs.%s (v text)', repeat('t', 63)) \gexec
SELECT * FROM seedkit_restore(rs.doc('', '', format('{"table": "rs.%s", "columns": ["v"], "types": ["text"], "key": [], "reset": [], "references": [], "rows": [["x"]]}', repeat('t', 70)), NULL));
SELECT count(*) AS written FROM rs.tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt;
-- ragged rows
SELECT * FROM seedkit_restore(rs.doc('', '', NULL, '[[1, "a"], [2]]'));
-- nothing of the refused documents was written
SELECT id, v FROM rs.t ORDER BY id;
DROP SCHEMA rs CASCADE;
