-- restore_json_null: json and jsonb values that are the JSON literal null, hold
-- nulls, or look like the wrapper of format seedkit/2, kept apart from SQL NULL
-- through snapshot and restore (replace and append), overrides and flagged
-- columns; json text is kept byte for byte, seedkit/1 documents read as before
CREATE SCHEMA jn;
CREATE TABLE jn.t (id serial PRIMARY KEY, label text NOT NULL, j json, jb jsonb);
INSERT INTO jn.t (label, j, jb) VALUES
	('1 sql null', NULL, NULL),
	('2 json null', 'null', 'null'),
	('3 array of null', '[null]', '[null]'),
	('4 member null', '{"a": null}', '{"a": null}'),
	('5 looks like the wrapper', '{"$json": null}', '{"$json": null}'),
	('6 wrapper with an escape', '{"\u0024json":  [1, null]}', '{"$json": {"$json": 2}}'),
	('7 two members', '{"$json": 1,  "$json": 2}', '{"$json": 1, "b": null}'),
	('8 scalars', '1.50', 'false');
CREATE TABLE jn.src AS SELECT label, j, jb FROM jn.t;
-- every copy of each source row, compared on json's text and on jsonb
CREATE VIEW jn.compare AS
	SELECT s.label, count(t.label) AS copies,
		   bool_and(t.j::text IS NOT DISTINCT FROM s.j::text) AS j_same,
		   bool_and(t.jb IS NOT DISTINCT FROM s.jb) AS jb_same,
		   bool_and(t.j IS NULL) AS j_sql_null, bool_and(t.jb IS NULL) AS jb_sql_null
	FROM jn.src s LEFT JOIN jn.t t USING (label) GROUP BY s.label;
-- the rows as the document writes them: SQL NULL as null, the JSON null and
-- the objects of one "$json" member wrapped, everything else as itself
CREATE TABLE jn.doc AS SELECT seedkit_snapshot('jn.t', name => 'jn') AS doc;
SELECT doc->>'format' AS format FROM jn.doc;
SELECT r::text AS row FROM jn.doc, json_array_elements(doc->'tables'->0->'rows') r;
-- replace: every value back as it was
SELECT * FROM seedkit_restore('jn', 'replace');
SELECT * FROM jn.compare ORDER BY label;
-- append: a second copy of each, alike
SELECT * FROM seedkit_restore('jn');
SELECT * FROM jn.compare ORDER BY label;
-- the JSON null of a document streamed line by line is wrapped too
SELECT line FROM seedkit_snapshot_lines('jn.t', filter => $$label = '2 json null'$$) l(line)
WHERE line LIKE '%[%null%';
-- a document without json or jsonb columns stays seedkit/1
CREATE TABLE jn.plain (id int PRIMARY KEY, v text);
SELECT seedkit_snapshot('jn.plain')->>'format' AS format;

-- overrides: null is SQL NULL, {"$json": null} the JSON null, {"$json": v} the value v
SELECT * FROM seedkit_restore('jn', 'replace',
	overrides => '{"jn.t": {"j": {"$json": null}, "jb": {"$json": {"$json": null}}}}');
SELECT label, j::text, jb::text, j IS NULL AS j_sql_null FROM jn.t ORDER BY label;
SELECT * FROM seedkit_restore('jn', 'replace',
	overrides => '{"jn.t": {"2": {"j": null, "jb": {"$json": null}}, "3": {"j": {"$json": [null]}, "jb": {"a": null}}}}');
SELECT label, j::text, jb::text, j IS NULL AS j_sql_null, jb IS NULL AS jb_sql_null
FROM jn.t WHERE label < '4' ORDER BY label;

-- a document of format seedkit/1 (written before the wrapper existed) reads as
-- it always did: null is SQL NULL, an object of one "$json" member is that object
TRUNCATE jn.t;
SELECT * FROM seedkit_restore('{"format": "seedkit/1", "tables": [{"table": "jn.t", "columns": ["id", "label", "j", "jb"],
  "types": ["integer", "text", "json", "jsonb"], "key": ["id"], "reset": ["id"], "references": [],
  "rows": [[1, "old null", null, null], [2, "old object", {"$json": null}, {"$json": null}]]}]}'::json);
SELECT label, j::text, jb::text, j IS NULL AS j_sql_null, jb IS NULL AS jb_sql_null FROM jn.t ORDER BY label;
-- the same rows as seedkit/2: the object is the wrapper of the JSON null
TRUNCATE jn.t;
SELECT * FROM seedkit_restore('{"format": "seedkit/2", "tables": [{"table": "jn.t", "columns": ["id", "label", "j", "jb"],
  "types": ["integer", "text", "json", "jsonb"], "key": ["id"], "reset": ["id"], "references": [],
  "rows": [[1, "new null", null, null], [2, "new wrapper", {"$json": null}, { "\u0024json" : {"$json": null} }]]}]}'::json);
SELECT label, j::text, jb::text, j IS NULL AS j_sql_null, jb IS NULL AS jb_sql_null FROM jn.t ORDER BY label;

-- flagged columns: the fakes are written by the same rule
TRUNCATE jn.t;
INSERT INTO jn.t (label, j, jb) SELECT label, j, jb FROM jn.src;
SELECT seedkit_flag('jn.t', 'j', 'value', '{"value": "null"}');
SELECT seedkit_flag('jn.t', 'jb', 'null');
SELECT r::text AS row FROM json_array_elements(seedkit_snapshot('jn.t', name => 'jn_anon')->'tables'->0->'rows') r;
SELECT * FROM seedkit_restore('jn_anon', 'replace');
SELECT label, j::text, j IS NULL AS j_sql_null, jb IS NULL AS jb_sql_null FROM jn.t ORDER BY label;
SELECT seedkit_unflag('jn.t', 'jb');
SELECT seedkit_flag('jn.t', 'jb', 'value', '{"value": "{\"$json\": null}"}');
TRUNCATE jn.t;
INSERT INTO jn.t (label, j, jb) SELECT label, j, jb FROM jn.src WHERE label < '3';
SELECT r::text AS row FROM json_array_elements(seedkit_snapshot('jn.t', name => 'jn_anon')->'tables'->0->'rows') r;
SELECT * FROM seedkit_restore('jn_anon', 'replace');
SELECT label, j::text, jb::text FROM jn.t ORDER BY label;
SELECT seedkit_unflag('jn.t', 'j');
SELECT seedkit_unflag('jn.t', 'jb');

-- JSON strings in json and jsonb columns (and a domain over jsonb) come back as
-- JSON strings in seedkit/2, not as the text they spell
CREATE DOMAIN jn.jdoc AS jsonb;
CREATE TABLE jn.s (id int PRIMARY KEY, j json, jb jsonb, jd jn.jdoc);
INSERT INTO jn.s VALUES (1, '"hello"', '"x\"y"', '"null"'), (2, '"{\"a\": 1}"', '"\\n\u00e9"', '"[1]"');
CREATE TABLE jn.s_src AS SELECT * FROM jn.s;
SELECT r::text AS row FROM json_array_elements(seedkit_snapshot('jn.s', name => 'jn_s')->'tables'->0->'rows') r;
SELECT * FROM seedkit_restore('jn_s', 'replace');
SELECT id, s.j::text = d.j::text AS j_same, s.jb = d.jb AS jb_same, s.jd = d.jd AS jd_same, d.j::text AS j, d.jb::text AS jb, d.jd::text AS jd
FROM jn.s_src s JOIN jn.s d USING (id) ORDER BY id;

-- json may hold \u0000 in a name: an object of two members, the first "$json",
-- is written as itself (compared as text: json's operators refuse \u0000)
CREATE TABLE jn.nul (id int PRIMARY KEY, j json);
INSERT INTO jn.nul VALUES (1, '{"$json": 1, "\u0000": 2}'), (2, '{"\u0000": null}');
SELECT strpos(seedkit_snapshot('jn.nul', name => 'jn_nul')::text,
			  '[1, {"$json": 1, "\u0000": 2}]') > 0 AS written_as_itself;
SELECT * FROM seedkit_restore('jn_nul', 'replace');
SELECT id, j::text FROM jn.nul ORDER BY id;
DELETE FROM seedkit.snapshots WHERE name IN ('jn', 'jn_anon', 'jn_nul', 'jn_s');
