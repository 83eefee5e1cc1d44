-- restore_keys: keys that are not serial integers: uuid reset keys (fresh
-- even in replace mode: an ordinal is no uuid), tables without a key,
-- foreign keys to a UNIQUE natural key, a reset key over a domain
CREATE SCHEMA kx;
CREATE DOMAIN kx.id AS bigint CHECK (VALUE > 0);
CREATE SEQUENCE kx.tag_seq;
CREATE TABLE kx.u (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL UNIQUE);
CREATE TABLE kx.c (id kx.id PRIMARY KEY DEFAULT nextval('kx.tag_seq'), u_id uuid NOT NULL REFERENCES kx.u, k int);
CREATE TABLE kx.nokey (u_id uuid REFERENCES kx.u, note text);
CREATE TABLE kx.by_name (n int PRIMARY KEY, u_name text REFERENCES kx.u (name));
INSERT INTO kx.u VALUES ('00000000-0000-4000-8000-000000000002', 'b'), ('00000000-0000-4000-8000-000000000001', 'a');
-- c's ids come from the sequence in the order the rows arrive: b gets 1, a gets 2,
-- said by ORDER BY rather than left to the scan order of kx.u
INSERT INTO kx.c (u_id, k) SELECT id, ascii(name) FROM kx.u ORDER BY name DESC;
INSERT INTO kx.nokey SELECT id, 'x' FROM kx.u WHERE name = 'a';
INSERT INTO kx.nokey SELECT id, 'x' FROM kx.u WHERE name = 'a';
INSERT INTO kx.by_name VALUES (10, 'b');
CREATE VIEW kx.content AS
	SELECT 'c' AS kind, u.name, c.k::text AS v FROM kx.c JOIN kx.u ON u.id = c.u_id
	UNION ALL SELECT 'nokey', u.name, n.note FROM kx.nokey n JOIN kx.u ON u.id = n.u_id
	UNION ALL SELECT 'by_name', b.u_name, b.n::text FROM kx.by_name b;
SELECT * FROM kx.content ORDER BY 1, 2, 3;
SELECT t->>'table' AS table_name, t->'key' AS key, t->'reset' AS reset
FROM json_array_elements(seedkit_snapshot('kx.u', name => 'kx')->'tables') t ORDER BY 1;
-- replace: the uuid keys are drawn fresh from their default, the integer ones are the ordinals
CREATE TABLE kx.before AS SELECT id FROM kx.u;
SELECT * FROM seedkit_restore('kx', 'replace');
SELECT count(*) AS new_uuids FROM kx.u WHERE id NOT IN (SELECT id FROM kx.before);
SELECT id, k FROM kx.c ORDER BY id;
SELECT * FROM kx.content ORDER BY 1, 2, 3;
INSERT INTO kx.c (u_id, k) SELECT id, 0 FROM kx.u WHERE name = 'a' RETURNING id;
-- append: fresh uuids again; rows of a table without key are written as they are;
-- UNIQUE natural values would conflict, so overrides rename them
DELETE FROM kx.by_name;
SELECT * FROM seedkit_restore('kx', overrides => '{"kx.u": {"1": {"name": "a2"}, "2": {"name": "b2"}}}');
SELECT count(*) AS uuids, count(DISTINCT id) AS distinct_uuids FROM kx.u;
SELECT * FROM kx.content ORDER BY 1, 2, 3;
DELETE FROM seedkit.snapshots WHERE name = 'kx';

-- a snapshot taken with reset_keys => false keeps the original keys: restore
-- writes them as they are and moves the sequences past them
CREATE TABLE kx.orig (id serial PRIMARY KEY, parent int REFERENCES kx.orig, v text);
INSERT INTO kx.orig (v) SELECT 'v' || g FROM generate_series(1, 5) g;
UPDATE kx.orig SET parent = id - 1 WHERE id > 1;
DELETE FROM kx.orig WHERE id = 5;
CREATE TABLE kx.orig_doc AS SELECT seedkit_snapshot('kx.orig', reset_keys => false, name => 'kx_orig') AS doc;
SELECT t->'reset' AS reset, t->'rows' AS rows FROM kx.orig_doc, json_array_elements(doc->'tables') t;
DELETE FROM kx.orig;
SELECT setval('kx.orig_id_seq', 1, false);
SELECT * FROM seedkit_restore((SELECT doc FROM kx.orig_doc));
SELECT * FROM kx.orig ORDER BY id;
INSERT INTO kx.orig (v) VALUES ('next') RETURNING id;
-- appending them again conflicts on the keys, and says so
SELECT * FROM seedkit_restore((SELECT doc FROM kx.orig_doc));
DELETE FROM seedkit.snapshots WHERE name = 'kx_orig';

-- names that need quoting: schema, tables, columns, constraint, sequence
CREATE SCHEMA "Odd Schema";
CREATE TABLE "Odd Schema"."Order" ("Order Id" serial PRIMARY KEY, "select" text NOT NULL, "Parent" int);
CREATE TABLE "Odd Schema"."line;item" (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	"Order Id" int NOT NULL CONSTRAINT "Order FK" REFERENCES "Odd Schema"."Order");
ALTER TABLE "Odd Schema"."Order" ADD CONSTRAINT "Cycle FK" FOREIGN KEY ("Parent") REFERENCES "Odd Schema"."line;item";
INSERT INTO "Odd Schema"."Order" ("select") VALUES ('a"b'), (E'tab\there');
INSERT INTO "Odd Schema"."line;item" ("Order Id") VALUES (1), (2), (2);
UPDATE "Odd Schema"."Order" SET "Parent" = 3 WHERE "Order Id" = 1;
SELECT * FROM seedkit_restore(seedkit_snapshot('"Odd Schema"."Order"', name => 'odd'));
SELECT * FROM seedkit_restore('odd', 'replace', '{"\"Odd Schema\".\"Order\"": {"2": {"select": "two"}}}');
SELECT o."Order Id", o."select", o."Parent", l.id, l."Order Id" AS line_order
FROM "Odd Schema"."Order" o JOIN "Odd Schema"."line;item" l ON l."Order Id" = o."Order Id" ORDER BY l.id;
SELECT * FROM seedkit_reseed('{"\"Odd Schema\".\"Order\"", "\"Odd Schema\".\"line;item\""}');
DELETE FROM seedkit.snapshots WHERE name = 'odd';
