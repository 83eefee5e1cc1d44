-- restore_reuse: restore into a database that already holds some of the rows.
-- reuse names, per table, the columns of a unique key of the target: a
-- document row whose values exist there is not inserted, its key maps to the
-- existing row's, and every reference to it follows.
\set SHOW_CONTEXT never
CREATE SCHEMA ru;
CREATE TABLE ru.country (country_id serial PRIMARY KEY, name text NOT NULL UNIQUE, iso text);
CREATE TABLE ru.language (code text PRIMARY KEY, name text NOT NULL);
CREATE TABLE ru.customer (customer_id serial PRIMARY KEY, name text NOT NULL,
	country_id int REFERENCES ru.country, language text REFERENCES ru.language);
CREATE TABLE ru.orders (order_id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES ru.customer,
	ship_to int REFERENCES ru.country, total numeric);
-- a trigger, to show user triggers fire for inserted rows only
CREATE TABLE ru.log (what text);
CREATE FUNCTION ru.log_country() RETURNS trigger LANGUAGE plpgsql AS
$$BEGIN INSERT INTO ru.log VALUES ('insert ' || NEW.name); RETURN NEW; END$$;
CREATE TRIGGER country_log AFTER INSERT ON ru.country FOR EACH ROW EXECUTE FUNCTION ru.log_country();
INSERT INTO ru.country (name, iso) VALUES ('France', 'FR'), ('Germany', 'DE');
INSERT INTO ru.language VALUES ('de', 'German'), ('fr', 'French');
INSERT INTO ru.customer (name, country_id, language) VALUES ('Ada', 2, 'de');
INSERT INTO ru.orders (customer_id, ship_to, total) VALUES (1, 2, 10), (1, 1, 20), (1, 2, 30);
CREATE TABLE ru.docs (doc json);
INSERT INTO ru.docs SELECT seedkit_snapshot('ru.customer', filter => 'customer_id = 1');
SELECT table_name, key, reset FROM doc_tables((SELECT doc FROM ru.docs)) ORDER BY n;

-- The developer's database: the countries and languages are there, under other ids.
TRUNCATE ru.country, ru.language, ru.customer, ru.orders, ru.log RESTART IDENTITY;
INSERT INTO ru.country (name, iso) VALUES ('Austria', 'AT'), ('Germany', 'DE'), ('Spain', 'ES');
INSERT INTO ru.language VALUES ('de', 'Deutsch');
TRUNCATE ru.log;
-- Germany is reused (not inserted again), France is new; the orders point at
-- the existing Germany (2) and at the new France
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.country": ["name"], "ru.language": ["code"]}');
SELECT * FROM ru.country ORDER BY country_id;
SELECT * FROM ru.language ORDER BY code;
SELECT c.name, co.name AS country, c.language FROM ru.customer c JOIN ru.country co USING (country_id);
SELECT o.order_id, o.customer_id, co.name AS ship_to, o.total
  FROM ru.orders o JOIN ru.country co ON co.country_id = o.ship_to ORDER BY o.order_id;
SELECT * FROM ru.log ORDER BY what;
-- again: both countries and the language are there now, only the customer and orders are new
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.country": ["name"], "ru.language": ["code"]}');
SELECT count(*) AS countries, count(DISTINCT name) AS names FROM ru.country;
SELECT o.customer_id, co.name AS ship_to, o.total
  FROM ru.orders o JOIN ru.country co ON co.country_id = o.ship_to ORDER BY o.order_id;
-- the sequence was moved past the fresh keys: a plain insert works
INSERT INTO ru.country (name) VALUES ('Italy');

-- Without reuse the natural UNIQUE key conflicts, and nothing is written.
SELECT count(*) FROM ru.customer;
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs));
SELECT count(*) FROM ru.customer;

-- "natural": every table whose key the document does not reset matches on
-- that key (here ru.language on code); country (reset key) is appended.
-- The UNIQUE constraint on name is dropped first, so the append cannot conflict.
ALTER TABLE ru.country DROP CONSTRAINT country_name_key;
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '"natural"');
SELECT name, count(*) FROM ru.country GROUP BY name ORDER BY name;

-- A composite unique key, and a table named any way that resolves to it.
DELETE FROM ru.orders; DELETE FROM ru.customer;
DELETE FROM ru.country WHERE country_id > 3;
ALTER TABLE ru.country ADD UNIQUE (name, iso);
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"\"ru\".country": ["iso", "name"], "ru.language": ["code"]}');
SELECT country_id, name, iso FROM ru.country ORDER BY country_id;
SELECT o.total, co.name AS ship_to FROM ru.orders o JOIN ru.country co ON co.country_id = o.ship_to ORDER BY o.total;

-- Errors; each leaves the database as it was.
SELECT count(*) AS customers_before FROM ru.customer;
-- a table the document does not hold
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.log": ["what"]}');
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.nosuch": ["name"]}');
-- an unknown column, a column the document lacks, a column twice
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.country": ["nosuch"]}');
ALTER TABLE ru.country ADD COLUMN note text;
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.country": ["note"]}');
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.country": ["name", "name"]}');
-- columns that are not a unique key of the target (a unique key is on (name, iso))
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.country": ["name"]}');
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.orders": ["total"]}');
-- a key that leaves out what other tables reference (language.code by customer)
ALTER TABLE ru.language ADD UNIQUE (name);
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.language": ["name"]}');
-- malformed
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '"everything"');
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '[1]');
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.country": "name"}');
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.country": []}');
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.country": [1]}');
-- replace mode empties the tables: nothing to reuse
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), 'replace', reuse => '"natural"');
SELECT count(*) AS customers_after FROM ru.customer;

-- An error after the match (a CHECK on the orders) undoes the whole call:
-- France, inserted before it, is gone again.
DELETE FROM ru.orders WHERE ship_to = (SELECT country_id FROM ru.country WHERE name = 'France');
DELETE FROM ru.country WHERE name = 'France';
ALTER TABLE ru.orders ADD CONSTRAINT small CHECK (total < 25) NOT VALID;
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.country": ["name", "iso"], "ru.language": ["code"]}');
SELECT count(*) AS customers_after FROM ru.customer;
SELECT name FROM ru.country ORDER BY name;
ALTER TABLE ru.orders DROP CONSTRAINT small;

-- Row numbers in errors are the document's, also when reused rows are left
-- out of the load: France (row 1) is reused, Germany (row 2) fails.
DELETE FROM ru.orders; DELETE FROM ru.customer;
UPDATE ru.country SET name = 'France', iso = 'FR' WHERE name = 'Germany';
ALTER TABLE ru.country ADD CONSTRAINT no_de CHECK (name <> 'Germany') NOT VALID;
SELECT * FROM seedkit_restore((SELECT doc FROM ru.docs), reuse => '{"ru.country": ["name", "iso"], "ru.language": ["code"]}');
ALTER TABLE ru.country DROP CONSTRAINT no_de;
UPDATE ru.country SET name = 'Germany', iso = 'DE' WHERE name = 'France';

-- The name form takes reuse too.
SELECT seedkit_load((SELECT doc FROM ru.docs)) IS NOT NULL AS stored;
SELECT * FROM seedkit_restore((SELECT doc->>'name' FROM ru.docs), reuse => '{"ru.country": ["name", "iso"], "ru.language": ["code"]}');
SELECT name, iso, count(*) FROM ru.country GROUP BY name, iso ORDER BY name;

-- Reuse of a table in a foreign key cycle is refused.
CREATE TABLE ru.a (id serial PRIMARY KEY, tag text UNIQUE, b_id int);
CREATE TABLE ru.b (id serial PRIMARY KEY, a_id int REFERENCES ru.a);
ALTER TABLE ru.a ADD FOREIGN KEY (b_id) REFERENCES ru.b;
INSERT INTO ru.a (tag) VALUES ('x');
INSERT INTO ru.b (a_id) VALUES (1);
UPDATE ru.a SET b_id = 1;
SELECT * FROM seedkit_restore(seedkit_snapshot('ru.a'), reuse => '{"ru.a": ["tag"]}');
SELECT count(*) FROM ru.a;
