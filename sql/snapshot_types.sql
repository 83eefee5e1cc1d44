-- snapshot_types: every built-in type through the document text.  Integers
-- and booleans are JSON numbers and literals, json and jsonb nested values,
-- everything else the type's text output under pinned settings.  Each
-- table is then read back from its document (json_populate_record) and
-- compared with the original rows: the values survive exactly.
CREATE SCHEMA snap_types;
SET search_path = snap_types, public;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE DOMAIN short_text AS text CHECK (length(VALUE) < 100);
CREATE DOMAIN jdoc AS jsonb;
CREATE TYPE pair AS (x int, y text);
CREATE TABLE ints (id int PRIMARY KEY, i2 int2, i4 int4, i8 int8, d posint, b bool);
INSERT INTO ints VALUES
  (1, -32768, -2147483648, -9223372036854775808, 1, true),
  (2, 32767, 2147483647, 9223372036854775807, 2147483647, false),
  (3, 0, 0, 0, NULL, NULL),
  (4, NULL, NULL, 9007199254740993, NULL, NULL);
CREATE TABLE nums (id int PRIMARY KEY, n numeric, n2 numeric(30,10), f4 float4, f8 float8, m money);
INSERT INTO nums VALUES
  (1, 123456789012345678901234567890.123456789012345678901234567890, 12345678901234567890.0123456789, 'NaN', 'NaN', 1234.56),
  (2, 'NaN', 0, 'Infinity', 'Infinity', -0.01),
  (3, '-0.000000000000000000000000000001', -1.5, '-Infinity', '-Infinity', 0),
  (4, 1e-60, NULL, '-0', '-0', '92233720368547758.07'),
  (5, 0.1, NULL, 0.1, 0.1, NULL),
  (6, 'Infinity', NULL, 3.4028235e38, 1.7976931348623157e308, NULL),
  (7, '-Infinity', NULL, 1.4e-45, 5e-324, NULL);
CREATE TABLE texts (id int PRIMARY KEY, t text, c char(4), vc varchar(8), dt short_text, "n" name);
INSERT INTO texts VALUES
  (1, E'line1\nline2\ttab\r\u0001\u001f "q" \\ back/slash', 'ab', 'abc ', 'dom', 'nm'),
  (2, '', '', '', '', ''),
  (3, 'null', 'null', 'NULL', 'null', 'null'),
  (4, NULL, NULL, NULL, NULL, NULL),
  (5, E'\u00e9\u4e2d\U0001F600 \b \f \u007f \u2028 \u00a0', 'ä', 'ü', 'ö', 'ß'),
  (6, E'{"not": "json"}', '[]', '\x41', 'true', '1');
CREATE TABLE bins (id int PRIMARY KEY, b bytea, ai int[], at text[], a2 float8[], e mood, ea mood[], p pair, bits bit varying(8), x xml);
INSERT INTO bins VALUES
  (1, '\x00ff10', '{{1,2},{3,NULL}}', '[0:1]={a,NULL}', '{NaN,-0,Infinity}', 'happy', '{sad,happy}', '(1,"a b")', B'101', '<a>x</a>'),
  (2, '\x', '{}', '{NULL,"",null,"NULL"}', '{}', 'sad', '{}', '(,)', B'', ''),
  (3, NULL, '[-2:-1][3:4]={{1,2},{3,4}}', '{"a\"b","c\\d","e,f","{g}"," h "}', NULL, NULL, NULL, '(0,"")', NULL, NULL),
  (4, E'\\x5c00', NULL, '{{NULL}}', NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE jsons (id int PRIMARY KEY, j json, jb jsonb, jd jdoc);
INSERT INTO jsons VALUES
  (1, '{"b": 1, "a": 2, "b": 3}', '{"b": 1, "a": [1, 2.50, 1e2]}', '{"k": "v"}'),
  (2, '[]', '{}', '[]'),
  (3, E'{"a":\n 1,\t"s": "x\\ny"}', E'{"a":\n 1}', '0'),
  (4, '"null"', '"null"', '"a\u00e9\\u0001"'),
  (5, NULL, NULL, NULL),
  (6, '12345678901234567890.5', '12345678901234567890.5', 'true'),
  (7, '[null]', '{"n": null}', '[{}]');
CREATE TABLE times (id int PRIMARY KEY, d date, ts timestamp, tz timestamptz, t time, ttz timetz, iv interval,
  r int4range, nr numrange, tr tstzrange, dr daterange, u uuid, ip inet, net cidr, mac macaddr);
INSERT INTO times VALUES
  (1, '2024-02-29', '2024-02-29 23:59:59.999999', '2024-03-10 12:00:00+05:30', '24:00', '12:00+05:30',
   '1 year 2 mons 3 days 04:05:06.789', '[1,10)', '(,1.5]', '[2024-01-01 00:00+00,2024-06-01 00:00+02)', 'empty',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.1.1/24', '10.0.0.0/8', '08:00:2b:01:02:03'),
  (2, 'infinity', 'infinity', 'infinity', '00:00', '00:00-14', '-1 days +00:00:01', 'empty', '[NaN,NaN]', '(,)', '[-infinity,infinity)',
   '00000000-0000-0000-0000-000000000000', '::1', '::/0', '00:00:00:00:00:00'),
  (3, '-infinity', '-infinity', '-infinity', NULL, NULL, '-178000000 years', NULL, NULL, NULL, NULL, NULL, '2001:db8::1/64', '2001:db8::/32', NULL),
  (4, '4713-11-24 BC', '0001-01-01 00:00:00 BC', '1970-01-01 00:00:00.000001+00', NULL, NULL, '0', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
-- Read a table's rows back from its document and compare each with the
-- original, as text under the session's settings.
CREATE FUNCTION roundtrip(tab text) RETURNS TABLE (id int, same boolean, restored text) LANGUAGE plpgsql AS $f$
BEGIN
  RETURN QUERY EXECUTE format($q$
    WITH doc AS (SELECT seedkit_snapshot(%1$L) AS d),
    recs AS (
      SELECT json_populate_record(NULL::%1$s,
               (SELECT json_object_agg(c, r->(n::int - 1))
                  FROM json_array_elements_text(t->'columns') WITH ORDINALITY AS cc(c, n))) AS rec
        FROM doc, json_array_elements(d->'tables') t, json_array_elements(t->'rows') r
       WHERE t->>'table' = %1$L)
    SELECT (rec).id, rec::text = o::text, CASE WHEN rec::text <> o::text THEN rec::text END
      FROM recs JOIN %1$s o ON o.id = (rec).id ORDER BY 1 $q$, tab);
END
$f$;

-- types as format_type prints them, user types qualified
SELECT t->>'table' AS table_name, t->'types' AS types
  FROM json_array_elements(seedkit_snapshot('times', filter => 'false')->'tables') t;
SELECT t->>'table' AS table_name, t->'types' AS types
  FROM json_array_elements(seedkit_snapshot('bins', filter => 'false')->'tables') t;
SELECT (seedkit_snapshot('ints', filter => 'false')->'tables'->0->'types')::text AS types;
SELECT (seedkit_snapshot('jsons', filter => 'false')->'tables'->0->'types')::text AS types;

-- integers exact as JSON numbers (beyond 2^53 too), booleans as literals
SELECT * FROM doc_rows(seedkit_snapshot('ints'));
SELECT * FROM roundtrip('snap_types.ints');
-- numeric exact, floats with NaN, infinities and -0, money in the C locale
SELECT * FROM doc_rows(seedkit_snapshot('nums'));
SELECT * FROM roundtrip('snap_types.nums');
-- text: control characters escaped, any Unicode, NULL distinct from '' and
-- from the string 'null'
SELECT * FROM doc_rows(seedkit_snapshot('texts'));
SELECT * FROM roundtrip('snap_types.texts');
SELECT id, t IS NULL AS is_null, t, json_typeof(d->'tables'->0->'rows'->(id - 1)->1) AS json_type
  FROM texts, (SELECT seedkit_snapshot('texts') AS d) s WHERE id IN (2, 3, 4) ORDER BY id;
-- bytea in hex, arrays with NULL elements, several dimensions and lower
-- bounds, enums, composites, bit strings, xml
SELECT * FROM doc_rows(seedkit_snapshot('bins'));
SELECT * FROM roundtrip('snap_types.bins');
-- json nested with its key order, duplicate keys and white space; jsonb
-- nested in its normal form; a domain over jsonb like jsonb
SELECT * FROM doc_rows(seedkit_snapshot('jsons'));
SELECT * FROM roundtrip('snap_types.jsons');
-- the document stays valid JSON around them
SELECT jsonb_typeof(seedkit_snapshot('jsons')::jsonb -> 'tables') AS parses;
-- a JSON null is written wrapped, {"$json": null}, apart from SQL NULL's null
-- (format seedkit/2; restore_json_null has the round trips)
INSERT INTO jsons VALUES (8, 'null', NULL, NULL);
SELECT r::text AS row FROM json_array_elements(seedkit_snapshot('jsons')->'tables'->0->'rows') r WHERE r->>0 = '8';
UPDATE jsons SET j = NULL, jb = 'null' WHERE id = 8;
SELECT r::text AS row FROM json_array_elements(seedkit_snapshot('jsons')->'tables'->0->'rows') r WHERE r->>0 = '8';
UPDATE jsons SET jb = NULL, jd = ' null ' WHERE id = 8;
SELECT r::text AS row FROM json_array_elements(seedkit_snapshot('jsons')->'tables'->0->'rows') r WHERE r->>0 = '8';
DELETE FROM jsons WHERE id = 8;
-- dates and times in ISO, timestamptz in UTC with its offset, infinities,
-- intervals, ranges, uuid, network types
SELECT * FROM doc_rows(seedkit_snapshot('times'));
SELECT * FROM roundtrip('snap_types.times');

-- the document does not depend on the session's settings: TimeZone,
-- DateStyle, IntervalStyle, extra_float_digits, bytea_output, search_path
CREATE TEMP TABLE docs AS
  SELECT tab, seedkit_snapshot(tab)::text AS d
    FROM unnest(ARRAY['snap_types.ints', 'snap_types.nums', 'snap_types.texts',
                      'snap_types.bins', 'snap_types.jsons', 'snap_types.times']) tab;
SET TimeZone = 'America/New_York';
SET DateStyle = 'SQL, DMY';
SET IntervalStyle = 'iso_8601';
SET extra_float_digits = -3;
SET bytea_output = 'escape';
SET search_path = public;
SELECT tab, seedkit_snapshot(tab)::text = d AS same FROM docs ORDER BY tab;
SET TimeZone = 'Asia/Kathmandu';
SET DateStyle = 'German';
SET IntervalStyle = 'sql_standard';
SELECT tab, seedkit_snapshot(tab)::text = d AS same FROM docs ORDER BY tab;
-- and leaves them as they were
SHOW TimeZone;
SHOW DateStyle;
SHOW IntervalStyle;
SHOW extra_float_digits;
SHOW bytea_output;
RESET ALL;

DELETE FROM seedkit.snapshots WHERE root LIKE 'snap_types.%';
SET client_min_messages = warning;
DROP SCHEMA snap_types CASCADE;
