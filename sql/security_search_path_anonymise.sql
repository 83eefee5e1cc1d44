-- security_search_path_anonymise: seedkit_flag, seedkit_unflag, seedkit_fake
-- and seedkit_anonymise under a schema that shadows pg_catalog's functions
-- and operators do what they do without it, and call none of them.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
-- without the fix this can run for minutes: fail instead of hanging the suite
SET statement_timeout = '60s';
SET seedkit.seed = 'search path test';
CREATE SCHEMA asp;
CREATE TABLE asp.people (id int PRIMARY KEY, first_name text, email text UNIQUE, other text);
INSERT INTO asp.people VALUES (1, 'Alice', 'alice@example.org', 'x'), (2, 'Bob', 'bob@example.org', 'y');
CREATE TABLE asp.other (id int PRIMARY KEY, first_name text);
INSERT INTO asp.other VALUES (1, 'Carol');
SELECT seedkit_flag('asp.other', 'first_name', 'first_name');
CREATE TABLE asp.expected AS
SELECT id, seedkit_fake('first_name', first_name) AS first_name, seedkit_fake('email', email) AS email, other
  FROM asp.people;
CREATE SCHEMA evil;
CREATE SEQUENCE evil.calls;
CREATE FUNCTION evil.hit() RETURNS void LANGUAGE sql AS $$ SELECT pg_catalog.nextval('evil.calls'); $$;
CREATE FUNCTION evil.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 'evil'; $$;
CREATE FUNCTION evil.upper(text) RETURNS text LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 'EVIL'; $$;
CREATE FUNCTION evil.md5(text) RETURNS text LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 'evil'; $$;
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT evil.hit(); SELECT timestamptz '1999-01-01'; $$;
CREATE FUNCTION evil.pg_has_role(oid, text) RETURNS boolean LANGUAGE sql AS $$ SELECT evil.hit(); SELECT true; $$;
DO $$
DECLARE
	t text;
	op text;
BEGIN
	FOREACH t IN ARRAY ARRAY['int', 'smallint', 'bigint', 'text', 'oid', 'name', 'char', 'boolean', 'regclass'] LOOP
		EXECUTE format('CREATE FUNCTION evil.lie(%s, %s) RETURNS boolean LANGUAGE sql '
					   'AS $f$ SELECT evil.hit(); SELECT true; $f$', t, t);
		FOREACH op IN ARRAY ARRAY['=', '<>', '<', '<=', '>', '>='] LOOP
			EXECUTE format('CREATE OPERATOR evil.%s (function = evil.lie, leftarg = %s, rightarg = %s)',
						   op, t, t);
		END LOOP;
	END LOOP;
END
$$;
CREATE TABLE asp.fakes (id int, first_name text, email text);
SET search_path = evil, pg_catalog, public;
SELECT seedkit_flag('asp.people', 'first_name', 'first_name');
SELECT seedkit_flag('asp.people', 'email', 'email');
SELECT seedkit_flag('asp.people', 'other', 'value', '{"value": "z"}');
SELECT seedkit_unflag('asp.people', 'other');
INSERT INTO asp.fakes SELECT id, seedkit_fake('first_name', first_name), seedkit_fake('email', email) FROM asp.people;
CREATE TABLE asp.report AS SELECT * FROM seedkit_anonymise('{asp.people}');
SELECT is_called AS any_shadow_called FROM evil.calls;
SHOW search_path;
RESET search_path;
-- the flags are those asked for, and only those
SELECT "table", "column", strategy FROM seedkit.flags WHERE "table"::text LIKE 'asp.%' ORDER BY 1, 2;
SELECT table_name, columns, rows FROM asp.report;
SELECT (SELECT count(*) FROM asp.people p JOIN asp.expected e USING (id)
		 WHERE (p.first_name, p.email, p.other) = (e.first_name, e.email, e.other)) AS in_place_as_expected,
	   (SELECT count(*) FROM asp.fakes f JOIN asp.expected e USING (id)
		 WHERE (f.first_name, f.email) = (e.first_name, e.email)) AS fakes_as_expected,
	   (SELECT first_name FROM asp.other) = 'Carol' AS other_table_untouched;
SELECT seedkit_unflag('asp.people', 'first_name'), seedkit_unflag('asp.people', 'email'),
	   seedkit_unflag('asp.other', 'first_name');
RESET seedkit.seed;
RESET statement_timeout;
DROP SCHEMA evil CASCADE;
DROP SCHEMA asp CASCADE;
