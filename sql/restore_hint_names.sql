-- restore_hint_names: the hints naming a document's table show its name as
-- the other messages do (table "Hint Shop.My Table", not ""Hint
-- Shop"."My Table""), and that spelling names the table in overrides,
-- reuse and vary as the document's own does.
\set SHOW_CONTEXT never
CREATE SCHEMA "Hint Shop";
CREATE TABLE "Hint Shop"."My Table" (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE "Hint Shop"."Order" (id serial PRIMARY KEY, t_id int NOT NULL REFERENCES "Hint Shop"."My Table",
                                  placed date NOT NULL);
INSERT INTO "Hint Shop"."My Table" (name) VALUES ('one'), ('two');
INSERT INTO "Hint Shop"."Order" (t_id, placed) VALUES (1, '2026-01-01'), (2, '2026-01-02');
CREATE TABLE hint_docs AS SELECT seedkit_snapshot('"Hint Shop"."My Table"') AS doc;
SELECT table_name FROM doc_tables((SELECT doc FROM hint_docs));
-- a table the document does not hold: the hint's example in the plain form
SELECT * FROM seedkit_restore((SELECT doc FROM hint_docs), overrides => '{"Hint Shop.nope": {"name": "x"}}');
SELECT * FROM seedkit_restore((SELECT doc FROM hint_docs), reuse => '{"Hint Shop.nope": ["name"]}');
SELECT * FROM seedkit_restore((SELECT doc FROM hint_docs), copies => 2,
	reuse => '{"Hint Shop.My Table": ["name"]}', vary => '{"Hint Shop.nope": {"placed": {"shift": "1 day"}}}');
-- the plain form names the table
SELECT * FROM seedkit_restore((SELECT doc FROM hint_docs), reuse => '{"Hint Shop.My Table": ["name"]}');
SELECT * FROM seedkit_restore((SELECT doc FROM hint_docs), reuse => '{"Hint Shop.My Table": ["name"]}',
	overrides => '{"Hint Shop.Order": {"placed": "2026-02-02"}}');
SELECT * FROM seedkit_restore((SELECT doc FROM hint_docs), copies => 2,
	reuse => '{"Hint Shop.My Table": ["name"]}', vary => '{"Hint Shop.Order": {"placed": {"shift": "10 days"}}}');
SELECT m.name, o.placed, count(*) FROM "Hint Shop"."Order" o JOIN "Hint Shop"."My Table" m ON m.id = o.t_id
 GROUP BY 1, 2 ORDER BY 1, 2;
DROP TABLE hint_docs;
SET client_min_messages = warning;
DROP SCHEMA "Hint Shop" CASCADE;
RESET client_min_messages;
