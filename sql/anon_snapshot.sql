-- anonymisation in snapshots: same fakes as in place, no original in the document
CREATE SCHEMA anon_snapshot;
SET search_path = anon_snapshot, public;
SET seedkit.seed = 'regress-seed-1';
CREATE DOMAIN city_name AS text CHECK (VALUE <> '');
CREATE TABLE clients (
	client_id int PRIMARY KEY,
	name text NOT NULL,
	email varchar(24) UNIQUE,
	phone text,
	born date,
	city city_name,
	code char(5)
);
CREATE TABLE invoices (
	invoice_id int PRIMARY KEY,
	client_id int NOT NULL REFERENCES clients,
	payer_email varchar(24),
	note text
);
INSERT INTO clients
SELECT g, 'Origname' || g || ' Qv', 'origmail' || g || '@corp.example', '+1 555 777 ' || lpad(g::text, 4, '0'),
	   date '1960-01-01' + g * 100, 'Origcity' || g, 'K' || g
FROM generate_series(1, 20) g;
INSERT INTO invoices
SELECT g, g % 20 + 1, 'origmail' || (g % 20 + 1) || '@corp.example', 'Orignote ' || g || ' about the client'
FROM generate_series(1, 40) g;
CREATE TEMP TABLE originals AS
	SELECT name AS v FROM clients UNION ALL SELECT email FROM clients UNION ALL SELECT phone FROM clients
	UNION ALL SELECT to_char(born, 'YYYY-MM-DD') FROM clients UNION ALL SELECT city FROM clients
	UNION ALL SELECT rtrim(code) FROM clients UNION ALL SELECT note FROM invoices;

SELECT seedkit_flag('clients', 'name', 'full_name');
SELECT seedkit_flag('clients', 'email', 'email');
SELECT seedkit_flag('clients', 'phone', 'partial', '{"first": 2, "last": 2}');
SELECT seedkit_flag('clients', 'born', 'date_shift');
SELECT seedkit_flag('clients', 'city', 'city', '{"locale": "fr_FR"}');
SELECT seedkit_flag('clients', 'code', 'scramble');
SELECT seedkit_flag('invoices', 'payer_email', 'email');
SELECT seedkit_flag('invoices', 'note', 'lorem');

-- the document contains none of the flagged originals
SELECT seedkit_snapshot('clients')::text AS doc \gset
SELECT count(*) AS originals_searched, count(*) FILTER (WHERE strpos(:'doc', v) > 0) AS found_in_document FROM originals;
-- but unflagged values are there (the search works)
SELECT strpos(:'doc', 'Orig') = 0 AS no_orig_prefix, strpos(:'doc', 'example.') > 0 AS has_fake_emails;

-- the document holds exactly what seedkit_anonymise writes in place
CREATE TEMP TABLE doc_rows AS
SELECT t->>'table' AS tbl, (SELECT array_agg(c ORDER BY i) FROM json_array_elements_text(t->'columns') WITH ORDINALITY AS x(c, i)) AS cols, r AS row
FROM json_array_elements(:'doc'::json->'tables') AS t, json_array_elements(t->'rows') AS r;
SELECT * FROM seedkit_anonymise('{clients,invoices}');
SELECT (SELECT array_agg(row->>1 ORDER BY row->>1) FROM doc_rows WHERE tbl = 'anon_snapshot.clients')
	   = (SELECT array_agg(name ORDER BY name) FROM clients) AS names_match,
	   (SELECT array_agg(row->>2 ORDER BY row->>2) FROM doc_rows WHERE tbl = 'anon_snapshot.clients')
	   = (SELECT array_agg(email::text ORDER BY email) FROM clients) AS emails_match,
	   (SELECT array_agg(row->>3 ORDER BY row->>3) FROM doc_rows WHERE tbl = 'anon_snapshot.clients')
	   = (SELECT array_agg(phone ORDER BY phone) FROM clients) AS phones_match,
	   (SELECT array_agg((row->>4)::date ORDER BY (row->>4)::date) FROM doc_rows WHERE tbl = 'anon_snapshot.clients')
	   = (SELECT array_agg(born ORDER BY born) FROM clients) AS born_match,
	   (SELECT array_agg(row->>5 ORDER BY row->>5) FROM doc_rows WHERE tbl = 'anon_snapshot.clients')
	   = (SELECT array_agg(city::text ORDER BY city) FROM clients) AS cities_match,
	   (SELECT array_agg(rtrim(row->>6) ORDER BY rtrim(row->>6)) FROM doc_rows WHERE tbl = 'anon_snapshot.clients')
	   = (SELECT array_agg(code::text ORDER BY code) FROM clients) AS codes_match,
	   (SELECT array_agg(row->>3 ORDER BY row->>3) FROM doc_rows WHERE tbl = 'anon_snapshot.invoices')
	   = (SELECT array_agg(note ORDER BY note) FROM invoices) AS notes_match;
-- across tables: the payer's email is the client's fake email
SELECT count(*) AS invoices, count(*) FILTER (WHERE c.email = i.payer_email) AS same_email
FROM invoices i JOIN clients c USING (client_id);

-- a unique column whose fakes collide: the document resolves them as in place
CREATE TABLE towns (town_id int PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE visits (visit_id int PRIMARY KEY, town_id int NOT NULL REFERENCES towns, town_name text REFERENCES towns (name));
INSERT INTO towns SELECT g, 'Town ' || g FROM generate_series(1, 45) g;
INSERT INTO visits SELECT g, g % 45 + 1, 'Town ' || (g % 45 + 1) FROM generate_series(1, 90) g;
SELECT seedkit_flag('towns', 'name', 'city');
SELECT seedkit_flag('visits', 'town_name', 'city');
SELECT count(DISTINCT seedkit_fake('city', name)) < 45 AS would_collide FROM towns;
SELECT seedkit_snapshot('visits')::text AS doc2 \gset
CREATE TEMP TABLE doc2_rows AS
SELECT t->>'table' AS tbl, r AS row
FROM json_array_elements(:'doc2'::json->'tables') AS t, json_array_elements(t->'rows') AS r;
SELECT count(*) AS doc_towns, count(DISTINCT row->>1) AS distinct_names FROM doc2_rows WHERE tbl = 'anon_snapshot.towns';
SELECT count(*) AS doc_visits,
	   count(*) FILTER (WHERE row->>2 IN (SELECT row->>1 FROM doc2_rows WHERE tbl = 'anon_snapshot.towns')) AS names_found
FROM doc2_rows WHERE tbl = 'anon_snapshot.visits';
SELECT * FROM seedkit_anonymise('{towns,visits}');
SELECT (SELECT array_agg(row->>1 ORDER BY row->>1) FROM doc2_rows WHERE tbl = 'anon_snapshot.towns')
	   = (SELECT array_agg(name ORDER BY name) FROM towns) AS towns_match_in_place;

-- a column referencing a flagged key is anonymised alike, flagged or not
CREATE TABLE accounts (email text PRIMARY KEY, name text);
CREATE TABLE logins (login_id int PRIMARY KEY, account_email text NOT NULL REFERENCES accounts);
INSERT INTO accounts SELECT 'origacct' || g || '@corp.example', 'Acct ' || g FROM generate_series(1, 10) g;
INSERT INTO logins SELECT g, 'origacct' || (g % 10 + 1) || '@corp.example' FROM generate_series(1, 30) g;
SELECT seedkit_flag('accounts', 'email', 'email');
SELECT seedkit_snapshot('logins')::text AS doc3 \gset
SELECT strpos(:'doc3', 'origacct') = 0 AS no_original_reference;
SELECT count(*) AS logins, count(*) FILTER (WHERE r->>1 IN (
		SELECT a->>0 FROM json_array_elements(:'doc3'::json->'tables') AS t, json_array_elements(t->'rows') AS a
		WHERE t->>'table' = 'anon_snapshot.accounts')) AS references_match
FROM json_array_elements(:'doc3'::json->'tables') AS t, json_array_elements(t->'rows') AS r
WHERE t->>'table' = 'anon_snapshot.logins';

-- a partitioned table: flags on it apply to the rows of every partition
CREATE TABLE events (id int PRIMARY KEY, who text) PARTITION BY RANGE (id);
CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (10);
CREATE TABLE events_2 PARTITION OF events FOR VALUES FROM (10) TO (100);
INSERT INTO events SELECT g, 'Origperson' || g FROM generate_series(1, 20) g;
SELECT seedkit_flag('events', 'who', 'first_name');
SELECT strpos(seedkit_snapshot('events')::text, 'Origperson') = 0 AS partitions_anonymised;

-- anonymise => false: the owner gets a WARNING and the real values
TRUNCATE invoices, clients;
INSERT INTO clients VALUES (1, 'Realname Qv', 'real@corp.example', NULL, NULL, NULL, NULL);
SELECT strpos(seedkit_snapshot('clients', anonymise => false)::text, 'Realname Qv') > 0 AS real_values;
-- others may not
CREATE ROLE regress_seedkit_reader;
GRANT USAGE ON SCHEMA anon_snapshot TO regress_seedkit_reader;
GRANT SELECT ON clients, invoices TO regress_seedkit_reader;
SET ROLE regress_seedkit_reader;
SELECT seedkit_snapshot('clients', anonymise => false);
SELECT strpos(seedkit_snapshot('clients')::text, 'Realname') = 0 AS anonymised_for_reader;
RESET ROLE;
DROP OWNED BY regress_seedkit_reader;
DROP ROLE regress_seedkit_reader;

RESET seedkit.seed;
DROP SCHEMA anon_snapshot CASCADE;
