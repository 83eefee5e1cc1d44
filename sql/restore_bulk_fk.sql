-- A table of 500 document rows or more, whose only INSERT triggers are its
-- foreign keys' checks, loads under session_replication_role = replica in a
-- subtransaction when the caller may set the role; each foreign key is then
-- checked once over the rows loaded (issue 15, the whole-database round
-- trip).  The results, the errors and what stays after an error are those of
-- the per-row checks.
CREATE SCHEMA bf;
CREATE TABLE bf.k (code text PRIMARY KEY);
CREATE TABLE bf.p (p_id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE bf.c (c_id serial PRIMARY KEY, p_id int NOT NULL REFERENCES bf.p,
	code text CONSTRAINT c_code_fkey REFERENCES bf.k,
	country text, city text, up int REFERENCES bf.c);
CREATE TABLE bf.region (country text, city text, PRIMARY KEY (country, city));
ALTER TABLE bf.c ADD CONSTRAINT c_region_fkey FOREIGN KEY (country, city)
	REFERENCES bf.region MATCH FULL;
INSERT INTO bf.region VALUES ('FR', 'Lyon'), ('DE', 'Köln');
INSERT INTO bf.k SELECT 'code ' || g FROM generate_series(1, 600) g;
INSERT INTO bf.p (name) SELECT 'name ' || g FROM generate_series(1, 600) g;
INSERT INTO bf.c (p_id, code, country, city, up)
	SELECT g % 600 + 1, CASE WHEN g % 3 = 0 THEN NULL ELSE 'code ' || (g % 600 + 1) END,
		   CASE WHEN g % 2 = 0 THEN 'FR' END, CASE WHEN g % 2 = 0 THEN 'Lyon' END,
		   CASE WHEN g > 1 THEN g / 2 END
	  FROM generate_series(1, 1200) g;
-- the codes and regions taken out of the document: the restored rows
-- reference rows already there (locked FOR KEY SHARE as the triggers do)
CREATE TABLE bf.docs (doc json);
INSERT INTO bf.docs SELECT seedkit_snapshot('bf.c', name => 'bf');
DELETE FROM seedkit.snapshots WHERE name = 'bf';
UPDATE bf.docs SET doc = json_build_object('format', doc->'format', 'name', doc->'name', 'root', doc->'root',
	'tables', (SELECT json_agg(t::jsonb || jsonb_build_object('references',
					(SELECT COALESCE(jsonb_agg(r), '[]') FROM jsonb_array_elements(t::jsonb->'references') r
					  WHERE r->>'table' NOT IN ('bf.k', 'bf.region'))) ORDER BY n)
				 FROM json_array_elements(doc->'tables') WITH ORDINALITY e(t, n)
				WHERE t->>'table' NOT IN ('bf.k', 'bf.region')));
SELECT table_name, row_count FROM doc_tables((SELECT doc FROM bf.docs)) t
  JOIN LATERAL (SELECT count(*) AS row_count FROM json_array_elements((SELECT doc FROM bf.docs)->'tables'->(t.n::int - 1)->'rows')) r ON true
 ORDER BY t.n;

-- the document into empty tables: every reference lands on the new rows
TRUNCATE bf.c, bf.p;
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs), 'replace');
SELECT count(*) AS children,
	   count(*) FILTER (WHERE c.code IS DISTINCT FROM 'code ' || substr((SELECT p.name FROM bf.p p WHERE p.p_id = c.p_id), 6) AND c.code IS NOT NULL) AS wrong_code,
	   count(*) FILTER (WHERE c.up IS NOT NULL AND c.up >= c.c_id) AS up_after
  FROM bf.c c;
-- the children were written by a subtransaction of their own (the fast
-- path), the parents by the restore's transaction
SELECT (SELECT min(xmin::text::bigint) FROM bf.c) <> (SELECT min(xmin::text::bigint) FROM bf.p) AS own_subtransaction;

-- appended next to them: fresh keys, the references follow
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs));
SELECT count(*) AS children, count(DISTINCT p_id) AS parents FROM bf.c;

-- the codes referenced are locked FOR KEY SHARE until the end of the
-- transaction, as the per-row checks lock them
BEGIN;
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs));
SELECT count(*) FILTER (WHERE xmax::text::bigint >= pg_current_xact_id()::text::bigint) AS locked,
	   (SELECT count(DISTINCT code) FROM bf.c) AS referenced
  FROM bf.k;
ROLLBACK;

-- a reference to a missing row: the foreign key's own error, nothing stays
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs), overrides => '{"bf.c": {"code": "nowhere"}}');
-- MATCH FULL with half the key null: the trigger's message
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs), overrides => '{"bf.c": {"country": "DE", "city": null}}');
-- MATCH FULL, both set, one missing
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs), overrides => '{"bf.c": {"country": "DE", "city": "Lyon"}}');
-- one row among 1,200 pointing nowhere: the error names it as before
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs), overrides => '{"bf.c": {"700": {"code": "code 0"}}}');
SELECT count(*) AS children FROM bf.c;
SHOW session_replication_role;

-- the same errors without the fast path: a role that may not set
-- session_replication_role loads with the per-row checks
CREATE ROLE bf_user;
GRANT USAGE ON SCHEMA bf TO bf_user;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA bf TO bf_user;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA bf TO bf_user;
SET ROLE bf_user;
BEGIN;
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs));
SELECT count(*) FILTER (WHERE xmax::text::bigint >= pg_current_xact_id()::text::bigint) AS locked,
	   (SELECT count(DISTINCT code) FROM bf.c) AS referenced
  FROM bf.k;
ROLLBACK;
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs), overrides => '{"bf.c": {"code": "nowhere"}}');
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs), overrides => '{"bf.c": {"country": "DE", "city": null}}');
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs), overrides => '{"bf.c": {"country": "DE", "city": "Lyon"}}');
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs), overrides => '{"bf.c": {"700": {"code": "code 0"}}}');
RESET ROLE;
SELECT count(*) AS children FROM bf.c;

-- a role that may set session_replication_role checks the keys once only
-- where it may read both tables and lock the parent's rows (FOR KEY SHARE
-- needs UPDATE): without UPDATE on bf.k its loads keep the per-row checks,
-- which run as the tables' owner, and succeed (the rows are the
-- transaction's own); with it, the children come from a subtransaction
GRANT SET ON PARAMETER session_replication_role TO bf_user;
REVOKE UPDATE ON bf.k FROM bf_user;
SET ROLE bf_user;
BEGIN;
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs));
SELECT count(*) FILTER (WHERE xmin::text::bigint = pg_current_xact_id()::text::bigint) AS by_transaction,
	   count(*) FILTER (WHERE xmin::text::bigint > pg_current_xact_id()::text::bigint) AS by_subtransaction
  FROM bf.c;
ROLLBACK;
RESET ROLE;
GRANT UPDATE ON bf.k TO bf_user;
SET ROLE bf_user;
BEGIN;
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs));
SELECT count(*) FILTER (WHERE xmin::text::bigint = pg_current_xact_id()::text::bigint) AS by_transaction,
	   count(*) FILTER (WHERE xmin::text::bigint > pg_current_xact_id()::text::bigint) AS by_subtransaction
  FROM bf.c;
ROLLBACK;
RESET ROLE;
REVOKE SET ON PARAMETER session_replication_role FROM bf_user;

-- a trigger of the table's own keeps the per-row path: it fires for every
-- row, and a trigger enabled for replica only does not fire
CREATE TABLE bf.fired (n int);
CREATE FUNCTION bf.count_row() RETURNS trigger LANGUAGE plpgsql AS
$$BEGIN INSERT INTO bf.fired VALUES (1); RETURN NULL; END$$;
CREATE TRIGGER c_counted AFTER INSERT ON bf.c FOR EACH ROW EXECUTE FUNCTION bf.count_row();
CREATE TRIGGER c_replica AFTER INSERT ON bf.c FOR EACH ROW EXECUTE FUNCTION bf.count_row();
ALTER TABLE bf.c ENABLE REPLICA TRIGGER c_replica;
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs));
SELECT count(*) AS fired FROM bf.fired;
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs), overrides => '{"bf.c": {"code": "nowhere"}}');
DROP TRIGGER c_counted ON bf.c;
-- the replica trigger alone: the per-row path too, it does not fire
TRUNCATE bf.fired;
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs));
SELECT count(*) AS fired FROM bf.fired;
DROP TRIGGER c_replica ON bf.c;

-- a deferrable foreign key keeps its trigger: deferred, it is checked at
-- the end of the transaction, not after the table
ALTER TABLE bf.c DROP CONSTRAINT c_code_fkey,
	ADD CONSTRAINT c_code_fkey FOREIGN KEY (code) REFERENCES bf.k DEFERRABLE;
BEGIN;
SET CONSTRAINTS bf.c_code_fkey DEFERRED;
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs), overrides => '{"bf.c": {"code": "later"}}');
INSERT INTO bf.k VALUES ('later');
COMMIT;
SELECT count(*) FILTER (WHERE code = 'later') AS later FROM bf.c;

-- the check's SQL for other key shapes: quoted names, a domain and a
-- varchar column against int and text keys, uuid, a two-column key, a
-- partitioned parent
CREATE SCHEMA "Bf S";
CREATE DOMAIN "Bf S".dint AS int CHECK (VALUE > 0);
CREATE TABLE "Bf S"."Par T" ("Id" bigint PRIMARY KEY, code text UNIQUE, u uuid UNIQUE,
	a int, b varchar(10), UNIQUE (a, b));
CREATE TABLE "Bf S".pt (id int, kind int, PRIMARY KEY (id, kind)) PARTITION BY LIST (kind);
CREATE TABLE "Bf S".pt1 PARTITION OF "Bf S".pt FOR VALUES IN (1);
CREATE TABLE "Bf S".pt2 PARTITION OF "Bf S".pt FOR VALUES IN (2);
CREATE TABLE "Bf S"."Child T" (id serial PRIMARY KEY,
	"P Id" int REFERENCES "Bf S"."Par T",
	dcode varchar(20) REFERENCES "Bf S"."Par T" (code),
	du uuid REFERENCES "Bf S"."Par T" (u),
	da "Bf S".dint, db text, FOREIGN KEY (da, db) REFERENCES "Bf S"."Par T" (a, b),
	pid int, pkind int, FOREIGN KEY (pid, pkind) REFERENCES "Bf S".pt);
INSERT INTO "Bf S"."Par T"
	SELECT g, 'c' || g, ('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, g, 'b' || g
	  FROM generate_series(1, 700) g;
INSERT INTO "Bf S".pt SELECT g, g % 2 + 1 FROM generate_series(1, 700) g;
INSERT INTO "Bf S"."Child T" ("P Id", dcode, du, da, db, pid, pkind)
	SELECT g % 700 + 1, 'c' || (g % 700 + 1), ('00000000-0000-0000-0000-' || lpad((g % 700 + 1)::text, 12, '0'))::uuid,
		   g % 700 + 1, 'b' || (g % 700 + 1), g % 700 + 1, (g % 700 + 1) % 2 + 1
	  FROM generate_series(1, 1000) g;
INSERT INTO bf.docs SELECT seedkit_snapshot('"Bf S"."Child T"', name => 'bf shapes');
DELETE FROM seedkit.snapshots WHERE name = 'bf shapes';
TRUNCATE "Bf S"."Child T", "Bf S"."Par T", "Bf S".pt;
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs WHERE doc->>'name' = 'bf shapes'), 'replace');
SELECT count(*) AS children,
	   count(*) FILTER (WHERE p.code = c.dcode AND p.a = c.da AND p.b = c.db AND p.u = c.du) AS consistent,
	   (SELECT min(xmin::text::bigint) FROM "Bf S"."Child T") <> (SELECT min(xmin::text::bigint) FROM "Bf S"."Par T") AS own_subtransaction
  FROM "Bf S"."Child T" c JOIN "Bf S"."Par T" p ON p."Id" = c."P Id";
-- a two-column key missing in the partitioned parent: the trigger's error
SELECT * FROM seedkit_restore((SELECT doc FROM bf.docs WHERE doc->>'name' = 'bf shapes'), 'replace',
	overrides => '{"\"Bf S\".\"Child T\"": {"pkind": 3}}');
SELECT count(*) AS children FROM "Bf S"."Child T";

-- a key of a row type keeps the per-row checks: (5,) IS NULL to SQL, so a
-- check in SQL would skip the row the trigger refuses
CREATE SCHEMA bfc;
CREATE TYPE bfc.pair AS (a int, b int);
CREATE TABLE bfc.p (k bfc.pair PRIMARY KEY);
CREATE TABLE bfc.c (id int PRIMARY KEY, k bfc.pair);
INSERT INTO bfc.p SELECT ROW(g, g)::bfc.pair FROM generate_series(1, 600) g;
INSERT INTO bfc.c SELECT g, ROW(g, g)::bfc.pair FROM generate_series(1, 600) g;
INSERT INTO bfc.c VALUES (601, ROW(5, NULL)::bfc.pair);
CREATE TABLE bfc.docs (doc json);
INSERT INTO bfc.docs SELECT seedkit_snapshot('bfc.c', name => 'bfc');
DELETE FROM seedkit.snapshots WHERE name = 'bfc';
TRUNCATE bfc.c;
ALTER TABLE bfc.c ADD FOREIGN KEY (k) REFERENCES bfc.p;
SELECT * FROM seedkit_restore((SELECT doc FROM bfc.docs), 'replace');
SELECT count(*) AS children FROM bfc.c;

-- a role that may set session_replication_role but may not reach the
-- parent's schema keeps the per-row checks, which run as the owner: the
-- restore succeeds
CREATE SCHEMA bfs;
CREATE TABLE bfs.p (id int PRIMARY KEY);
INSERT INTO bfs.p SELECT g FROM generate_series(1, 600) g;
CREATE TABLE bfc.u (id int PRIMARY KEY, p_id int);
INSERT INTO bfc.u SELECT g, g FROM generate_series(1, 600) g;
INSERT INTO bfc.docs SELECT seedkit_snapshot('bfc.u', name => 'bfu');
DELETE FROM seedkit.snapshots WHERE name = 'bfu';
TRUNCATE bfc.u;
ALTER TABLE bfc.u ADD FOREIGN KEY (p_id) REFERENCES bfs.p;
GRANT SELECT, UPDATE ON bfs.p TO bf_user;
GRANT USAGE ON SCHEMA bfc TO bf_user;
GRANT SELECT, INSERT ON bfc.u, bfc.docs TO bf_user;
GRANT SET ON PARAMETER session_replication_role TO bf_user;
SET ROLE bf_user;
SELECT * FROM seedkit_restore((SELECT doc FROM bfc.docs WHERE doc->>'name' = 'bfu'));
RESET ROLE;
SELECT count(*) AS children FROM bfc.u;
REVOKE SET ON PARAMETER session_replication_role FROM bf_user;
REVOKE ALL ON bfs.p FROM bf_user;
REVOKE ALL ON SCHEMA bfc FROM bf_user;
REVOKE ALL ON bfc.u, bfc.docs FROM bf_user;
SET client_min_messages = warning;
DROP SCHEMA bfc, bfs CASCADE;
RESET client_min_messages;
DROP SCHEMA bf, "Bf S" CASCADE;
DROP ROLE bf_user;
