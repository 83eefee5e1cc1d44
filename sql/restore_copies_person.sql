-- issue 13, item 2: restore's copies => N on a table with a person group:
-- every copy's row is still one person (its email and username made of its
-- own names, its gender followed), and the copies differ
\set SHOW_CONTEXT never
SET seedkit.seed = 'regress-copies-person-1';
CREATE SCHEMA cpp;
CREATE TABLE cpp.customers (
	customer_id serial PRIMARY KEY,
	given text,
	family varchar(12),
	email text UNIQUE,
	login text UNIQUE,
	sex text,
	household text
);
INSERT INTO cpp.customers (given, family, email, login, sex, household)
SELECT 'Origgiven' || g, 'Origfam' || g, 'origmail' || g || '@corp.example', 'origlogin' || g,
	   CASE g % 3 WHEN 0 THEN 'F' WHEN 1 THEN 'M' END, 'orighouse' || (g % 5)
FROM generate_series(1, 20) g;
SELECT seedkit_flag('cpp.customers', c, s, '{"person": "c", "locale": "en_US"}')
FROM (VALUES ('given', 'first_name'), ('family', 'last_name'), ('email', 'email'),
			 ('login', 'username')) v(c, s);
-- the household is the identity: several rows share one
SELECT seedkit_flag('cpp.customers', 'household', 'full_name',
					'{"person": "c", "locale": "en_US", "identity": true}');
CREATE TABLE cpp.docs AS SELECT seedkit_snapshot('cpp.customers') AS doc;
TRUNCATE cpp.customers RESTART IDENTITY;
SELECT * FROM seedkit_restore((SELECT doc FROM cpp.docs), copies => 3);

-- which copy a row is of: the document's 20 rows, then 20 for each copy.
-- Every row of every copy is one person: the identity (a full name) is
-- the given and family names, the email and username are made of them; an
-- address or user name that collides (rows of one household and gender are
-- one person) takes another number
CREATE FUNCTION pg_temp.ascii_name(t text) RETURNS text LANGUAGE sql AS
$$ SELECT lower(translate(split_part(t, ' ', 1), '''-', '')) $$;
SELECT (customer_id - 1) / 20 + 1 AS copy, count(*) AS rows,
	   count(*) FILTER (WHERE household = given || ' ' || family) AS whole_names,
	   count(*) FILTER (WHERE strpos(split_part(email, '@', 1), pg_temp.ascii_name(family)) > 0
						AND strpos(login, pg_temp.ascii_name(family)) > 0) AS built_from_names,
	   count(*) FILTER (WHERE substring(email from '([0-9]+)@')::int >= 1000) AS renumbered,
	   count(DISTINCT household) AS households, max(length(family)) AS longest_family
FROM cpp.customers GROUP BY 1 ORDER BY 1;
SELECT count(*) AS rows, count(DISTINCT email) AS emails, count(DISTINCT login) AS logins,
	   count(DISTINCT given || ' ' || family) AS names
FROM cpp.customers;
-- two rows of one household in each copy: each one person, following the
-- row's gender (the document's households differ by gender, so in the
-- copies the two are other people)
SELECT (customer_id - 1) / 20 + 1 AS copy, customer_id, sex, household, given, family, email, login
FROM cpp.customers WHERE (customer_id - 1) % 20 IN (0, 5) ORDER BY customer_id;

DROP SCHEMA cpp CASCADE;
