-- restore_roundtrip: seedkit_snapshot, then seedkit_restore into an empty
-- copy of the schema; the same rows, the same relationships, every value's
-- text byte for byte, whatever the session's settings
CREATE SCHEMA rt_ddl;
CREATE FUNCTION rt_ddl.create_schema(s text) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
	EXECUTE format($$
	CREATE SCHEMA %1$I;
	CREATE TYPE %1$I.mood AS ENUM ('sad', 'ok', 'happy');
	CREATE TYPE %1$I.pair AS (a int, b text);
	CREATE DOMAIN %1$I.posint AS int CHECK (VALUE > 0);
	CREATE TABLE %1$I.customers (
		customer_id bigserial PRIMARY KEY,
		email text NOT NULL UNIQUE,
		referred_by bigint REFERENCES %1$I.customers);
	CREATE TABLE %1$I.orders (
		order_id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		customer_id bigint NOT NULL REFERENCES %1$I.customers,
		note text);
	CREATE TABLE %1$I.lines (
		order_id int NOT NULL REFERENCES %1$I.orders,
		line_no smallint NOT NULL,
		qty %1$I.posint NOT NULL,
		PRIMARY KEY (order_id, line_no));
	CREATE TABLE %1$I.shipments (
		shipment_id serial PRIMARY KEY,
		order_id int NOT NULL,
		line_no smallint NOT NULL,
		FOREIGN KEY (order_id, line_no) REFERENCES %1$I.lines);
	CREATE TABLE %1$I.vals (
		val_id bigserial PRIMARY KEY,
		order_id int REFERENCES %1$I.orders,
		label text NOT NULL UNIQUE,
		i2 smallint, i4 int, i8 bigint, num numeric, num_t numeric(9,2),
		r4 real, r8 double precision, b boolean,
		t text, vc varchar(10), bp char(5), ba bytea,
		d date, ts timestamp, tstz timestamptz, tm time, tmtz timetz, iv interval,
		u uuid, ip inet, cidr_ cidr, mac macaddr, bits varbit, money_ money,
		j json, jb jsonb, ia int[], ta text[], rng int4range, tsr tstzrange,
		m %1$I.mood, p %1$I.pair, pt point, tsv tsvector, x xml,
		len int GENERATED ALWAYS AS (length(t)) STORED);
	$$, s);
END
$f$;
SELECT rt_ddl.create_schema('rt');
INSERT INTO rt.customers (email) VALUES ('a@example.org'), ('b@example.org'), ('c@example.org'), ('d@example.org');
UPDATE rt.customers SET referred_by = customer_id - 1 WHERE customer_id > 1;
-- gaps in the keys: restore does not need them dense
DELETE FROM rt.customers WHERE customer_id = 4;
INSERT INTO rt.customers (email, referred_by) VALUES ('e@example.org', 3);
INSERT INTO rt.orders (customer_id, note) VALUES (5, 'first'), (1, E'line\nbreak'), (5, NULL);
INSERT INTO rt.lines VALUES (1, 1, 2), (1, 2, 1), (2, 1, 7), (3, 1, 1);
INSERT INTO rt.shipments (order_id, line_no) VALUES (1, 2), (2, 1), (1, 1);
INSERT INTO rt.vals (order_id, label, i2, i4, i8, num, num_t, r4, r8, b, t, vc, bp, ba, d, ts, tstz, tm, tmtz, iv,
	u, ip, cidr_, mac, bits, money_, j, jb, ia, ta, rng, tsr, m, p, pt, tsv, x) VALUES
	(1, 'all', -32768, 2147483647, -9223372036854775808, 123456789012345678901234567890.000000000001, 1234567.89,
	 3.4028235e38, 0.1::float8 + 0.2, true,
	 E'tab\there\nnew line \\ back "quote" Ñandú 😀 \u0001', 'ten chars!', 'ab', '\x00ff5c0a',
	 '4713-01-01 BC', '2024-02-29 23:59:59.999999', '2024-06-30 22:00:00.123456+02', '24:00:00', '12:34:56+05:45',
	 '1 year 2 mons -3 days 04:05:06.789',
	 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2001:db8::1/64', '10.0.0.0/8', '08:00:2b:01:02:03', B'10101', 12.34,
	 E'{"b": 1,  "a": [1, 2.50, 1e3], "b": "dup\\u00e9\\n",\n  "z": null}', '{"b": 1, "a": [1, 2.50]}',
	 '[0:2]={1,NULL,3}', ARRAY['x', NULL, 'y z', '"q"', ''], '[1,10)', '[2024-01-01 00:00+00,infinity)',
	 'happy', ROW(1, 'one, "two"'), '(1.5,-2)', 'a fat cat', '<a>x &amp; y</a>'),
	(2, 'specials', 0, 0, 0, 'NaN', NULL, '-Infinity', 'NaN', false,
	 '', '', '', '', 'infinity', '-infinity', 'infinity', '00:00', '00:00+00', '0',
	 NULL, '::1', '::/0', 'ff:ff:ff:ff:ff:ff', B'', -0.01,
	 '[]', '{}', '{}', '{}', 'empty', 'empty',
	 'sad', ROW(NULL, NULL), '(0,0)', '', ''),
	(3, 'nulls', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

-- the session's settings must not matter: values are written and read pinned
SET TimeZone = 'America/New_York';
SET DateStyle = 'SQL, DMY';
SET IntervalStyle = 'sql_standard';
SET extra_float_digits = -3;
SET bytea_output = 'escape';
SELECT seedkit_snapshot('rt.customers', name => 'rt_roundtrip') IS NOT NULL AS taken;
SELECT jsonb_pretty(row_counts) FROM seedkit.snapshots WHERE name = 'rt_roundtrip';

-- keep the originals aside and restore into an empty copy of the schema
ALTER SCHEMA rt RENAME TO rt_src;
SELECT rt_ddl.create_schema('rt');
-- a row already there: restored keys must not collide with it
INSERT INTO rt.customers (email) VALUES ('already@example.org');
INSERT INTO rt.orders (customer_id, note) VALUES (1, 'already');
INSERT INTO rt.lines VALUES (1, 1, 1);
SELECT * FROM seedkit_restore('rt_roundtrip');
RESET TimeZone;
RESET DateStyle;
RESET IntervalStyle;
RESET extra_float_digits;
RESET bytea_output;

-- the same rows per table (keys aside) and the same relationships, by joining through the keys
CREATE VIEW rt_ddl.src AS
	SELECT 'customer' AS kind, c.email AS a, r.email AS b, NULL AS c FROM rt_src.customers c LEFT JOIN rt_src.customers r ON r.customer_id = c.referred_by
	UNION ALL SELECT 'order', c.email, o.note, NULL FROM rt_src.orders o JOIN rt_src.customers c USING (customer_id)
	UNION ALL SELECT 'line', c.email, o.note, l.line_no || 'x' || l.qty FROM rt_src.lines l JOIN rt_src.orders o USING (order_id) JOIN rt_src.customers c USING (customer_id)
	UNION ALL SELECT 'shipment', c.email, o.note, l.line_no || 'x' || l.qty FROM rt_src.shipments s JOIN rt_src.lines l USING (order_id, line_no) JOIN rt_src.orders o USING (order_id) JOIN rt_src.customers c USING (customer_id)
	UNION ALL SELECT 'val', v.label, o.note, NULL FROM rt_src.vals v LEFT JOIN rt_src.orders o USING (order_id);
CREATE VIEW rt_ddl.dst AS
	SELECT 'customer' AS kind, c.email AS a, r.email AS b, NULL AS c FROM rt.customers c LEFT JOIN rt.customers r ON r.customer_id = c.referred_by WHERE c.email <> 'already@example.org'
	UNION ALL SELECT 'order', c.email, o.note, NULL FROM rt.orders o JOIN rt.customers c USING (customer_id) WHERE o.note IS DISTINCT FROM 'already'
	UNION ALL SELECT 'line', c.email, o.note, l.line_no || 'x' || l.qty FROM rt.lines l JOIN rt.orders o USING (order_id) JOIN rt.customers c USING (customer_id) WHERE o.note IS DISTINCT FROM 'already'
	UNION ALL SELECT 'shipment', c.email, o.note, l.line_no || 'x' || l.qty FROM rt.shipments s JOIN rt.lines l USING (order_id, line_no) JOIN rt.orders o USING (order_id) JOIN rt.customers c USING (customer_id)
	UNION ALL SELECT 'val', v.label, o.note, NULL FROM rt.vals v LEFT JOIN rt.orders o USING (order_id);
SELECT kind, count(*) FROM rt_ddl.dst GROUP BY kind ORDER BY kind;
SELECT 'missing' AS side, * FROM (SELECT * FROM rt_ddl.src EXCEPT ALL SELECT * FROM rt_ddl.dst) x
UNION ALL
SELECT 'extra', * FROM (SELECT * FROM rt_ddl.dst EXCEPT ALL SELECT * FROM rt_ddl.src) y
ORDER BY 1, 2, 3, 4, 5;
-- fresh keys: the rows already there kept their keys, the restored ones follow them
SELECT customer_id, email, referred_by FROM rt.customers ORDER BY customer_id;
SELECT order_id, customer_id, note FROM rt.orders ORDER BY order_id;
SELECT * FROM rt.lines ORDER BY order_id, line_no;
SELECT * FROM rt.shipments ORDER BY shipment_id;

-- every value's text is the same, byte for byte: each column compared as ::text
CREATE FUNCTION rt_ddl.compare(tbl text, keycol text, keys text[])
RETURNS TABLE(col name, compared bigint, different bigint) LANGUAGE plpgsql AS $f$
DECLARE
	a record;
BEGIN
	FOR a IN SELECT attname FROM pg_attribute
			 WHERE attrelid = format('rt.%I', tbl)::regclass AND attnum > 0 AND NOT attisdropped
			   AND attname <> ALL (keys)
			 ORDER BY attnum
	LOOP
		col := a.attname;
		EXECUTE format('SELECT count(*), count(*) FILTER (WHERE s.%1$I::text IS DISTINCT FROM d.%1$I::text)'
					   ' FROM rt_src.%2$I s JOIN rt.%2$I d USING (%3$I)', a.attname, tbl, keycol)
			INTO compared, different;
		RETURN NEXT;
	END LOOP;
END
$f$;
-- (keys differ by design and are checked through the joins above)
SELECT * FROM rt_ddl.compare('vals', 'label', '{val_id,order_id}') ORDER BY col;
-- json is compared on its own text (to_jsonb above would normalise it)
SELECT label, s.j::text = d.j::text AS j_same, d.j::text AS j, d.jb::text AS jb, d.x::text = s.x::text AS x_same
FROM rt_src.vals s JOIN rt.vals d USING (label) ORDER BY label;
SELECT label, d.r8::text, d.r4::text, d.tstz::text, d.ts::text, d.iv::text, d.ba::text, d.ia::text, d.ta::text, d.p::text, d.money_::text, d.len
FROM rt.vals d ORDER BY label;

-- a json null and an SQL NULL are both written as null (see doc/format.md):
-- a json column holding the JSON value null comes back as SQL NULL
SELECT * FROM seedkit_restore('{"format": "seedkit/1", "tables": [{"table": "rt.vals", "columns": ["label", "j", "jb"], "types": ["text", "json", "jsonb"], "key": ["label"], "reset": [], "references": [], "rows": [["json null", null, null]]}]}'::json);
SELECT label, j IS NULL AS j_is_sql_null, jb IS NULL AS jb_is_sql_null FROM rt.vals WHERE label = 'json null';
DELETE FROM rt.vals WHERE label = 'json null';

-- plain inserts work afterwards (serial, bigserial, identity ALWAYS)
INSERT INTO rt.customers (email) VALUES ('next@example.org') RETURNING customer_id;
INSERT INTO rt.orders (customer_id) VALUES (1) RETURNING order_id;
INSERT INTO rt.shipments (order_id, line_no) VALUES (1, 1) RETURNING shipment_id;
INSERT INTO rt.vals (label) VALUES ('next') RETURNING val_id;

DELETE FROM seedkit.snapshots WHERE name = 'rt_roundtrip';
