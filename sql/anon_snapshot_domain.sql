-- a flagged column of a domain type: the snapshot chooses fakes the domain's
-- CHECK constraints accept, the same ones seedkit_anonymise writes in place
CREATE SCHEMA anon_snapshot_domain;
SET search_path = anon_snapshot_domain, public;
SET seedkit.seed = 'regress-seed-domain';
CREATE DOMAIN short_name AS text CHECK (length(VALUE) <= 4);
CREATE DOMAIN family_name AS varchar(6);
CREATE TABLE people (id int PRIMARY KEY, given short_name, family family_name);
INSERT INTO people SELECT g, 'g' || g, 'f' || g FROM generate_series(1, 20) g;
SELECT seedkit_flag('people', 'given', 'first_name');
SELECT seedkit_flag('people', 'family', 'last_name');
CREATE TEMP TABLE snap AS
	SELECT (r->>0)::int AS id, r->>1 AS given, r->>2 AS family
	FROM json_array_elements(seedkit_snapshot('people', reset_keys => false)->'tables'->0->'rows') r;
-- every fake in the document passes the domains (the old code wrote names up to 9 characters)
SELECT count(*) AS rows, max(length(given)) <= 4 AS given_fits, max(length(family)) <= 6 AS family_fits
FROM snap;
SELECT * FROM snap ORDER BY id LIMIT 5;
SELECT seedkit_anonymise('{people}');
-- in place gives the same values, row by row
SELECT count(*) AS differ
FROM people p JOIN snap s USING (id)
WHERE p.given::text IS DISTINCT FROM s.given OR p.family::text IS DISTINCT FROM s.family;
RESET seedkit.seed;
DROP SCHEMA anon_snapshot_domain CASCADE;
