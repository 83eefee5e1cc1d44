-- test/restore_fuzz/fuzz.sql: random edits of a valid document; every one must
-- be refused by json_in, refused by seedkit with an ERROR, or restored: never
-- a crash.  psql -v seed=0.5 picks the edits.
SELECT set_config('fuzz.seed', :'seed', false) IS NOT NULL AS seeded;
CREATE SCHEMA fz;
CREATE TABLE fz.a (id serial PRIMARY KEY, t text, j json, n numeric);
CREATE TABLE fz.b (id serial PRIMARY KEY, a_id int REFERENCES fz.a, parent int REFERENCES fz.b);
DO $$
DECLARE
	base text := '{"format": "seedkit/1", "name": "fz", "tables": [{"table": "fz.a", "columns": ["id", "t", "j", "n"], "types": ["integer", "text", "json", "numeric"], "key": ["id"], "reset": ["id"], "references": [], "rows": [[1, "x\"y\\z\u00e9\ud83d\ude00", {"a": [1, "]"]}, "1.5"], [2, null, null, null]]}, {"table": "fz.b", "columns": ["id", "a_id", "parent"], "types": ["integer", "integer", "integer"], "key": ["id"], "reset": ["id"], "references": [{"constraint": "b_a_id_fkey", "columns": ["a_id"], "table": "fz.a", "key": ["id"], "after": false}, {"constraint": "b_parent_fkey", "columns": ["parent"], "table": "fz.b", "key": ["id"], "after": false}], "rows": [[1, 2, 2], [2, 1, null]]}]}';
	doc text;
	j json;
	i int;
	k int;
	pos int;
	ok int := 0; bad_json int := 0; err int := 0;
	chars text := '[]{}",:\\ 0123456789truefalsnul-.eE';
BEGIN
	PERFORM setseed(current_setting('fuzz.seed')::float8);
	FOR i IN 1..20000 LOOP
		doc := base;
		FOR k IN 1..(1 + (random() * 3)::int) LOOP
			pos := 1 + (random() * (length(doc) - 1))::int;
			IF random() < 0.4 THEN
				doc := overlay(doc placing '' from pos for 1 + (random() * 5)::int);
			ELSE
				doc := overlay(doc placing substr(chars, 1 + (random() * (length(chars) - 1))::int, 1) from pos for (random() < 0.5)::int);
			END IF;
		END LOOP;
		BEGIN
			j := doc::json;
		EXCEPTION WHEN OTHERS THEN
			bad_json := bad_json + 1;
			CONTINUE;
		END;
		BEGIN
			PERFORM * FROM seedkit_restore(j, CASE WHEN random() < 0.5 THEN 'append' ELSE 'replace' END);
			ok := ok + 1;
		EXCEPTION WHEN OTHERS THEN
			err := err + 1;
		END;
	END LOOP;
	RAISE NOTICE 'ok %, rejected by json_in %, seedkit errors %', ok, bad_json, err;
END
$$;
