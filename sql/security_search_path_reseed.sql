-- security_search_path_reseed: seedkit_reseed under a schema that shadows
-- pg_catalog's operators gives the same result and calls none of them.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
-- without the fix this can run for minutes: fail instead of hanging the suite
SET statement_timeout = '60s';
CREATE SCHEMA rsp;
CREATE TABLE rsp.t (id serial PRIMARY KEY, v bigint GENERATED ALWAYS AS IDENTITY);
INSERT INTO rsp.t (id) OVERRIDING SYSTEM VALUE VALUES (5), (7);
CREATE SCHEMA evil;
CREATE SEQUENCE evil.calls;
CREATE FUNCTION evil.hit() RETURNS void LANGUAGE sql AS $$ SELECT pg_catalog.nextval('evil.calls'); $$;
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
CREATE FUNCTION evil.nomatch(name, text) RETURNS boolean LANGUAGE sql AS $$ SELECT evil.hit(); SELECT true; $$;
CREATE OPERATOR evil.!~ (function = evil.nomatch, leftarg = name, rightarg = text);
CREATE TABLE rsp.result (label text, seq text, last_value bigint);
SET search_path = evil, pg_catalog, public;
INSERT INTO rsp.result SELECT 'listed', r.sequence::text, r.last_value FROM seedkit_reseed('{rsp.t}') r;
INSERT INTO rsp.result SELECT 'all', r.sequence::text, r.last_value FROM seedkit_reseed() r;
SELECT is_called AS any_shadow_called FROM evil.calls;
SHOW search_path;
RESET search_path;
SELECT label, seq, last_value FROM rsp.result WHERE seq LIKE 'rsp.%' ORDER BY 1, 2;
RESET statement_timeout;
DROP SCHEMA evil CASCADE;
DROP SCHEMA rsp CASCADE;
