-- restore_merge: mode 'merge' brings a database up to date with a document
-- of reference data: a row whose key (not reset) exists takes the document's
-- values, a missing one is inserted, rows the document lacks stay; tables
-- with reset keys are appended as in append mode.
\set SHOW_CONTEXT never
CREATE SCHEMA mg;
CREATE TABLE mg.currency (code text PRIMARY KEY, name text NOT NULL, rate numeric CHECK (rate > 0));
CREATE TABLE mg.price (price_id serial PRIMARY KEY, code text NOT NULL REFERENCES mg.currency, amount numeric);
CREATE TABLE mg.rate_hist (code text REFERENCES mg.currency, day date, rate numeric, PRIMARY KEY (code, day));
CREATE TABLE mg.log (what text);
CREATE FUNCTION mg.log_currency() RETURNS trigger LANGUAGE plpgsql AS
$$BEGIN INSERT INTO mg.log VALUES (lower(TG_OP) || ' ' || NEW.code); RETURN NEW; END$$;
CREATE TRIGGER currency_log AFTER INSERT OR UPDATE ON mg.currency FOR EACH ROW EXECUTE FUNCTION mg.log_currency();
INSERT INTO mg.currency VALUES ('EUR', 'Euro', 1), ('USD', 'US dollar', 1.1), ('GBP', 'Pound sterling', 0.9);
INSERT INTO mg.rate_hist VALUES ('EUR', '2026-01-01', 1), ('USD', '2026-01-01', 1.1);
CREATE TABLE mg.docs (name text PRIMARY KEY, doc json);
INSERT INTO mg.docs SELECT 'ref', seedkit_snapshot('mg.currency', reset_keys => false);
SELECT table_name, key, reset FROM doc_tables((SELECT doc FROM mg.docs WHERE name = 'ref')) ORDER BY n;

-- The database drifted: EUR renamed, GBP gone, CHF added, a rate changed.
TRUNCATE mg.log;
DELETE FROM mg.currency WHERE code = 'GBP';
UPDATE mg.currency SET name = 'Old euro', rate = 7 WHERE code = 'EUR';
INSERT INTO mg.currency VALUES ('CHF', 'Swiss franc', 1.05);
UPDATE mg.rate_hist SET rate = 2 WHERE code = 'USD';
TRUNCATE mg.log;
SELECT * FROM seedkit_restore((SELECT doc FROM mg.docs WHERE name = 'ref'), 'merge');
SELECT * FROM mg.currency ORDER BY code;
SELECT * FROM mg.rate_hist ORDER BY code, day;
-- user triggers fire as for any INSERT ... ON CONFLICT DO UPDATE
SELECT * FROM mg.log ORDER BY what;
-- merging again changes nothing but still writes every row
SELECT * FROM seedkit_restore((SELECT doc FROM mg.docs WHERE name = 'ref'), 'merge');
SELECT count(*) FROM mg.currency;

-- A table with a reset key is appended: every run adds its rows with fresh keys.
INSERT INTO mg.price (code, amount) VALUES ('EUR', 5), ('USD', 6);
INSERT INTO mg.docs SELECT 'prices', seedkit_snapshot('mg.price');
SELECT table_name, key, reset FROM doc_tables((SELECT doc FROM mg.docs WHERE name = 'prices')) ORDER BY n;
UPDATE mg.currency SET rate = 3 WHERE code = 'USD';
SELECT * FROM seedkit_restore((SELECT doc FROM mg.docs WHERE name = 'prices'), 'merge');
SELECT * FROM mg.price ORDER BY price_id;
-- the currencies the prices reference were merged back to the document's values
SELECT code, rate FROM mg.currency ORDER BY code;
-- the price sequence was moved past the new rows
INSERT INTO mg.price (code, amount) VALUES ('CHF', 1) RETURNING price_id;

-- Merge with overrides: the override is what is merged.
SELECT * FROM seedkit_restore((SELECT doc FROM mg.docs WHERE name = 'ref'), 'merge',
	overrides => '{"mg.currency": {"EUR": {"name": "Euro (override)"}}}');
SELECT code, name FROM mg.currency ORDER BY code;

-- Merge and reuse together: reuse decides for its tables (a matched row is
-- left as it is), merge for the others.
UPDATE mg.currency SET name = 'kept' WHERE code = 'EUR';
UPDATE mg.rate_hist SET rate = 9;
SELECT * FROM seedkit_restore((SELECT doc FROM mg.docs WHERE name = 'ref'), 'merge',
	reuse => '{"mg.currency": ["code"]}');
SELECT code, name FROM mg.currency ORDER BY code;
SELECT * FROM mg.rate_hist ORDER BY code, day;

-- Errors; each leaves the database as it was.
-- a table without a key in the document
CREATE TABLE mg.nokey (code text REFERENCES mg.currency, note text);
INSERT INTO mg.nokey VALUES ('EUR', 'x');
SELECT * FROM seedkit_restore(seedkit_snapshot('mg.currency', reset_keys => false), 'merge');
DROP TABLE mg.nokey;
-- a document key that is not a unique key of the target
ALTER TABLE mg.rate_hist DROP CONSTRAINT rate_hist_pkey;
SELECT * FROM seedkit_restore((SELECT doc FROM mg.docs WHERE name = 'ref'), 'merge');
ALTER TABLE mg.rate_hist ADD PRIMARY KEY (code, day);
-- a value the target refuses, after some rows were merged
UPDATE mg.currency SET name = 'before';
SELECT * FROM seedkit_restore((SELECT doc FROM mg.docs WHERE name = 'ref'), 'merge',
	overrides => '{"mg.currency": {"USD": {"rate": -1}}}');
SELECT DISTINCT name FROM mg.currency;
-- merge needs UPDATE
CREATE ROLE regress_seedkit_merge;
GRANT USAGE ON SCHEMA mg TO regress_seedkit_merge;
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA mg TO regress_seedkit_merge;
SET ROLE regress_seedkit_merge;
SELECT * FROM seedkit_restore((SELECT doc FROM mg.docs WHERE name = 'ref'), 'merge');
RESET ROLE;
-- the mode's name
SELECT * FROM seedkit_restore((SELECT doc FROM mg.docs WHERE name = 'ref'), 'upsert');
REVOKE ALL ON ALL TABLES IN SCHEMA mg FROM regress_seedkit_merge;
REVOKE ALL ON SCHEMA mg FROM regress_seedkit_merge;
DROP ROLE regress_seedkit_merge;

-- A partitioned table is merged through its root: matched rows are updated,
-- new ones routed to their partition, rows the document lacks stay.
CREATE TABLE mg.region (code text PRIMARY KEY, name text);
CREATE TABLE mg.m (region text REFERENCES mg.region, id int, v text, PRIMARY KEY (region, id))
	PARTITION BY LIST (region);
CREATE TABLE mg.m_a PARTITION OF mg.m FOR VALUES IN ('a');
CREATE TABLE mg.m_b PARTITION OF mg.m FOR VALUES IN ('b');
INSERT INTO mg.region VALUES ('a', 'A'), ('b', 'B');
INSERT INTO mg.m VALUES ('a', 1, 'x'), ('b', 2, 'y');
INSERT INTO mg.docs SELECT 'regions', seedkit_snapshot('mg.region', reset_keys => false);
UPDATE mg.m SET v = 'changed';
DELETE FROM mg.m WHERE id = 2;
INSERT INTO mg.m VALUES ('b', 3, 'kept');
SELECT * FROM seedkit_restore((SELECT doc FROM mg.docs WHERE name = 'regions'), 'merge');
SELECT tableoid::regclass, * FROM mg.m ORDER BY id;

-- A nullable foreign key cycle: its columns are written as null, then filled
-- in for updated and inserted rows alike.
CREATE TABLE mg.a (id int PRIMARY KEY, b_id int, note text);
CREATE TABLE mg.b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES mg.a);
ALTER TABLE mg.a ADD FOREIGN KEY (b_id) REFERENCES mg.b;
INSERT INTO mg.a VALUES (1, NULL, 'one'), (2, NULL, 'two');
INSERT INTO mg.b VALUES (10, 1), (20, 2);
UPDATE mg.a SET b_id = 20 WHERE id = 1;
UPDATE mg.a SET b_id = 10 WHERE id = 2;
INSERT INTO mg.docs SELECT 'cycle', seedkit_snapshot('mg.a', reset_keys => false);
UPDATE mg.a SET b_id = NULL, note = 'changed';
DELETE FROM mg.b WHERE id = 20;
SELECT * FROM seedkit_restore((SELECT doc FROM mg.docs WHERE name = 'cycle'), 'merge');
SELECT * FROM mg.a ORDER BY id;
SELECT * FROM mg.b ORDER BY id;

-- seedkit's statements name their operators: an "=" for text earlier on the
-- caller's path is never called, by the key match or by the UPDATE.
CREATE SCHEMA mg_evil;
CREATE FUNCTION mg_evil.texteq(text, text) RETURNS boolean LANGUAGE plpgsql AS
$$BEGIN RAISE EXCEPTION 'operator of mg_evil called'; END$$;
CREATE OPERATOR mg_evil.= (function = mg_evil.texteq, leftarg = text, rightarg = text);
SELECT doc AS regions FROM mg.docs WHERE name = 'regions' \gset
UPDATE mg.m SET v = 'changed again';
SET search_path = mg_evil, pg_catalog, public;
SELECT * FROM seedkit_restore(:'regions'::json, 'merge', reuse => '{"mg.region": ["code"]}');
RESET search_path;
SELECT * FROM mg.m ORDER BY id;
