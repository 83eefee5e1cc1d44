-- messages_names: a table or column whose name needs quotes is named in
-- messages as PostgreSQL names it, table "MsgNames.Line Item": the name's
-- own identifier quotes are taken off inside the message's quotes (never
-- table ""MsgNames"."Line Item"" or column ""Order Code"").
CREATE SCHEMA "MsgNames";
SET search_path = "MsgNames", public;
SET seedkit.seed = 'regress-seed-1';
CREATE TABLE "Order" ("Id" serial PRIMARY KEY, "Code" text NOT NULL UNIQUE, "Qty" int);
CREATE TABLE "Line Item" ("Id" serial PRIMARY KEY,
	"Order Code" text NOT NULL REFERENCES "Order" ("Code"),
	"Nick" text CHECK ("Nick" LIKE 'zzz%'));
INSERT INTO "Order" ("Code", "Qty") VALUES ('a', 1), ('b', 2);
INSERT INTO "Line Item" ("Order Code", "Nick") VALUES ('a', 'zzz1'), ('b', 'zzz2');

-- snapshot: a bad filter, max_rows, a NOT NULL foreign key to an excluded table
SELECT seedkit_snapshot('"Order"', filter => '"Nope" = 1');
SELECT seedkit_snapshot('"Order"', max_rows => 1);
SELECT seedkit_snapshot('"Line Item"', exclude => ARRAY['"Order"'::regclass]);

-- relations: a column the table lacks
SELECT seedkit_relate('"Line Item"', '{Nope}', '"Order"', '{Code}');

-- restore: a document whose tables and columns need quotes
CREATE TABLE docs (name text PRIMARY KEY, doc json NOT NULL);
INSERT INTO docs SELECT 'order', seedkit_snapshot('"Order"', filter => '"Id" = 1');
SELECT table_name, row_no, row_text FROM doc_rows((SELECT doc FROM docs WHERE name = 'order'));
-- the document's "Code" is taken in append mode
SELECT * FROM seedkit_restore((SELECT doc FROM docs WHERE name = 'order'));
-- options naming what is not there
SELECT * FROM seedkit_restore((SELECT doc FROM docs WHERE name = 'order'), 'replace',
	overrides => '{"\"MsgNames\".\"Order\"": {"Nope": 1}}');
SELECT * FROM seedkit_restore((SELECT doc FROM docs WHERE name = 'order'), 'replace',
	overrides => '{"\"MsgNames\".\"Order\"": 1}');
SELECT * FROM seedkit_restore((SELECT doc FROM docs WHERE name = 'order'),
	reuse => '{"\"MsgNames\".\"Line Item\"": ["Nope"]}');
SELECT * FROM seedkit_restore((SELECT doc FROM docs WHERE name = 'order'),
	reuse => '{"\"MsgNames\".\"Order\"": 1}');
-- a table of the document that the target lacks, a column it lacks
SELECT * FROM seedkit_restore(replace((SELECT doc FROM docs WHERE name = 'order')::text,
	'\"Line Item\"', '\"Gone Item\"')::json);
SELECT * FROM seedkit_restore(replace((SELECT doc FROM docs WHERE name = 'order')::text,
	'"Qty"', '"Nope"')::json, 'replace');

-- flags: a word list table that does not exist
SELECT seedkit_flag('"Order"', 'Code', 'pick', '{"list": "\"MsgNames\".\"Words\"", "column": "Word"}');
-- anonymise: a CHECK no fake satisfies; a foreign key flagged on one side only
SELECT seedkit_flag('"Line Item"', 'Nick', 'first_name');
SELECT * FROM seedkit_anonymise(ARRAY['"Line Item"'::regclass]);
SELECT seedkit_unflag('"Line Item"', 'Nick');
SELECT seedkit_flag('"Order"', 'Code', 'email');
SELECT seedkit_flag('"Line Item"', 'Order Code', 'first_name');
SELECT * FROM seedkit_anonymise(ARRAY['"Order"'::regclass, '"Line Item"'::regclass]);
SELECT seedkit_unflag('"Line Item"', 'Order Code');
SELECT seedkit_unflag('"Order"', 'Code');

-- nothing was changed
SELECT * FROM "Order" ORDER BY "Id";
SELECT * FROM "Line Item" ORDER BY "Id";

-- progress NOTICEs name the tables alike
SET seedkit.progress = on;
\set VERBOSITY terse
SELECT length(seedkit_snapshot('"Order"')::text) > 0 AS taken;
SELECT * FROM seedkit_restore((SELECT doc FROM docs WHERE name = 'order'), 'replace');
\set VERBOSITY default
RESET seedkit.progress;
SELECT * FROM "Line Item" ORDER BY "Id";
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA "MsgNames" CASCADE;
RESET client_min_messages;
