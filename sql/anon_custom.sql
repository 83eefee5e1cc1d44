-- issue 13, section 4: the user's own strategies.  "function" calls a SQL
-- function of the original and per-value key material; "pick" chooses
-- among the values of a column of the user's table.  In place, in
-- snapshots, with unique columns; checked when flagged
CREATE SCHEMA anon_custom;
SET search_path = anon_custom, public;
SET seedkit.seed = 'regress-custom';

-- a keyed mask: keeps the last 4 digits, the rest from the key
CREATE FUNCTION anon_custom.mask_ssn(v text, key bytea) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT lpad((('x' || pg_catalog.encode(pg_catalog.substr(key, 1, 4), 'hex'))::bit(32)::int8 % 100000)::text, 5, '0')
		   || '-' || pg_catalog.right(v, 4)
$$;
CREATE FUNCTION anon_custom.bump(v int, key bytea) RETURNS int
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT v + 1000 + pg_catalog.get_byte(key, 0) $$;
CREATE TABLE product_names (name text);
INSERT INTO product_names VALUES ('Anvil'), ('Rocket skates'), ('Giant magnet'), ('Bird seed'), ('Anvil'), (NULL);
CREATE TABLE codes (code text);
INSERT INTO codes SELECT 'CODE-' || g FROM generate_series(1, 40) g;

SELECT seedkit_fake('function', '123-45-6789'::text, '{"function": "anon_custom.mask_ssn"}') AS ssn,
	   seedkit_fake('function', '123-45-6789'::text, '{"function": "anon_custom.mask_ssn"}') =
	   seedkit_fake('function', '123-45-6789'::text, '{"function": "anon_custom.mask_ssn"}') AS deterministic,
	   seedkit_fake('function', 7, '{"function": "anon_custom.bump"}') > 1000 AS int_function;
SELECT v, seedkit_fake('pick', v, '{"list": "anon_custom.product_names", "column": "name"}') AS picked
FROM unnest(ARRAY['Widget', 'Gadget', 'Gizmo', 'Thing']) AS v ORDER BY v;
-- another seed, other key material
SET seedkit.seed = 'regress-custom-2';
SELECT seedkit_fake('function', '123-45-6789'::text, '{"function": "anon_custom.mask_ssn"}') AS other_seed;
SET seedkit.seed = 'regress-custom';

-- in place, with a unique column: the rounds give the function other key
-- material, and pick other values
CREATE TABLE people (id int PRIMARY KEY, ssn text UNIQUE, fav text, code varchar(20) UNIQUE);
INSERT INTO people SELECT g, '900-00-' || lpad((g % 3)::text, 4, '0') || g, 'item' || g, 'c' || g FROM generate_series(1, 12) g;
SELECT seedkit_flag('people', 'ssn', 'function', '{"function": "anon_custom.mask_ssn"}');
SELECT seedkit_flag('people', 'fav', 'pick', '{"list": "anon_custom.product_names", "column": "name"}');
SELECT seedkit_flag('people', 'code', 'pick', '{"list": "anon_custom.codes", "column": "code"}');
SELECT table_name, rows FROM seedkit_anonymise('{people}');
SELECT count(DISTINCT ssn) AS distinct_ssn, count(*) FILTER (WHERE ssn ~ '^[0-9]{5}-[0-9]{4}$') AS shaped,
	   count(*) FILTER (WHERE fav IN ('Anvil', 'Rocket skates', 'Giant magnet', 'Bird seed')) AS picked,
	   count(DISTINCT code) AS distinct_codes
FROM people;
-- pick on a unique column with more rows than the list has values
SELECT seedkit_flag('people', 'code', 'pick', '{"list": "anon_custom.product_names", "column": "name"}');
SELECT table_name, rows FROM seedkit_anonymise('{people}');
-- in a snapshot: the same fakes as in place for the same originals
CREATE TABLE people2 (id int PRIMARY KEY, ssn text);
INSERT INTO people2 VALUES (1, '123-45-6789');
SELECT seedkit_flag('people2', 'ssn', 'function', '{"function": "anon_custom.mask_ssn"}');
SELECT (seedkit_snapshot('people2')::json->'tables'->0->'rows'->0->>1) =
	   seedkit_fake('function', '123-45-6789'::text, '{"function": "anon_custom.mask_ssn"}') AS snapshot_matches;

-- text types reach the function as text (char(n) without its padding);
-- the result is fitted to the column's length
CREATE FUNCTION anon_custom.shout(v text, key bytea) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT pg_catalog.upper(v) || '!' $$;
SELECT quote_literal(seedkit_fake('function', 'ab'::char(4), '{"function": "anon_custom.shout"}')) AS char4,
	   seedkit_fake('function', 'abcd'::varchar(4), '{"function": "anon_custom.shout"}') AS varchar4;

-- checked at flag time
CREATE FUNCTION anon_custom.volatile_mask(v text, key bytea) RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT 'x' $$;
CREATE FUNCTION anon_custom.definer_mask(v text, key bytea) RETURNS text LANGUAGE sql IMMUTABLE SECURITY DEFINER AS $$ SELECT 'x' $$;
CREATE FUNCTION anon_custom.int_mask(v text, key bytea) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT 1 $$;
CREATE FUNCTION anon_custom.null_mask(v text, key bytea) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT NULL::text $$;
CREATE FUNCTION anon_custom.sneaky(v text, key bytea) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	PERFORM pg_catalog.set_config('role', 'regress_custom_other', true);
	RETURN 'x';
END $$;
CREATE FUNCTION anon_custom.path(v text, key bytea) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT pg_catalog.current_setting('search_path')
$$;
\set VERBOSITY sqlstate
SELECT seedkit_flag('people2', 'ssn', 'function', '{"function": "mask_ssn"}');
SELECT seedkit_flag('people2', 'ssn', 'function', '{"function": "anon_custom.nope"}');
SELECT seedkit_flag('people2', 'ssn', 'function', '{"function": "anon_custom.volatile_mask"}');
SELECT seedkit_flag('people2', 'ssn', 'function', '{"function": "anon_custom.definer_mask"}');
SELECT seedkit_flag('people2', 'ssn', 'function', '{"function": "anon_custom.int_mask"}');
SELECT seedkit_flag('people2', 'ssn', 'function', '{}');
SELECT seedkit_flag('people2', 'id', 'function', '{"function": "anon_custom.mask_ssn"}');
SELECT seedkit_flag('people2', 'ssn', 'pick', '{"list": "anon_custom.nope", "column": "name"}');
SELECT seedkit_flag('people2', 'ssn', 'pick', '{"list": "anon_custom.product_names", "column": "nope"}');
SELECT seedkit_flag('people2', 'ssn', 'pick', '{"list": "anon_custom.product_names"}');
\set VERBOSITY default
SELECT seedkit_flag('people2', 'ssn', 'function', '{"function": "anon_custom.volatile_mask"}');
SELECT seedkit_fake('function', 'a'::text, '{"function": "anon_custom.null_mask"}');
-- it runs security-restricted, as index expressions do, under a pinned search_path
CREATE ROLE regress_custom_other;
SELECT seedkit_fake('function', 'a'::text, '{"function": "anon_custom.sneaky"}');
SELECT seedkit_fake('function', 'a'::text, '{"function": "anon_custom.path"}') AS search_path, current_user;
-- owned by another role
ALTER FUNCTION anon_custom.bump(int, bytea) OWNER TO regress_custom_other;
SELECT seedkit_fake('function', 7, '{"function": "anon_custom.bump"}');
-- an empty list
TRUNCATE product_names;
SELECT seedkit_fake('pick', 'x'::text, '{"list": "anon_custom.product_names", "column": "name"}');

DROP SCHEMA anon_custom CASCADE;
DROP ROLE regress_custom_other;
