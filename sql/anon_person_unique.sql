-- issue 13, item 2: a person field under a UNIQUE index gets unique fakes
-- (collision rounds of its own), the row staying one person: a colliding
-- email or username keeps the row's names and takes another number
CREATE SCHEMA anon_person_unique;
SET search_path = anon_person_unique, public;
SET seedkit.seed = 'regress-person-unique-1';
-- more rows than the locale has surnames: last names must collide
CREATE TABLE members (
	member_id int PRIMARY KEY,
	email text,
	given text,
	family text UNIQUE,
	login text UNIQUE
);
INSERT INTO members
SELECT g, 'origmail' || g || '@corp.example', 'Origgiven' || g, 'Origfamily' || g, 'origlogin' || g
FROM generate_series(1, 300) g;
SELECT seedkit_flag('members', c, s, '{"person": "m", "locale": "en_US"}')
FROM (VALUES ('email', 'email'), ('given', 'first_name'), ('family', 'last_name'),
			 ('login', 'username')) v(c, s);
SELECT table_name, columns, rows FROM seedkit_anonymise('{members}');
SELECT count(*) AS rows, count(DISTINCT family) AS families, count(DISTINCT login) AS logins,
	   count(*) FILTER (WHERE family LIKE 'Origfamily%' OR login LIKE 'origlogin%') AS originals
FROM members;

-- a unique email and username whose identity is another column: in a
-- locale of few names (tr_TR), thousands of people give some the same
-- address; those take another number, keeping the row's names
CREATE TABLE accounts (
	account_id int PRIMARY KEY,
	ref text,
	given text,
	family text,
	email text UNIQUE,
	login text UNIQUE
);
INSERT INTO accounts
SELECT g, 'origref' || g, 'Origgiven' || g, 'Origfamily' || g,
	   'origmail' || g || '@corp.example', 'origlogin' || g
FROM generate_series(1, 3000) g;
SELECT seedkit_flag('accounts', c, s, '{"person": "a", "locale": "tr_TR"}')
FROM (VALUES ('given', 'first_name'), ('family', 'last_name'), ('email', 'email'),
			 ('login', 'username')) v(c, s);
SELECT seedkit_flag('accounts', 'ref', 'full_name', '{"person": "a", "locale": "tr_TR", "identity": true}');
-- the snapshot, taken before the in-place run, resolves the same collisions
SELECT seedkit_snapshot('accounts')::text AS doc \gset
SELECT table_name, columns, rows FROM seedkit_anonymise('{accounts}');
SELECT (SELECT array_agg(ARRAY[r->>1, r->>2, r->>3, r->>4, r->>5] ORDER BY (r->>0)::int)
		FROM json_array_elements(:'doc'::json->'tables') t, json_array_elements(t->'rows') r)
	   = (SELECT array_agg(ARRAY[ref, given, family, email, login] ORDER BY account_id) FROM accounts)
	   AS snapshot_matches_in_place;
CREATE FUNCTION pg_temp.ascii_name(t text) RETURNS text LANGUAGE sql AS
$$ SELECT lower(replace(translate(split_part(t, ' ', 1), 'ÇĞİÖŞÜçğıöşü', 'CGIOSUcgiosu'), 'ß', 'ss')) $$;
SELECT count(*) AS rows, count(DISTINCT email) AS emails, count(DISTINCT login) AS logins,
	   count(*) FILTER (WHERE strpos(split_part(email, '@', 1), pg_temp.ascii_name(family)) > 0
						AND strpos(login, pg_temp.ascii_name(family)) > 0) AS built_from_names,
	   count(*) FILTER (WHERE ref = given || ' ' || family) AS full_name_agrees,
	   count(*) FILTER (WHERE substring(email from '([0-9]+)@')::int >= 1000) AS emails_renumbered,
	   count(*) FILTER (WHERE substring(login from '[0-9]+$')::int >= 1000) AS logins_renumbered
FROM accounts;
-- a sample of renumbered rows: the same names, a number above 999
SELECT ref, given, family, email, login FROM accounts
WHERE substring(email from '([0-9]+)@')::int >= 1000 OR substring(login from '[0-9]+$')::int >= 1000
ORDER BY account_id LIMIT 4;

-- the identity itself unique in a table with a gender column (its input is
-- then the identity and the gender), in place and through the UPDATE of
-- triggers => true
CREATE TABLE users (
	user_id int PRIMARY KEY,
	email text UNIQUE,
	login text UNIQUE,
	sex text
);
INSERT INTO users
SELECT g, 'origmail' || g || '@corp.example', 'origlogin' || g, CASE g % 3 WHEN 0 THEN 'F' WHEN 1 THEN 'M' END
FROM generate_series(1, 3000) g;
CREATE TABLE users2 (LIKE users INCLUDING ALL);
INSERT INTO users2 SELECT * FROM users;
SELECT seedkit_flag(t, c, s, '{"person": "u", "locale": "tr_TR"}')
FROM (VALUES ('email', 'email'), ('login', 'username')) v(c, s), unnest('{users,users2}'::regclass[]) t;
SELECT table_name, columns, rows FROM seedkit_anonymise('{users}');
SELECT table_name, columns, rows FROM seedkit_anonymise('{users2}', triggers => true);
SELECT count(*) AS rows, count(DISTINCT email) AS emails, count(DISTINCT login) AS logins,
	   count(*) FILTER (WHERE substring(email from '([0-9]+)@')::int >= 1000) AS emails_renumbered,
	   count(*) FILTER (WHERE substring(email from '[0-9]+@') = substring(login from '[0-9]+$') || '@')
		 AS same_number,
	   (SELECT count(*) FROM users u JOIN users2 u2 USING (user_id, email, login)) AS same_as_update
FROM users;

-- fields in short columns are chosen to fit, not cut: the person is the
-- first candidate of its stream whose limited fields all fit, so the
-- unlimited full name still agrees with the short first and last names
CREATE TABLE shorts (
	short_id int PRIMARY KEY,
	first_name varchar(6),
	last_name varchar(8),
	full_name text,
	email varchar(26),
	login varchar(14)
);
INSERT INTO shorts
SELECT g, 'Og' || g, 'Of' || g, 'Origfull' || g, 'om' || g || '@corp.example', 'ol' || g
FROM generate_series(1, 200) g;
SELECT seedkit_flag('shorts', c, s, '{"person": "s", "locale": "de_DE"}')
FROM (VALUES ('first_name', 'first_name'), ('last_name', 'last_name'), ('full_name', 'full_name'),
			 ('email', 'email'), ('login', 'username')) v(c, s);
SELECT seedkit_snapshot('shorts')::text AS sdoc \gset
SELECT table_name, columns, rows FROM seedkit_anonymise('{shorts}');
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE full_name = first_name || ' ' || last_name) AS whole_names,
	   max(length(first_name)) AS longest_first, max(length(last_name)) AS longest_last,
	   max(length(email)) AS longest_email, max(length(login)) AS longest_login,
	   count(*) FILTER (WHERE email LIKE '%@example.___') AS whole_emails
FROM shorts;
SELECT (SELECT array_agg(ARRAY[r->>1, r->>2, r->>3, r->>4, r->>5] ORDER BY (r->>0)::int)
		FROM json_array_elements(:'sdoc'::json->'tables') t, json_array_elements(t->'rows') r)
	   = (SELECT array_agg(ARRAY[first_name::text, last_name::text, full_name, email::text, login::text]
						   ORDER BY short_id) FROM shorts) AS snapshot_matches_in_place;
SELECT short_id, first_name, last_name, full_name, email, login FROM shorts ORDER BY short_id LIMIT 4;
-- seedkit sets option person_fit itself
SELECT seedkit_flag('shorts', 'first_name', 'first_name', '{"person": "s", "person_fit": "first_name=3"}');
-- no candidate fits: cut, with a NOTICE counting them
CREATE TABLE tiny (id int PRIMARY KEY, first_name varchar(2), email text);
INSERT INTO tiny SELECT g, 'x', 'om' || g FROM generate_series(1, 5) g;
SELECT seedkit_flag('tiny', c, s, '{"person": "t", "locale": "de_DE"}')
FROM (VALUES ('first_name', 'first_name'), ('email', 'email')) v(c, s);
SELECT table_name, columns, rows FROM seedkit_anonymise('{tiny}');
SELECT count(*) AS rows, max(length(first_name)) AS longest FROM tiny;

DROP SCHEMA anon_person_unique CASCADE;
