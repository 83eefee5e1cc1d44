-- issue 13, item 2: rows of one person identity under a UNIQUE person field.
-- The collision rounds of a unique field are keyed by the row's identity and
-- by its own value, so that two rows of one identity (whatever their
-- genders) still get unique values: the colliding one takes another number,
-- keeping the row's names.
CREATE SCHEMA anon_person_rounds;
SET search_path = anon_person_rounds, public;
SET seedkit.seed = 'regress-person-gender-1';

-- one identity, two genders: the names differ, but the email keeps only the
-- given name's initial here, so both rows draw the same address (rows 1 and
-- 2, and 3 and 4: "female" and "male" state the same genders as F and M)
CREATE TABLE people (
	id int PRIMARY KEY,
	ref text,
	sex text,
	email text UNIQUE
);
INSERT INTO people VALUES
	(1, 'origref233', 'F', 'origmail1@corp.example'),
	(2, 'origref233', 'M', 'origmail2@corp.example'),
	(3, 'origref410', 'female', 'origmail3@corp.example'),
	(4, 'origref410', 'male', 'origmail4@corp.example'),
	(5, 'origref1', NULL, 'origmail5@corp.example');
SELECT seedkit_flag('people', 'email', 'email', '{"person": "p", "locale": "en_US"}');
SELECT seedkit_flag('people', 'ref', 'full_name', '{"person": "p", "locale": "en_US", "identity": true}');
-- the first fakes, before any collision round: rows 1 and 2 (3 and 4) collide
SELECT id, seedkit_fake('email', ref || chr(31) || sex, '{"person": "p", "locale": "en_US"}') AS first_fake
FROM people WHERE sex IS NOT NULL ORDER BY id;
SELECT seedkit_snapshot('people')::text AS doc \gset
SELECT table_name, columns, rows FROM seedkit_anonymise('{people}');
SELECT id, sex, ref, email FROM people ORDER BY id;
SELECT (SELECT array_agg(ARRAY[r->>1, r->>3] ORDER BY (r->>0)::int)
		FROM json_array_elements(:'doc'::json->'tables') t, json_array_elements(t->'rows') r)
	   = (SELECT array_agg(ARRAY[ref, email] ORDER BY id) FROM people) AS snapshot_matches_in_place;

-- one identity shared by several rows, no gender column: the identity (a
-- household) is not unique, the email and username are
CREATE TABLE members (
	member_id int PRIMARY KEY,
	household text,
	email text UNIQUE,
	login varchar(30) UNIQUE
);
INSERT INTO members
SELECT g, 'orighouse' || (g % 4), 'origmail' || g || '@corp.example', 'origlogin' || g
FROM generate_series(1, 12) g;
CREATE TABLE members2 (LIKE members INCLUDING ALL);
INSERT INTO members2 SELECT * FROM members;
SELECT seedkit_flag(t, c, s, '{"person": "h", "locale": "en_US"}')
FROM (VALUES ('email', 'email'), ('login', 'username')) v(c, s), unnest('{members,members2}'::regclass[]) t;
SELECT seedkit_flag(t, 'household', 'last_name', '{"person": "h", "locale": "en_US", "identity": true}')
FROM unnest('{members,members2}'::regclass[]) t;
SELECT seedkit_snapshot('members')::text AS mdoc \gset
SELECT table_name, columns, rows FROM seedkit_anonymise('{members}');
SELECT table_name, columns, rows FROM seedkit_anonymise('{members2}', triggers => true);
-- every row of a household: the same family name, the same email and
-- username but for the number (1000 more for each further row; each unique
-- field numbers its own collisions, so a row's two numbers may differ)
SELECT member_id, household, email, login FROM members ORDER BY household, member_id;
SELECT count(*) AS rows, count(DISTINCT email) AS emails, count(DISTINCT login) AS logins,
	   count(*) FILTER (WHERE strpos(email, lower(household)) > 0 AND strpos(login, lower(household)) > 0)
		 AS built_from_names,
	   (SELECT count(*) FROM members m JOIN members2 m2 USING (member_id, household, email, login))
		 AS same_as_update
FROM members;
SELECT (SELECT array_agg(ARRAY[r->>1, r->>2, r->>3] ORDER BY (r->>0)::int)
		FROM json_array_elements(:'mdoc'::json->'tables') t, json_array_elements(t->'rows') r)
	   = (SELECT array_agg(ARRAY[household, email, login::text] ORDER BY member_id) FROM members)
	   AS snapshot_matches_in_place;

DROP SCHEMA anon_person_rounds CASCADE;
