-- restore_hostile: documents that must be refused with a clean error before
-- anything is written (reset ordinals out of range, duplicated or absurd, a
-- reference to a table the document lacks, an array or object as the value
-- of a column the format writes as a string), and restore called again from
-- a trigger while it loads a table.  Every case names its SQLSTATE; the
-- server stays up throughout.
\set SHOW_CONTEXT never
CREATE SCHEMA hostile;
CREATE TABLE hostile.parent (id serial PRIMARY KEY, name text);
CREATE TABLE hostile.big (id bigserial PRIMARY KEY, name text);
CREATE TABLE hostile.child (id serial PRIMARY KEY, parent_id int REFERENCES hostile.parent, note text);
-- a target without the key's unique index: only the document vouches for it
CREATE TABLE hostile.loose (id serial, name text);
CREATE DOMAIN hostile.jdom AS json;
CREATE TABLE hostile.doc_json (id serial PRIMARY KEY, j jsonb, v varchar(20), t text[], d hostile.jdom);
INSERT INTO hostile.parent (name) VALUES ('existing 1'), ('existing 2');

-- a one-table document of table tab whose rows are the text rows
CREATE FUNCTION hostile.doc(tab text, cols text, types text, rows text,
							refs text DEFAULT '[]', reset text DEFAULT '["id"]')
RETURNS json LANGUAGE sql AS $$
SELECT format('{"format": "seedkit/1", "name": "h", "root": {"table": "%s", "filter": null}, "tables": [
 {"table": "%s", "columns": %s, "types": %s, "key": ["id"], "reset": %s, "references": %s, "rows": %s}]}',
			  tab, tab, cols, types, reset, refs, rows)::json
$$;
CREATE FUNCTION hostile.parent_doc(rows text) RETURNS json LANGUAGE sql AS $$
SELECT hostile.doc('hostile.parent', '["id", "name"]', '["integer", "text"]', rows)
$$;
-- the outcome of a restore: the tables it wrote, or its SQLSTATE and message
CREATE FUNCTION hostile.try(doc json, mode text DEFAULT 'append') RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	st text;
	msg text;
	det text;
	res text;
BEGIN
	SELECT string_agg(table_name || ': ' || rows, ', ') INTO res FROM seedkit_restore(doc, mode);
	RETURN 'restored ' || res;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
	RETURN st || ': ' || msg || E'\n' || det;
END
$$;
CREATE FUNCTION hostile.state() RETURNS text LANGUAGE sql AS $$
SELECT concat_ws(' ', (SELECT count(*) FROM hostile.parent), (SELECT count(*) FROM hostile.big),
				 (SELECT count(*) FROM hostile.child), (SELECT count(*) FROM hostile.loose),
				 (SELECT count(*) FROM hostile.doc_json),
				 (SELECT last_value FROM hostile.parent_id_seq), (SELECT last_value FROM hostile.big_id_seq))
$$;
SELECT hostile.state() AS before;

-- reset ordinals far past the row count (0.1.0: the key map's size wrapped,
-- and the server crashed), in append and in replace mode
SELECT hostile.try(hostile.parent_doc('[[2305843009213693953, "a"]]'));
SELECT hostile.try(hostile.parent_doc('[[9223372036854775807, "a"]]'));
SELECT hostile.try(hostile.parent_doc('[[9223372036854775807, "a"]]'), 'replace');
SELECT hostile.try(hostile.doc('hostile.big', '["id", "name"]', '["bigint", "text"]',
							   '[[2305843009213693953, "a"]]'), 'replace');
-- 10^8 would draw 10^8 keys before failing
SELECT hostile.try(hostile.parent_doc('[[1, "a"], [100000000, "b"]]'));
-- one past the last row (0.1.0: drew a key too many, or wrote the ordinal)
SELECT hostile.try(hostile.parent_doc('[[1, "a"], [3, "b"]]'));
SELECT hostile.try(hostile.parent_doc('[[2, "a"]]'), 'replace');
-- zero, negative, not an integer
SELECT hostile.try(hostile.parent_doc('[[0, "a"]]'));
SELECT hostile.try(hostile.parent_doc('[[-1, "a"]]'));
SELECT hostile.try(hostile.parent_doc('[[1.5, "a"]]'));
SELECT hostile.try(hostile.parent_doc('[[9223372036854775808, "a"]]'));
SELECT hostile.try(hostile.parent_doc('[["1", "a"], [[2], "b"]]'));
-- the same ordinal twice (0.1.0: both rows got the same key)
SELECT hostile.try(hostile.doc('hostile.loose', '["id", "name"]', '["integer", "text"]',
							   '[[1, "a"], [2, "b"], [1, "c"]]'));
SELECT hostile.try(hostile.doc('hostile.loose', '["id", "name"]', '["integer", "text"]',
							   '[[1, "a"], [1, "b"]]'), 'replace');
-- a reset column listed twice
SELECT hostile.try(hostile.doc('hostile.parent', '["id", "name"]', '["integer", "text"]',
							   '[[1, "a"]]', reset => '["id", "id"]'));
-- a document's own ordinals are fine: 1..n, each once, in any order
SELECT hostile.try(hostile.doc('hostile.loose', '["id", "name"]', '["integer", "text"]',
							   '[[2, "a"], [3, "b"], [1, "c"]]'));
SELECT id, name FROM hostile.loose ORDER BY name;
DELETE FROM hostile.loose;

-- a reference to a table the document does not hold (0.1.0: the ordinal
-- was written as it is, pointing at an unrelated existing row)
SELECT hostile.try(hostile.doc('hostile.child', '["id", "parent_id", "note"]', '["integer", "integer", "text"]',
	'[[1, 1, "orphan"]]',
	refs => '[{"constraint": "child_parent_id_fkey", "columns": ["parent_id"], "table": "hostile.parent", "key": ["id"], "after": false}]'));
SELECT hostile.try(hostile.doc('hostile.child', '["id", "parent_id", "note"]', '["integer", "integer", "text"]',
	'[[1, 1, "orphan"]]',
	refs => '[{"constraint": "child_parent_id_fkey", "columns": ["parent_id"], "table": "hostile.nowhere", "key": ["id"], "after": false}]'));

-- an array or an object where the format writes a string (0.1.0: its JSON
-- text was stored); json and jsonb columns take them
SELECT hostile.try(hostile.parent_doc('[[1, "a"], [2, ["secret", "list"]]]'));
SELECT hostile.try(hostile.parent_doc('[[1, {"secret": "object"}]]'));
SELECT hostile.try(hostile.doc('hostile.doc_json', '["id", "j", "v", "t", "d"]',
							   '["integer", "jsonb", "character varying(20)", "text[]", "hostile.jdom"]',
							   '[[1, {"a": [1]}, "x", "{a}", null], [2, [1, 2], ["y"], "{b}", null]]'));
SELECT hostile.try(hostile.doc('hostile.doc_json', '["id", "j", "v", "t", "d"]',
							   '["integer", "jsonb", "character varying(20)", "text[]", "hostile.jdom"]',
							   '[[1, {"a": [1]}, "x", ["a"], null]]'));
SELECT hostile.try(hostile.doc('hostile.doc_json', '["id", "j", "v", "t", "d"]',
							   '["integer", "jsonb", "character varying(20)", "text[]", "hostile.jdom"]',
							   '[[{"id": 1}, {"a": [1]}, "x", "{a}", null]]'));
-- nothing was written by any of them
SELECT hostile.state() AS after;
SELECT hostile.try(hostile.doc('hostile.doc_json', '["id", "j", "v", "t", "d"]',
							   '["integer", "jsonb", "character varying(20)", "text[]", "hostile.jdom"]',
							   '[[1, {"a": [1]}, "x", "{a}", [true]], [2, [1, 2], "y", "{b}", {"k": null}]]'));
SELECT id, j, v, t, d FROM hostile.doc_json ORDER BY id;

-- restore called from a BEFORE INSERT trigger of a table restore is loading
-- (0.1.0: the nested call left the loader's state cleared, and the outer
-- load crashed the server)
CREATE TABLE hostile.log (id serial PRIMARY KEY, what text NOT NULL CHECK (what <> 'bad'));
CREATE TABLE hostile.item (id serial PRIMARY KEY, name text);
CREATE FUNCTION hostile.item_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM * FROM seedkit_restore(hostile.doc('hostile.log', '["id", "what"]', '["integer", "text"]',
											   format('[[1, %s], [2, %s]]', to_json(NEW.name),
													  to_json(NEW.name || ' again'))));
	RETURN NEW;
END
$$;
CREATE TRIGGER item_log BEFORE INSERT ON hostile.item FOR EACH ROW EXECUTE FUNCTION hostile.item_log();
SELECT hostile.try(hostile.doc('hostile.item', '["id", "name"]', '["integer", "text"]',
							   '[[1, "one"], [2, "two"], [3, "three"]]'));
SELECT id, name FROM hostile.item ORDER BY id;
SELECT id, what FROM hostile.log ORDER BY id;
-- the nested restore fails and the trigger carries on: the outer load too
CREATE OR REPLACE FUNCTION hostile.item_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		PERFORM * FROM seedkit_restore(hostile.doc('hostile.log', '["id", "what"]', '["integer", "text"]',
												   format('[[1, %s]]', to_json(NEW.name))));
	EXCEPTION WHEN check_violation THEN
		NEW.name := NEW.name || ' (not logged)';
	END;
	RETURN NEW;
END
$$;
SELECT hostile.try(hostile.doc('hostile.item', '["id", "name"]', '["integer", "text"]',
							   '[[1, "bad"], [2, "good"], [3, "bad"]]'));
SELECT id, name FROM hostile.item ORDER BY id;
SELECT id, what FROM hostile.log ORDER BY id;
-- a nested error that is not caught ends the whole restore cleanly
CREATE OR REPLACE FUNCTION hostile.item_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM * FROM seedkit_restore(hostile.doc('hostile.log', '["id", "what"]', '["integer", "text"]',
											   format('[[1, %s]]', to_json(NEW.name))));
	RETURN NEW;
END
$$;
SELECT hostile.try(hostile.doc('hostile.item', '["id", "name"]', '["integer", "text"]',
							   '[[1, "ok"], [2, "bad"]]'), 'replace');
SELECT count(*) AS items FROM hostile.item;

-- seedkit_fake may insert the database secret on first use: not STABLE
SELECT provolatile FROM pg_proc WHERE oid = 'seedkit_fake(text, anyelement, jsonb)'::regprocedure;

SET client_min_messages = warning;
DROP SCHEMA hostile CASCADE;
