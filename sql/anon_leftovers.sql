-- issue 13, section 6: reserved email domains only; IBANs keep their
-- country and length; date_shift keeps range, era and wall-clock time;
-- partial on unique columns; lorem gives whole words
CREATE SCHEMA anon_left;
SET search_path = anon_left, public;
SET seedkit.seed = 'regress-leftovers';

-- email domain: names reserved by RFC 2606 / 6761 only
SELECT d, seedkit_fake('email', 'x'::text, jsonb_build_object('domain', d)) LIKE '%@' || d AS accepted
FROM unnest(ARRAY['example.com', 'example.net', 'example.org', 'mail.example.com',
				  'shop.example', 'qa.test', 'nowhere.invalid', 'Example.ORG']) AS d
ORDER BY d;
SELECT seedkit_fake('email', 'x'::text, '{"domain": "gmail.com"}');
SELECT seedkit_fake('email', 'x'::text, '{"domain": "Not A Domain!!"}');
SELECT seedkit_fake('email', 'x'::text, '{"domain": "test"}');
SELECT seedkit_fake('email', 'x'::text, '{"domain": "example.com.evil.com"}');
SELECT seedkit_fake('email', 'x'::text, '{"domain": "a..test"}');
-- and at flag time
CREATE TABLE people (id int PRIMARY KEY, email text);
\set VERBOSITY sqlstate
SELECT seedkit_flag('people', 'email', 'email', '{"domain": "corp.com"}');
\set VERBOSITY default
SELECT count(*) AS flags FROM seedkit.flags WHERE "table" = 'people'::regclass;

-- IBAN: the original's country and length, valid check digits
CREATE FUNCTION anon_left.iban_ok(v text) RETURNS boolean LANGUAGE sql AS $$
	SELECT (string_agg(CASE WHEN c ~ '[A-Z]' THEN (ascii(c) - 55)::text ELSE c END, '' ORDER BY n))::numeric % 97 = 1
	FROM regexp_split_to_table(substr(replace(v, ' ', ''), 5) || substr(replace(v, ' ', ''), 1, 4), '')
		 WITH ORDINALITY AS t(c, n)
$$;
SELECT v, f, length(f) = length(v) AS same_length, left(f, 2) = upper(left(v, 2)) AS same_country,
	   iban_ok(f) AS valid, f <> v AS changed
FROM (SELECT v, seedkit_fake('iban', v) AS f
	  FROM unnest(ARRAY['DE89 3704 0044 0532 0130 00', 'DE89370400440532013000', 'GB82WEST12345698765432',
						'NL91ABNA0417164300', 'FR1420041010050500013M02606', 'ES9121000418450200051332',
						'MT84MALT011000012345MTLCAST001S', 'NO9386011117947']) AS v) AS x
ORDER BY v;
-- not an IBAN: the option's or the locale's country; the option wins over the original
SELECT left(seedkit_fake('iban', 'account 17'::text, '{"locale": "de_DE"}'), 2) AS locale_country,
	   left(seedkit_fake('iban', 'DE89370400440532013000'::text, '{"country": "ES"}'), 2) AS option_country;
SELECT count(*) FILTER (WHERE left(f, 2) = 'DE' AND length(f) = 22 AND iban_ok(f)) AS kept, count(*) AS total
FROM (SELECT seedkit_fake('iban', 'DE' || lpad((g % 97)::text, 2, '0') || lpad(g::text, 18, '0')) AS f
	  FROM generate_series(1, 1000) g) AS x;

-- date_shift: whole days of local time under the session's time zone
SET TimeZone = 'Europe/Berlin';
SELECT v, f, f::time = v::time AS same_wall_clock, (f::date - v::date) % 1 = 0 AS whole_days
FROM (SELECT v, seedkit_fake('date_shift', v, '{"days": 200}') AS f
	  FROM unnest(ARRAY['2026-03-28 10:30:00+01', '2026-10-24 09:00:00+02', '2026-06-01 00:00:00+02']::timestamptz[]) AS v) AS x
ORDER BY v;
SELECT count(*) FILTER (WHERE f::time = v::time) AS same_wall_clock, count(*) AS total
FROM (SELECT v, seedkit_fake('date_shift', v) AS f
	  FROM generate_series(timestamptz '2026-01-01 08:15', '2026-12-31', '1 day 1 hour') AS v) AS x;
RESET TimeZone;
-- the type's range and the value's era
SELECT v, seedkit_fake('date_shift', v) AS f
FROM unnest(ARRAY['0001-01-01', '0001-12-31 BC', '4713-01-01 BC', '5874897-12-31', 'infinity', '-infinity']::date[]) AS v
ORDER BY v;
SELECT count(*) FILTER (WHERE (f < '0001-01-01') <> (v < '0001-01-01')) AS era_changed, count(*) AS total
FROM (SELECT v, seedkit_fake('date_shift', v, '{"days": 100000}') AS f
	  FROM generate_series(timestamp '0001-01-01 BC', '0002-01-01', '7 days') AS v) AS x;
SELECT seedkit_fake('date_shift', timestamp '294276-12-31 23:59:59') <= timestamp '294276-12-31 23:59:59' AS in_range;

-- partial on a UNIQUE column: a masked form already taken gets another
-- candidate, random characters of the same kind in the masked part
CREATE TABLE cards (id int PRIMARY KEY, card text UNIQUE);
INSERT INTO cards SELECT g, '4111 0000 0000 ' || lpad(g::text, 2, '0') || '42' FROM generate_series(1, 40) g;
SELECT seedkit_flag('cards', 'card', 'partial', '{"first": 4, "last": 2}');
SELECT table_name, rows FROM seedkit_anonymise('{cards}');
SELECT count(DISTINCT card) AS distinct_cards, count(*) FILTER (WHERE card = '4111*************42') AS masked,
	   count(*) FILTER (WHERE card ~ '^4111[0-9]{13}42$') AS varied
FROM cards;
-- and in a snapshot
TRUNCATE cards;
INSERT INTO cards SELECT g, 'AB-' || lpad(g::text, 3, '0') || '-Z' FROM generate_series(1, 30) g;
SELECT count(DISTINCT r->>1) AS distinct_in_snapshot, count(*) FILTER (WHERE r->>1 = 'AB-0**-Z') AS masked, count(*) AS total
FROM json_array_elements(seedkit_snapshot('cards')::json->'tables'->0->'rows') AS r;

-- lorem: whole words, never longer, whitespace stays whitespace
SELECT quote_literal(v) AS v, quote_literal(seedkit_fake('lorem', v)) AS lorem
FROM unnest(ARRAY['   ', E'\t\n', '', 'a', 'Hi there', 'A longer note about an order.']) AS v
ORDER BY v;
SELECT count(*) FILTER (WHERE f ~ 'aliquaa') AS padded, count(*) FILTER (WHERE length(f) > length(v)) AS longer,
	   count(*) FILTER (WHERE length(f) < length(v) - 3) AS much_shorter,
	   count(*) FILTER (WHERE NOT (lower(f) ~ '^[a-z]+( [a-z]+)*$')) AS not_words, count(*) AS total
FROM (SELECT v, seedkit_fake('lorem', v) AS f
	  FROM (SELECT repeat('x', (g % 60) + 3) || g AS v FROM generate_series(1, 2000) g) AS a) AS x;

DROP SCHEMA anon_left CASCADE;
