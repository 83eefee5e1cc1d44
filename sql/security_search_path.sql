-- security_search_path: a schema ahead of pg_catalog on the search_path,
-- shadowing the functions and operators seedkit's own SQL uses, changes
-- nothing: the same document, and not one call of a shadowing object.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
CREATE SCHEMA sp;
CREATE TABLE sp.authors (author_id bigserial PRIMARY KEY, name text NOT NULL);
CREATE TABLE sp.books (
	book_id		int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	title		text NOT NULL,
	author_id	bigint REFERENCES sp.authors,
	code		varchar(8) UNIQUE,
	added		timestamptz NOT NULL DEFAULT '2024-01-01 00:00+00'
);
CREATE TABLE sp.reviews (
	book_id		int REFERENCES sp.books,
	code		varchar(8) REFERENCES sp.books (code),
	stars		int,
	body		text
);
INSERT INTO sp.authors (name) SELECT 'author ' || g FROM generate_series(1, 5) g;
INSERT INTO sp.books (title, author_id, code)
SELECT 'book ' || g, 1 + g % 5, 'c' || g FROM generate_series(1, 10) g;
INSERT INTO sp.reviews SELECT 1 + g % 10, 'c' || (1 + g % 10), g % 6, 'review ' || g FROM generate_series(1, 20) g;
CREATE TABLE sp.docs (label text PRIMARY KEY, doc text, plan text, graph text);
INSERT INTO sp.docs
SELECT 'plain', seedkit_snapshot('sp.books', name => 'sp')::text,
	   (SELECT string_agg(p::text, E'\n' ORDER BY p::text) FROM seedkit_plan('sp.books') p),
	   seedkit_plan_graph('sp.books');

-- the shadowing schema: every call of one of its objects counts in evil.calls
CREATE SCHEMA evil;
CREATE SEQUENCE evil.calls;
CREATE FUNCTION evil.hit() RETURNS void LANGUAGE sql
	AS $$ SELECT pg_catalog.nextval('evil.calls'); $$;
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql
	AS $$ SELECT evil.hit(); SELECT timestamptz '1999-01-01'; $$;
CREATE FUNCTION evil.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 'evil'; $$;
CREATE FUNCTION evil.upper(text) RETURNS text LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 'EVIL'; $$;
CREATE FUNCTION evil.quote_ident(text) RETURNS text LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 'evil'; $$;
CREATE FUNCTION evil.format_type(oid, int) RETURNS text LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 'evil'; $$;
CREATE FUNCTION evil.to_json(anyelement) RETURNS json LANGUAGE sql AS $$ SELECT evil.hit(); SELECT '"evil"'::json; $$;
CREATE FUNCTION evil.array_to_json(anyarray) RETURNS json LANGUAGE sql AS $$ SELECT evil.hit(); SELECT '"evil"'::json; $$;
CREATE FUNCTION evil.pg_get_constraintdef(oid) RETURNS text LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 'evil'; $$;
CREATE FUNCTION evil.textout(text) RETURNS text LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 'evil'; $$;
CREATE FUNCTION evil.cnt_sfunc(bigint) RETURNS bigint LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 42::bigint; $$;
CREATE AGGREGATE evil.count(*) (sfunc = evil.cnt_sfunc, stype = bigint, initcond = '0');
CREATE FUNCTION evil.sfunc_any(bigint, anyelement) RETURNS bigint LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 42::bigint; $$;
CREATE AGGREGATE evil.count(anyelement) (sfunc = evil.sfunc_any, stype = bigint, initcond = '0');
CREATE AGGREGATE evil.max(anyelement) (sfunc = evil.sfunc_any, stype = bigint, initcond = '0');
-- operators: each one counts the call, then lies
DO $$
DECLARE
	t text;
	op text;
BEGIN
	FOREACH t IN ARRAY ARRAY['smallint', 'int', 'bigint', 'numeric', 'text', 'varchar',
							 'oid', 'name', 'boolean', 'regclass', 'timestamptz'] LOOP
		EXECUTE format('CREATE FUNCTION evil.lie(%s, %s) RETURNS boolean LANGUAGE sql '
					   'AS $f$ SELECT evil.hit(); SELECT true; $f$', t, t);
		FOREACH op IN ARRAY ARRAY['=', '<>', '<', '<=', '>', '>='] LOOP
			EXECUTE format('CREATE OPERATOR evil.%s (function = evil.lie, leftarg = %s, rightarg = %s)',
						   op, t, t);
		END LOOP;
	END LOOP;
END
$$;
CREATE FUNCTION evil.lie_ii(int, bigint) RETURNS boolean LANGUAGE sql AS $$ SELECT evil.hit(); SELECT true; $$;
CREATE FUNCTION evil.lie_ll(bigint, int) RETURNS boolean LANGUAGE sql AS $$ SELECT evil.hit(); SELECT true; $$;
CREATE OPERATOR evil.= (function = evil.lie_ii, leftarg = int, rightarg = bigint);
CREATE OPERATOR evil.= (function = evil.lie_ll, leftarg = bigint, rightarg = int);
CREATE FUNCTION evil.cat(text, text) RETURNS text LANGUAGE sql AS $$ SELECT evil.hit(); SELECT 'evil'; $$;
CREATE OPERATOR evil.|| (function = evil.cat, leftarg = text, rightarg = text);
-- the shadows work: ordinary SQL on this path does call them
SET search_path = evil, pg_catalog, public;
SELECT 1 = 2 AS "1 = 2 under evil", lower('X') AS "lower('X')";
SELECT last_value AS calls_so_far FROM evil.calls;
ALTER SEQUENCE evil.calls RESTART;
SELECT nextval('evil.calls') AS restarted;
ALTER SEQUENCE evil.calls RESTART;

-- the same calls under the hostile path (statements without operators of their own)
INSERT INTO sp.docs
SELECT 'evil', seedkit_snapshot('sp.books', name => 'sp')::text,
	   (SELECT string_agg(p::text, E'\n' ORDER BY p::text) FROM seedkit_plan('sp.books') p),
	   seedkit_plan_graph('sp.books');
CREATE TABLE sp.lines AS
SELECT string_agg(l, E'\n') AS doc FROM seedkit_snapshot_lines('sp.books', name => 'sp') l;
-- not one shadowing object was called
SELECT is_called AS any_shadow_called FROM evil.calls;
RESET search_path;
SELECT e.doc = p.doc AS same_document, e.plan = p.plan AS same_plan, e.graph = p.graph AS same_graph,
	   (SELECT doc FROM sp.lines) = p.doc AS same_lines
  FROM sp.docs p, sp.docs e WHERE p.label = 'plain' AND e.label = 'evil';
SELECT d.doc = s.document::text AS stored_same, s.taken_at > '2000-01-01' AS real_now
  FROM sp.docs d, seedkit.snapshots s
 WHERE d.label = 'plain' AND s.name = 'sp' AND s.owner = CURRENT_USER::regrole;
DELETE FROM seedkit.snapshots WHERE name = 'sp';
DROP SCHEMA evil CASCADE;
DROP SCHEMA sp CASCADE;
