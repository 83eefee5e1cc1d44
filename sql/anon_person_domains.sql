-- issue 13, items 1 and 2: the fields of a person group in columns of a
-- domain are chosen to pass the domain's CHECK constraints, as a column
-- flagged alone is: the row's person is the first of its candidates whose
-- limited fields all fit their lengths and domains, so the row stays one
-- person
CREATE SCHEMA anon_person_domains;
SET search_path = anon_person_domains, public;
SET seedkit.seed = 'regress-person-domains-1';
-- a length check on text, and patterns: addresses at example.com or .net
-- only (not .org), user names without "_"
CREATE DOMAIN short_name AS text CHECK (length(VALUE) <= 6);
CREATE DOMAIN plain_mail AS text CHECK (VALUE ~ '@example\.(com|net)$');
CREATE DOMAIN short_login AS varchar(20) CHECK (VALUE !~ '_');
CREATE TABLE clients (
	client_id int PRIMARY KEY,
	given short_name,
	family text,
	full_name text,
	email plain_mail UNIQUE,
	login short_login
);
INSERT INTO clients
SELECT g, 'Og' || g, 'Origfamily' || g, 'Origfull' || g, 'om' || g || '@example.com', 'ol' || g
FROM generate_series(1, 100) g;
SELECT seedkit_flag('clients', c, s, '{"person": "c", "locale": "en_US"}')
FROM (VALUES ('given', 'first_name'), ('family', 'last_name'), ('full_name', 'full_name'),
			 ('email', 'email'), ('login', 'username')) v(c, s);
SELECT seedkit_snapshot('clients')::text AS doc \gset
SELECT table_name, columns, rows FROM seedkit_anonymise('{clients}');
CREATE FUNCTION pg_temp.ascii_name(t text) RETURNS text LANGUAGE sql AS
$$ SELECT lower(translate(split_part(t, ' ', 1), '''-', '')) $$;
SELECT count(*) AS rows,
	   max(length(given)) AS longest_given,
	   count(*) FILTER (WHERE full_name = given || ' ' || family) AS whole_names,
	   count(*) FILTER (WHERE email ~ '@example\.(com|net)$') AS com_or_net,
	   count(*) FILTER (WHERE strpos(email, pg_temp.ascii_name(family)) > 0) AS emails_of_names,
	   count(*) FILTER (WHERE login !~ '_' AND strpos(login, pg_temp.ascii_name(family)) > 0)
		 AS logins_of_names,
	   count(DISTINCT email) AS emails
FROM clients;
SELECT (SELECT array_agg(ARRAY[r->>1, r->>2, r->>3, r->>4, r->>5] ORDER BY (r->>0)::int)
		FROM json_array_elements(:'doc'::json->'tables') t, json_array_elements(t->'rows') r)
	   = (SELECT array_agg(ARRAY[given::text, family, full_name, email::text, login::text]
						   ORDER BY client_id) FROM clients) AS snapshot_matches_in_place;
SELECT client_id, given, family, full_name, email, login FROM clients ORDER BY client_id LIMIT 4;

-- no candidate passes the check: the first is kept, and the domain refuses it
CREATE DOMAIN no_name AS text CHECK (VALUE = 'nobody');
CREATE TABLE nobodies (id int PRIMARY KEY, given no_name, email text);
INSERT INTO nobodies VALUES (1, 'nobody', 'om1@corp.example');
SELECT seedkit_flag('nobodies', c, s, '{"person": "n", "locale": "en_US"}')
FROM (VALUES ('given', 'first_name'), ('email', 'email')) v(c, s);
SELECT table_name, columns, rows FROM seedkit_anonymise('{nobodies}');

DROP SCHEMA anon_person_domains CASCADE;
