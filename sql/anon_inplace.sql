-- seedkit_anonymise: in place, one rewrite per table
CREATE SCHEMA anon_inplace;
SET search_path = anon_inplace, public;
SET seedkit.seed = 'regress-seed-1';

CREATE DOMAIN postcode5 AS text CHECK (VALUE ~ '^[0-9]{5}$');
CREATE TABLE customers (
	id int PRIMARY KEY,
	first_name text NOT NULL,
	last_name varchar(6),
	email text UNIQUE,
	phone text,
	born date,
	code char(4),
	zip postcode5,
	balance numeric(7, 2),
	display text GENERATED ALWAYS AS (first_name || ' ' || coalesce(last_name, '')) STORED
);
CREATE INDEX ON customers (last_name);
INSERT INTO customers (id, first_name, last_name, email, phone, born, code, zip, balance)
SELECT g, 'First' || g, 'Lst' || g, 'user' || g || '@corp.example', '+1 555 010 ' || lpad(g::text, 4, '0'),
	   date '1970-01-01' + g * 7, 'C' || (g % 100), lpad(g::text, 5, '0'), g * 3.25
FROM generate_series(1, 500) g;
INSERT INTO customers (id, first_name) VALUES (1000, 'Nobody');
CREATE TABLE originals AS SELECT * FROM customers;

CREATE TABLE orders (id int PRIMARY KEY, customer_email text REFERENCES customers (email), amount int);
INSERT INTO orders SELECT g, 'user' || (g % 500 + 1) || '@corp.example', g FROM generate_series(1, 1000) g;

-- an audit trigger must not see the real values
CREATE TABLE audit (v text);
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO audit VALUES (OLD.first_name);
	RETURN NEW;
END $$;
CREATE TRIGGER customers_audit BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION audit_row();

SELECT seedkit_flag('customers', 'first_name', 'first_name');
SELECT seedkit_flag('customers', 'last_name', 'last_name', '{"locale": "de_DE"}');
SELECT seedkit_flag('customers', 'email', 'email');
SELECT seedkit_flag('customers', 'phone', 'partial', '{"first": 3, "last": 2}');
SELECT seedkit_flag('customers', 'born', 'date_shift', '{"days": 60}');
SELECT seedkit_flag('customers', 'code', 'scramble');
SELECT seedkit_flag('customers', 'zip', 'postcode');
SELECT seedkit_flag('customers', 'balance', 'number_noise', '{"percent": 20}');

-- the foreign key from orders must map alike: both tables in one call
SELECT * FROM seedkit_anonymise('{customers}');
-- a referencing column flagged otherwise is refused
SELECT seedkit_flag('orders', 'customer_email', 'hash');
SELECT * FROM seedkit_anonymise('{customers,orders}');
-- without its own flag it takes the referenced column's
SELECT seedkit_unflag('orders', 'customer_email');
SELECT * FROM seedkit_anonymise('{customers,orders}');

-- every row changed, NULLs stayed NULL, no trigger fired
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE c.first_name <> o.first_name) AS first_changed,
	   count(*) FILTER (WHERE c.last_name IS DISTINCT FROM o.last_name) AS last_changed,
	   count(*) FILTER (WHERE c.email IS DISTINCT FROM o.email) AS email_changed,
	   count(*) FILTER (WHERE c.phone IS DISTINCT FROM o.phone) AS phone_changed,
	   count(*) FILTER (WHERE c.born IS DISTINCT FROM o.born) AS born_changed,
	   count(*) FILTER (WHERE c.code IS DISTINCT FROM o.code) AS code_changed,
	   count(*) FILTER (WHERE c.zip IS DISTINCT FROM o.zip) AS zip_changed,
	   count(*) FILTER (WHERE c.balance IS DISTINCT FROM o.balance) AS balance_changed
FROM customers c JOIN originals o USING (id) WHERE o.last_name IS NOT NULL;
SELECT first_name <> 'Nobody' AS changed, last_name IS NULL AS ln_null, email IS NULL AS email_null,
	   born IS NULL AS born_null, zip IS NULL AS zip_null
FROM customers WHERE id = 1000;
SELECT count(*) AS audit_rows FROM audit;
-- results fit their columns, the generated column follows
SELECT count(*) FILTER (WHERE length(c.last_name) <= 6) AS last_fits,
	   count(*) FILTER (WHERE octet_length(c.code) = 4) AS code_padded,
	   count(*) FILTER (WHERE c.zip ~ '^[0-9]{5}$') AS zip_domain_ok,
	   count(*) FILTER (WHERE c.display = c.first_name || ' ' || coalesce(c.last_name, '')) AS generated_ok,
	   count(*) FILTER (WHERE abs(c.born - o.born) BETWEEN 1 AND 60) AS born_in_range
FROM customers c JOIN originals o USING (id) WHERE o.last_name IS NOT NULL;
SELECT id, first_name, last_name, email, phone, born, code, zip, balance, display
FROM customers ORDER BY id LIMIT 5;
-- unique stays unique, and the foreign key still matches every order
SELECT count(email) AS emails, count(DISTINCT email) AS distinct_emails FROM customers;
SELECT count(*) AS orders_matched FROM orders o JOIN customers c ON c.email = o.customer_email;
-- determinism: the same original gives the same fake in place and through seedkit_fake
SELECT count(*) FILTER (WHERE c.first_name = seedkit_fake('first_name', o.first_name, '{"locale": "en_US"}')) AS first_same,
	   count(*) FILTER (WHERE c.born = seedkit_fake('date_shift', o.born, '{"days": 60}')) AS born_same,
	   count(*) FILTER (WHERE c.phone = seedkit_fake('partial', o.phone, '{"first": 3, "last": 2}')) AS phone_same
FROM customers c JOIN originals o USING (id) WHERE o.last_name IS NOT NULL;
-- a second table with the same originals gets the same fakes
CREATE TABLE contacts (name text, mail text);
INSERT INTO contacts SELECT first_name, email FROM originals WHERE id <= 100;
SELECT seedkit_flag('contacts', 'name', 'first_name');
SELECT seedkit_flag('contacts', 'mail', 'email');
SELECT * FROM seedkit_anonymise('{contacts}');
SELECT count(*) AS same_in_both FROM contacts t JOIN customers c ON c.first_name = t.name AND c.email = t.mail;

-- unique collisions are resolved deterministically (45 towns, 50 city names)
CREATE TABLE towns (id int PRIMARY KEY, name text UNIQUE);
INSERT INTO towns SELECT g, 'Town ' || g FROM generate_series(1, 45) g;
CREATE TABLE towns2 AS SELECT * FROM towns;
ALTER TABLE towns2 ADD UNIQUE (name);
SELECT seedkit_flag('towns', 'name', 'city');
SELECT seedkit_flag('towns2', 'name', 'city');
SELECT count(DISTINCT seedkit_fake('city', name, '{"locale": "en_US"}')) < 45 AS would_collide FROM towns;
SELECT * FROM seedkit_anonymise('{towns}');
SELECT * FROM seedkit_anonymise('{towns2}');
SELECT count(*) AS towns, count(DISTINCT name) AS distinct_names FROM towns;
SELECT count(*) AS same_as_other_run FROM towns t JOIN towns2 u USING (id) WHERE t.name = u.name;

-- a column in a multi-column unique index: distinct originals get distinct fakes
CREATE TABLE memberships (tenant int, town text, UNIQUE (tenant, town));
INSERT INTO memberships SELECT t, 'Town ' || g FROM generate_series(1, 3) t, generate_series(1, 45) g;
SELECT seedkit_flag('memberships', 'town', 'city');
SELECT * FROM seedkit_anonymise('{memberships}');
SELECT count(*) AS rows, count(DISTINCT (tenant, town)) AS distinct_keys, count(DISTINCT town) AS distinct_towns
FROM memberships;
-- the same original has the same fake in every tenant, and in table towns
SELECT (SELECT array_agg(DISTINCT town ORDER BY town) FROM memberships)
	   = (SELECT array_agg(name ORDER BY name) FROM towns) AS same_fakes_as_towns;

-- a CHECK no fake can satisfy: a clear error naming it, the table unchanged
CREATE TABLE checked (id int, nick text CHECK (nick LIKE 'x%'));
INSERT INTO checked VALUES (1, 'xavier'), (2, 'xena');
SELECT seedkit_flag('checked', 'nick', 'first_name');
SELECT * FROM seedkit_anonymise('{checked}');
SELECT * FROM checked ORDER BY id;
-- a domain no fake can satisfy
CREATE DOMAIN tiny AS text CHECK (length(VALUE) < 2);
CREATE TABLE tinies (v tiny);
INSERT INTO tinies VALUES ('a');
SELECT seedkit_flag('tinies', 'v', 'full_name');
SELECT * FROM seedkit_anonymise('{tinies}');
SELECT seedkit_unflag('tinies', 'v');
SELECT seedkit_unflag('checked', 'nick');

-- triggers => true: user triggers fire (an UPDATE, then a rewrite)
CREATE TABLE logged (id int, name text);
INSERT INTO logged VALUES (1, 'Alice'), (2, 'Bob');
CREATE TABLE logged_audit (old_name text, new_name text);
CREATE FUNCTION logged_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO logged_audit VALUES (OLD.name, NEW.name);
	RETURN NEW;
END $$;
CREATE TRIGGER logged_audit AFTER UPDATE ON logged FOR EACH ROW EXECUTE FUNCTION logged_row();
SELECT seedkit_flag('logged', 'name', 'first_name');
SELECT * FROM seedkit_anonymise('{logged}', triggers => true);
SELECT count(*) AS fired, count(*) FILTER (WHERE new_name = l.name) AS matching
FROM logged_audit a JOIN logged l ON a.new_name = l.name;
SELECT count(*) AS logged_before FROM logged_audit;

-- with triggers => true unique collisions are resolved too
CREATE TABLE towns3 AS SELECT id, 'Town ' || id AS name FROM generate_series(1, 45) AS id;
ALTER TABLE towns3 ADD UNIQUE (name);
CREATE TRIGGER towns3_audit AFTER UPDATE ON towns3 FOR EACH ROW EXECUTE FUNCTION logged_row();
SELECT seedkit_flag('towns3', 'name', 'city');
SELECT * FROM seedkit_anonymise('{towns3}', triggers => true);
SELECT count(*) AS same_as_rewrite FROM towns3 t JOIN towns u USING (id) WHERE t.name = u.name;
-- a listed table without flags is not rewritten
CREATE TABLE plain (v text);
SELECT * FROM seedkit_anonymise('{plain}');

-- rollback leaves the table as it was
BEGIN;
SELECT * FROM seedkit_anonymise('{logged}');
ROLLBACK;
SELECT count(*) AS unchanged FROM logged l JOIN logged_audit a ON a.new_name = l.name;

-- NULL: every table with flags (only this schema's tables and earlier tests' are flagged)
SELECT table_name, columns, rows FROM seedkit_anonymise() WHERE table_name::text LIKE 'anon_inplace.%' OR table_name::text NOT LIKE '%.%' ORDER BY 1;

-- partitioned tables: flags on the partitioned table apply to every partition
CREATE TABLE events (id int, region text, who text, at date) PARTITION BY LIST (region);
CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu');
CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
CREATE TABLE events_jp (at date, who text, id int, region text);	-- other column order
ALTER TABLE events ATTACH PARTITION events_jp FOR VALUES IN ('jp');
INSERT INTO events SELECT g, (ARRAY['eu', 'us', 'jp'])[g % 3 + 1], 'Person ' || g, date '2020-01-01' + g
FROM generate_series(1, 60) g;
SELECT seedkit_flag('events', 'who', 'full_name');
SELECT seedkit_flag('events', 'at', 'date_shift');
SELECT seedkit_flag('events_eu', 'who', 'full_name');
SELECT seedkit_flag('events', 'region', 'city');
SELECT * FROM seedkit_anonymise('{events}') ORDER BY 1;
SELECT count(*) AS total,
	   count(*) FILTER (WHERE who = seedkit_fake('full_name', 'Person ' || id, '{"locale": "en_US"}')) AS who_as_fake,
	   count(*) FILTER (WHERE at = seedkit_fake('date_shift', date '2020-01-01' + id)) AS at_as_fake
FROM events;
-- a partition listed alone uses its partitioned table's flags
SELECT * FROM seedkit_anonymise('{events_jp}');

-- a table owner who is not a superuser anonymises with the database secret
-- once granted SELECT on it (or with their own seedkit.seed)
CREATE ROLE regress_seedkit_owner;
GRANT USAGE, CREATE ON SCHEMA anon_inplace TO regress_seedkit_owner;
RESET seedkit.seed;
SET ROLE regress_seedkit_owner;
CREATE TABLE owned (id int PRIMARY KEY, name text UNIQUE);
INSERT INTO owned SELECT g, 'Owned ' || g FROM generate_series(1, 50) g;
SELECT seedkit_flag('owned', 'name', 'full_name');
SELECT * FROM seedkit_anonymise('{owned}');
RESET ROLE;
GRANT SELECT ON seedkit.secret TO regress_seedkit_owner;
SET ROLE regress_seedkit_owner;
SELECT * FROM seedkit_anonymise('{owned}');
RESET ROLE;
SELECT seedkit_fake('hash', 'x'::text) IS NOT NULL AS secret_created;
SET ROLE regress_seedkit_owner;
SELECT * FROM seedkit_anonymise('{owned}');
SELECT count(*) FILTER (WHERE name NOT LIKE 'Owned%') AS changed, count(DISTINCT name) AS distinct_names FROM owned;
RESET ROLE;
REVOKE SELECT ON seedkit.secret FROM regress_seedkit_owner;
DROP TABLE owned;
DROP OWNED BY regress_seedkit_owner;
DROP ROLE regress_seedkit_owner;

-- fakes cut to fit are counted once, unique column or not (the collision pass
-- of a unique column made them too and counted them a second time)
CREATE TABLE cut_plain (id int PRIMARY KEY, e varchar(14));
CREATE TABLE cut_unique (id int PRIMARY KEY, e varchar(14) UNIQUE);
INSERT INTO cut_plain SELECT g, 'u' || g || '@x.test' FROM generate_series(1, 200) g;
INSERT INTO cut_unique SELECT * FROM cut_plain;
SELECT seedkit_flag('cut_plain', 'e', 'email'), seedkit_flag('cut_unique', 'e', 'email');
SELECT table_name, rows FROM seedkit_anonymise('{cut_plain}');
SELECT table_name, rows FROM seedkit_anonymise('{cut_unique}');
SELECT count(DISTINCT e) AS distinct_unique, max(length(e)) AS longest FROM cut_unique;
-- cut by the local part: still addresses at a reserved domain (were cut inside the domain)
SELECT (SELECT count(*) FROM cut_plain WHERE e ~ '^[^@]+@example\.(com|net|org)$') AS plain_addresses,
       (SELECT count(*) FROM cut_unique WHERE e ~ '^[^@]+@example\.(com|net|org)$') AS unique_addresses;

RESET seedkit.seed;
DROP SCHEMA anon_inplace CASCADE;
